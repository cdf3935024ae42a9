#include "services/scoring/rocksdb_scoring_store.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/date.h"
#include "common/keys.h"
#include "common/paging.h"
#include "common/rocksdb_status.h"
#include "rocksdb/write_batch.h"

namespace antt::scoring {
namespace {

constexpr char kNextAssessmentKey[] = "next_assessment";
constexpr char kRegistrySequenceKey[] = "registry_sequence";
// mirror_years/<unit id> → the in-scope years counted for the mirrored unit.
constexpr char kMirrorYearsPrefix[] = "mirror_years/";
// Followed by a unit id: a unit the follower could not read.
constexpr char kUnreadablePrefix[] = "unreadable_unit/";
constexpr char kLegacyEdition[] = "2025-06";
constexpr char kCurrentEdition[] = "2026-07";
constexpr size_t kIdLength = 11;  // "A" and 10 digits

std::string UnitYearPrefix(absl::string_view unit_id) {
  return KeyBuilder("uy").Str(unit_id).Build();
}
std::string UnitYearKey(absl::string_view unit_id, int year) {
  return KeyBuilder("uy").Str(unit_id).U32(static_cast<uint32_t>(year)).Build();
}
std::string YearPrefix(int year) {
  return KeyBuilder("ya").U32(static_cast<uint32_t>(year)).Build();
}
std::string AreaPrefix(absl::string_view edition, absl::string_view code) {
  return KeyBuilder("ar").Str(edition).Str(code).Build();
}
std::string CounterPrefix(absl::string_view edition, absl::string_view area,
                          registry::v1::UnitKind kind) {
  return KeyBuilder(edition)
      .Str(area)
      .Raw(std::string(1, static_cast<char>(kind)))
      .Build();
}
std::string CounterKey(absl::string_view edition, absl::string_view area,
                       registry::v1::UnitKind kind, int year) {
  std::string key = CounterPrefix(edition, area, kind);
  AppendUint32(&key, static_cast<uint32_t>(year));
  return key;
}

// The last kIdLength bytes of an index key are the assessment id.
std::string IdOf(absl::string_view key) {
  return std::string(key.substr(key.size() - std::min(key.size(), kIdLength)));
}

std::string EncodeCounts(const Counts& c) {
  std::string out;
  for (int64_t v : {c.in_scope_delta, c.assessed, c.recognized, c.excellent,
                    c.good, c.average, c.weak}) {
    AppendUint64(&out, static_cast<uint64_t>(v));
  }
  return out;
}

std::optional<Counts> DecodeCounts(absl::string_view in) {
  Counts c;
  for (int64_t* v : {&c.in_scope_delta, &c.assessed, &c.recognized,
                     &c.excellent, &c.good, &c.average, &c.weak}) {
    std::optional<uint64_t> raw = ConsumeUint64(&in);
    if (!raw.has_value()) return std::nullopt;
    *v = static_cast<int64_t>(*raw);
  }
  return c;
}

// Where a unit lies: (edition, area code) cells, the country first.
struct Cell {
  std::string edition;
  std::string area;
};

std::vector<Cell> Cells(const std::string& province, const std::string& commune,
                        const std::string& legacy_province,
                        const std::string& legacy_district,
                        const std::string& legacy_commune) {
  std::vector<Cell> cells{{"", ""}};
  for (const auto& [edition, code] :
       std::vector<std::pair<const char*, const std::string*>>{
           {kCurrentEdition, &province},
           {kCurrentEdition, &commune},
           {kLegacyEdition, &legacy_province},
           {kLegacyEdition, &legacy_district},
           {kLegacyEdition, &legacy_commune}}) {
    if (!code->empty()) cells.push_back({edition, *code});
  }
  return cells;
}

std::vector<Cell> CellsOf(const v1::UnitSnapshot& unit) {
  return Cells(unit.province_code(), unit.commune_code(),
               unit.legacy_province_code(), unit.legacy_district_code(),
               unit.legacy_commune_code());
}

std::vector<Cell> CellsOf(const registry::v1::Unit& unit) {
  return Cells(unit.province_code(), unit.commune_code(),
               unit.legacy_province_code(), unit.legacy_district_code(),
               unit.legacy_commune_code());
}

bool KnownKind(registry::v1::UnitKind kind) {
  return kind != registry::v1::UNIT_KIND_UNSPECIFIED &&
         registry::v1::UnitKind_IsValid(kind);
}

Counts ContributionOf(const v1::Assessment& a) {
  Counts c;
  c.assessed = 1;
  c.recognized = a.stage() == v1::STAGE_RECOGNIZED ? 1 : 0;
  switch (a.result().classification()) {
    case v1::CLASSIFICATION_EXCELLENT:
      c.excellent = 1;
      break;
    case v1::CLASSIFICATION_GOOD:
      c.good = 1;
      break;
    case v1::CLASSIFICATION_AVERAGE:
      c.average = 1;
      break;
    case v1::CLASSIFICATION_WEAK:
      c.weak = 1;
      break;
    default:
      break;
  }
  return c;
}

void AddAssessment(const v1::Assessment& a, int sign,
                   absl::btree_map<std::string, Counts>* deltas) {
  if (!KnownKind(a.unit().kind())) return;
  Counts c = ContributionOf(a);
  for (const Cell& cell : CellsOf(a.unit())) {
    Counts& d = (*deltas)[CounterKey(cell.edition, cell.area, a.unit().kind(),
                                     a.year())];
    if (sign > 0) {
      d += c;
    } else {
      d -= c;
    }
  }
}

// What the mirror keeps of a registry unit: enough to undo its counts.
registry::v1::Unit MirrorOf(const registry::v1::Unit& unit) {
  registry::v1::Unit m;
  m.set_id(unit.id());
  m.set_kind(unit.kind());
  m.set_in_scope(unit.in_scope());
  m.set_status(unit.status());
  if (unit.has_established_date()) {
    *m.mutable_established_date() = unit.established_date();
  }
  if (unit.has_dissolve_date())
    *m.mutable_dissolve_date() = unit.dissolve_date();
  m.set_province_code(unit.province_code());
  m.set_commune_code(unit.commune_code());
  m.set_legacy_province_code(unit.legacy_province_code());
  m.set_legacy_district_code(unit.legacy_district_code());
  m.set_legacy_commune_code(unit.legacy_commune_code());
  return m;
}

uint64_t EtagVersion(absl::string_view etag) {
  uint64_t version = 0;
  return absl::SimpleAtoi(etag, &version) ? version : 0;
}

}  // namespace

Counts& Counts::operator+=(const Counts& o) {
  in_scope_delta += o.in_scope_delta;
  assessed += o.assessed;
  recognized += o.recognized;
  excellent += o.excellent;
  good += o.good;
  average += o.average;
  weak += o.weak;
  return *this;
}

Counts& Counts::operator-=(const Counts& o) {
  in_scope_delta -= o.in_scope_delta;
  assessed -= o.assessed;
  recognized -= o.recognized;
  excellent -= o.excellent;
  good -= o.good;
  average -= o.average;
  weak -= o.weak;
  return *this;
}

bool Counts::IsZero() const {
  return in_scope_delta == 0 && assessed == 0 && recognized == 0 &&
         excellent == 0 && good == 0 && average == 0 && weak == 0;
}

RocksDbScoringStore::InScopeYears RocksDbScoringStore::YearsOf(
    const registry::v1::Unit& unit) const {
  InScopeYears years;
  if (!unit.in_scope() || !KnownKind(unit.kind())) return years;
  years.counted = true;
  if (unit.has_established_date() && !IsEmptyDate(unit.established_date())) {
    years.from = settings_.AssessmentYearOf(unit.established_date());
  }
  if (unit.status() == registry::v1::UNIT_STATUS_DISSOLVED &&
      unit.has_dissolve_date() && !IsEmptyDate(unit.dissolve_date())) {
    years.until = settings_.AssessmentYearOf(unit.dissolve_date()) + 1;
  }
  return years;
}

RocksDbScoringStore::InScopeYears RocksDbScoringStore::LegacyYearsOf(
    const registry::v1::Unit& unit) {
  InScopeYears years;
  if (!unit.in_scope() || !KnownKind(unit.kind())) return years;
  years.counted = true;
  if (unit.has_established_date()) years.from = unit.established_date().year();
  if (unit.status() == registry::v1::UNIT_STATUS_DISSOLVED &&
      unit.has_dissolve_date()) {
    years.until = unit.dissolve_date().year() + 1;
  }
  return years;
}

void RocksDbScoringStore::AddMirrorUnit(const registry::v1::Unit& unit,
                                        const InScopeYears& years, int sign,
                                        CounterDeltas* deltas) {
  if (!years.counted) return;
  for (const Cell& cell : CellsOf(unit)) {
    (*deltas)[CounterKey(cell.edition, cell.area, unit.kind(), years.from)]
        .in_scope_delta += sign;
    if (years.until != 0) {
      (*deltas)[CounterKey(cell.edition, cell.area, unit.kind(), years.until)]
          .in_scope_delta -= sign;
    }
  }
}

std::string RocksDbScoringStore::EncodeYears(const InScopeYears& years) {
  if (!years.counted) return "";
  return absl::StrCat(years.from, " ", years.until);
}

std::optional<RocksDbScoringStore::InScopeYears>
RocksDbScoringStore::DecodeYears(absl::string_view text) {
  InScopeYears years;
  if (text.empty()) return years;  // not counted
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ' ');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &years.from) ||
      !absl::SimpleAtoi(parts[1], &years.until)) {
    return std::nullopt;
  }
  years.counted = true;
  return years;
}

absl::StatusOr<std::unique_ptr<RocksDbScoringStore>> RocksDbScoringStore::Open(
    const std::string& path, const RocksDbOptions& options,
    const ScoringSettings& settings) {
  std::unique_ptr<RocksDbScoringStore> store(new RocksDbScoringStore());
  store->settings_ = settings;
  absl::StatusOr<std::unique_ptr<RocksDb>> db =
      RocksDb::Open(path,
                    {"default", "assessments", "requests", "index", "counters",
                     "mirror", "audit"},
                    options);
  if (!db.ok()) return db.status();
  store->db_ = *std::move(db);
  absl::StatusOr<std::unique_ptr<AuditLog>> audit =
      AuditLog::Open(store->db_.get(), kAudit, {kAssessments});
  if (!audit.ok()) return audit.status();
  store->audit_ = *std::move(audit);
  if (absl::Status s = store->LoadMeta(); !s.ok()) return s;
  return store;
}

absl::Status RocksDbScoringStore::LoadMeta() {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<uint64_t> next =
      db_->GetUint64(kDefault, kNextAssessmentKey, next_assessment_);
  if (!next.ok()) return next.status();
  next_assessment_ = *next;
  absl::StatusOr<uint64_t> sequence =
      db_->GetUint64(kDefault, kRegistrySequenceKey, 0);
  if (!sequence.ok()) return sequence.status();
  registry_sequence_.store(*sequence);
  return absl::OkStatus();
}

absl::StatusOr<v1::Assessment> RocksDbScoringStore::ReadAssessment(
    const rocksdb::ReadOptions& read, const std::string& id) {
  absl::StatusOr<std::optional<v1::Assessment>> a =
      db_->GetMessage<v1::Assessment>(kAssessments, id, read);
  if (!a.ok()) return a.status();
  if (!a->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("assessment ", id, " does not exist"));
  }
  return **std::move(a);
}

absl::StatusOr<v1::Assessment> RocksDbScoringStore::GetAssessment(
    absl::string_view id) {
  return ReadAssessment(rocksdb::ReadOptions(), std::string(id));
}

absl::Status RocksDbScoringStore::StageAssessment(const v1::Assessment* before,
                                                  v1::Assessment* stored,
                                                  rocksdb::WriteBatch* batch,
                                                  CounterDeltas* deltas) {
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(stored);
  if (!record.ok()) return record.status();
  const v1::Assessment& after = *stored;
  const auto index_keys = [](const v1::Assessment& a) {
    std::vector<std::string> keys{YearPrefix(a.year()) + a.id()};
    for (const Cell& cell : CellsOf(a.unit())) {
      if (cell.area.empty()) continue;
      std::string key = AreaPrefix(cell.edition, cell.area);
      AppendUint32(&key, static_cast<uint32_t>(a.year()));
      keys.push_back(key + a.id());
    }
    return keys;
  };
  if (before != nullptr) {
    for (const std::string& key : index_keys(*before)) {
      batch->Delete(db_->cf(kIndex), key);
    }
    AddAssessment(*before, -1, deltas);
  }
  for (const std::string& key : index_keys(after)) {
    batch->Put(db_->cf(kIndex), key, "");
  }
  batch->Put(db_->cf(kIndex), UnitYearKey(after.unit_id(), after.year()),
             after.id());
  batch->Put(db_->cf(kAssessments), after.id(), *record);
  AddAssessment(after, +1, deltas);
  return absl::OkStatus();
}

absl::Status RocksDbScoringStore::StageCounters(const CounterDeltas& deltas,
                                                rocksdb::WriteBatch* batch) {
  for (const auto& [key, delta] : deltas) {
    if (delta.IsZero()) continue;
    absl::StatusOr<std::optional<std::string>> raw = db_->Get(kCounters, key);
    if (!raw.ok()) return raw.status();
    Counts counts;
    if (raw->has_value()) {
      std::optional<Counts> decoded = DecodeCounts(**raw);
      if (!decoded.has_value()) {
        return absl::DataLossError("a statistics counter is corrupt");
      }
      counts = *decoded;
    }
    counts += delta;
    if (counts.IsZero()) {
      batch->Delete(db_->cf(kCounters), key);
    } else {
      batch->Put(db_->cf(kCounters), key, EncodeCounts(counts));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Assessment>>
RocksDbScoringStore::FindSubmission(absl::string_view request_id) {
  if (request_id.empty()) return std::optional<v1::Assessment>();
  return db_->GetMessage<v1::Assessment>(
      kRequests, KeyBuilder("Submit").Raw(request_id).Build());
}

absl::StatusOr<v1::Assessment> RocksDbScoringStore::SubmitAssessment(
    const std::string& unit_id, int year, absl::string_view request_id,
    const SubmitFn& submit) {
  absl::MutexLock lock(&write_mu_);
  std::string request_key;
  if (!request_id.empty()) {
    request_key = KeyBuilder("Submit").Raw(request_id).Build();
    absl::StatusOr<std::optional<v1::Assessment>> first =
        db_->GetMessage<v1::Assessment>(kRequests, request_key);
    if (!first.ok()) return first.status();
    if (first->has_value()) return **std::move(first);
  }
  std::optional<v1::Assessment> existing;
  absl::StatusOr<std::optional<std::string>> existing_id =
      db_->Get(kIndex, UnitYearKey(unit_id, year));
  if (!existing_id.ok()) return existing_id.status();
  if (existing_id->has_value()) {
    absl::StatusOr<v1::Assessment> stored =
        ReadAssessment(rocksdb::ReadOptions(), **existing_id);
    if (!stored.ok()) return stored.status();
    existing = *std::move(stored);
  }
  v1::Assessment result;
  if (absl::Status s = submit(existing ? &*existing : nullptr, &result);
      !s.ok()) {
    return s;
  }
  result.set_unit_id(unit_id);
  result.set_year(year);
  rocksdb::WriteBatch batch;
  if (existing.has_value()) {
    result.set_id(existing->id());
    result.set_etag(absl::StrCat(EtagVersion(existing->etag()) + 1));
  } else {
    result.set_id(absl::StrFormat("A%010d", next_assessment_));
    result.set_etag("1");
    batch.Put(db_->cf(kDefault), kNextAssessmentKey,
              RocksDb::EncodeUint64(next_assessment_ + 1));
  }
  CounterDeltas deltas;
  if (absl::Status s = StageAssessment(existing ? &*existing : nullptr, &result,
                                       &batch, &deltas);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = StageCounters(deltas, &batch); !s.ok()) return s;
  if (!request_key.empty()) {
    batch.Put(db_->cf(kRequests), request_key, result.SerializeAsString());
  }
  if (absl::Status s = audit_->Write(&batch, {result.id()}); !s.ok()) return s;
  if (!existing.has_value()) ++next_assessment_;
  return result;
}

absl::StatusOr<v1::Assessment> RocksDbScoringStore::UpdateAssessment(
    absl::string_view id, const AssessmentMutator& mutate) {
  absl::StatusOr<std::vector<v1::Assessment>> updated =
      Update({std::string(id)}, mutate, /*sync=*/false);
  if (!updated.ok()) return updated.status();
  return std::move(updated->front());
}

absl::StatusOr<std::vector<v1::Assessment>>
RocksDbScoringStore::UpdateAssessments(const std::vector<std::string>& ids,
                                       const AssessmentMutator& mutate) {
  // A decision is a legal act: synced to disk before it is acknowledged.
  return Update(ids, mutate, /*sync=*/true);
}

absl::StatusOr<std::vector<v1::Assessment>> RocksDbScoringStore::Update(
    const std::vector<std::string>& ids, const AssessmentMutator& mutate,
    bool sync) {
  absl::MutexLock lock(&write_mu_);
  rocksdb::WriteBatch batch;
  CounterDeltas deltas;
  std::vector<v1::Assessment> updated;
  for (const std::string& id : ids) {
    absl::StatusOr<v1::Assessment> before =
        ReadAssessment(rocksdb::ReadOptions(), id);
    if (!before.ok()) return before.status();
    v1::Assessment after = *before;
    if (absl::Status s = mutate(&after); !s.ok()) return s;
    // Identity and placement are the store's.
    after.set_id(before->id());
    after.set_unit_id(before->unit_id());
    after.set_year(before->year());
    *after.mutable_unit() = before->unit();
    after.set_etag(absl::StrCat(EtagVersion(before->etag()) + 1));
    if (absl::Status s = StageAssessment(&*before, &after, &batch, &deltas);
        !s.ok()) {
      return s;
    }
    updated.push_back(std::move(after));
  }
  if (absl::Status s = StageCounters(deltas, &batch); !s.ok()) return s;
  if (absl::Status s = audit_->Write(&batch, ids, sync); !s.ok()) return s;
  return updated;
}

absl::StatusOr<AssessmentPage> RocksDbScoringStore::ListAssessments(
    const AssessmentQuery& q) {
  const Snapshot snapshot(db_->db());
  rocksdb::ReadOptions read = snapshot.read();
  Cf cf = kIndex;
  std::string prefix;
  if (!q.unit_id.empty()) {
    prefix = UnitYearPrefix(q.unit_id);
  } else if (!q.area_code.empty()) {
    prefix = AreaPrefix(q.edition, q.area_code);
    if (q.year != 0) AppendUint32(&prefix, static_cast<uint32_t>(q.year));
  } else if (q.year != 0) {
    prefix = YearPrefix(q.year);
  } else {
    cf = kAssessments;
  }
  std::vector<std::string> ids;
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  if (!prefix.empty()) read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(cf)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    if (cf == kAssessments) {
      ids.emplace_back(View(it->key()));
    } else if (!q.unit_id.empty()) {
      ids.emplace_back(View(it->value()));  // uy entries hold the id
    } else {
      ids.push_back(IdOf(View(it->key())));
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  read.iterate_upper_bound = nullptr;
  std::sort(ids.begin(), ids.end());

  AssessmentPage page;
  PageFill fill(q.page_size);
  for (const std::string& id : ids) {
    absl::StatusOr<v1::Assessment> a = ReadAssessment(read, id);
    if (!a.ok()) return a.status();
    if (q.year != 0 && a->year() != q.year) continue;
    if (q.stage != v1::STAGE_UNSPECIFIED && a->stage() != q.stage) continue;
    if (q.classification != v1::CLASSIFICATION_UNSPECIFIED &&
        a->result().classification() != q.classification) {
      continue;
    }
    if (!q.area_code.empty() && !q.unit_id.empty()) {
      bool inside = false;
      for (const Cell& cell : CellsOf(a->unit())) {
        inside =
            inside || (cell.edition == q.edition && cell.area == q.area_code);
      }
      if (!inside) continue;
    }
    ++page.total_size;
    if (id <= q.after_id) continue;
    if (!fill.Take(a->ByteSizeLong())) {
      page.more = true;
      continue;
    }
    page.assessments.push_back(*std::move(a));
  }
  return page;
}

absl::StatusOr<std::vector<v1::Assessment>>
RocksDbScoringStore::UnitAssessments(absl::string_view unit_id) {
  const Snapshot snapshot(db_->db());
  rocksdb::ReadOptions read = snapshot.read();
  const std::string prefix = UnitYearPrefix(unit_id);
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  read.iterate_upper_bound = &upper;
  std::vector<std::string> ids;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(kIndex)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    ids.emplace_back(View(it->value()));
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  read.iterate_upper_bound = nullptr;
  std::vector<v1::Assessment> out;
  for (const std::string& id : ids) {  // in year order
    absl::StatusOr<v1::Assessment> a = ReadAssessment(read, id);
    if (!a.ok()) return a.status();
    out.push_back(*std::move(a));
  }
  return out;
}

absl::StatusOr<std::vector<YearCounts>> RocksDbScoringStore::ReadCounts(
    absl::string_view edition, absl::string_view area_code,
    registry::v1::UnitKind kind, int first_year, int last_year) {
  if (area_code.empty()) edition = "";
  const std::string prefix = CounterPrefix(edition, area_code, kind);
  const std::string limit = CounterKey(edition, area_code, kind, last_year + 1);
  rocksdb::Slice upper(limit);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper;
  std::vector<YearCounts> out;
  for (int year = first_year; year <= last_year; ++year) {
    out.push_back(YearCounts{year, 0, Counts()});
  }
  // Every year up to last_year: the in-scope count is the running sum of
  // deltas, the other counts are the year's own.
  int64_t running = 0;
  size_t next = 0;  // the first output year not yet given its running sum
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(kCounters)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    absl::string_view key = View(it->key());
    absl::string_view year_bytes = key.substr(prefix.size());
    std::optional<uint32_t> year = ConsumeUint32(&year_bytes);
    std::optional<Counts> counts = DecodeCounts(View(it->value()));
    if (!year.has_value() || !counts.has_value()) {
      return absl::DataLossError("a statistics counter is corrupt");
    }
    const int y = static_cast<int>(*year);
    while (next < out.size() && out[next].year < y) {
      out[next++].in_scope = running;
    }
    running += counts->in_scope_delta;
    if (y >= first_year && y <= last_year) {
      out[y - first_year].counts = *counts;
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  while (next < out.size()) out[next++].in_scope = running;
  return out;
}

absl::Status RocksDbScoringStore::ApplyRegistryUnit(
    const registry::v1::Unit& unit, uint64_t sequence) {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<std::optional<registry::v1::Unit>> before =
      db_->GetMessage<registry::v1::Unit>(kMirror, unit.id());
  if (!before.ok()) return before.status();
  registry::v1::Unit after = MirrorOf(unit);
  // What was counted for the unit is undone exactly as it was counted: with
  // the years kept when it was applied (a mirror from before they were
  // kept: by calendar years, the rule then), whatever the calendar says now.
  const std::string years_key = absl::StrCat(kMirrorYearsPrefix, unit.id());
  CounterDeltas deltas;
  if (before->has_value()) {
    absl::StatusOr<std::optional<std::string>> kept =
        db_->Get(kDefault, years_key);
    if (!kept.ok()) return kept.status();
    InScopeYears counted = LegacyYearsOf(**before);
    if (kept->has_value()) {
      std::optional<InScopeYears> decoded = DecodeYears(**kept);
      if (!decoded.has_value()) {
        return absl::DataLossError(absl::StrCat(
            "the in-scope years kept for unit ", unit.id(), " cannot be read"));
      }
      counted = *decoded;
    }
    AddMirrorUnit(**before, counted, -1, &deltas);
  }
  const InScopeYears years = YearsOf(after);
  AddMirrorUnit(after, years, +1, &deltas);
  rocksdb::WriteBatch batch;
  batch.Put(db_->cf(kDefault), years_key, EncodeYears(years));
  if (absl::Status s = StageCounters(deltas, &batch); !s.ok()) return s;
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(&after);
  if (!record.ok()) return record.status();
  batch.Put(db_->cf(kMirror), unit.id(), *record);
  const uint64_t position = std::max(sequence, registry_sequence_.load());
  batch.Put(db_->cf(kDefault), kRegistrySequenceKey,
            RocksDb::EncodeUint64(position));
  if (absl::Status s = audit_->Write(&batch, {unit.id()}); !s.ok()) return s;
  registry_sequence_.store(position);
  return absl::OkStatus();
}

absl::Status RocksDbScoringStore::AdvanceRegistrySequence(uint64_t sequence) {
  absl::MutexLock lock(&write_mu_);
  if (sequence <= registry_sequence_.load()) return absl::OkStatus();
  rocksdb::WriteBatch batch;
  batch.Put(db_->cf(kDefault), kRegistrySequenceKey,
            RocksDb::EncodeUint64(sequence));
  if (absl::Status s = audit_->Write(&batch, {}); !s.ok()) return s;
  registry_sequence_.store(sequence);
  return absl::OkStatus();
}

uint64_t RocksDbScoringStore::RegistrySequence() {
  return registry_sequence_.load();
}

absl::Status RocksDbScoringStore::MarkUnreadableUnit(absl::string_view unit_id,
                                                     bool unreadable) {
  absl::MutexLock lock(&write_mu_);
  rocksdb::WriteBatch batch;
  const std::string key = absl::StrCat(kUnreadablePrefix, unit_id);
  if (unreadable) {
    batch.Put(db_->cf(kDefault), key, "");
  } else {
    batch.Delete(db_->cf(kDefault), key);
  }
  return audit_->Write(&batch, {});
}

absl::StatusOr<std::vector<std::string>>
RocksDbScoringStore::UnreadableUnits() {
  std::vector<std::string> ids;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->cf(kDefault)));
  for (it->Seek(kUnreadablePrefix);
       it->Valid() && it->key().starts_with(kUnreadablePrefix); it->Next()) {
    ids.emplace_back(View(it->key()).substr(sizeof(kUnreadablePrefix) - 1));
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  return ids;
}

}  // namespace antt::scoring
