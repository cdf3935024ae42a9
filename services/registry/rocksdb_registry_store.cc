#include "services/registry/rocksdb_registry_store.h"

#include <algorithm>
#include <limits>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/date.h"
#include "common/field_violations.h"
#include "common/keys.h"
#include "common/paging.h"
#include "common/rocksdb_status.h"
#include "common/text.h"
#include "rocksdb/write_batch.h"
#include "services/registry/area_catalog.h"

namespace antt::registry {
namespace {

constexpr char kNextUnitKey[] = "next_unit";
constexpr char kNextPersonKey[] = "next_person";
constexpr char kLastChangeKey[] = "last_change";

std::string RequestKey(absl::string_view method, absl::string_view request_id) {
  return KeyBuilder(method).Raw(request_id).Build();
}

std::string TaxKey(absl::string_view tax_code) {
  return KeyBuilder("tax").Raw(tax_code).Build();
}
std::string ExternalKey(absl::string_view external_id) {
  return KeyBuilder("ext").Raw(external_id).Build();
}
std::string AllPrefix() { return KeyBuilder("all").Build(); }
std::string AreaPrefix(absl::string_view edition, absl::string_view code) {
  return KeyBuilder("area").Str(edition).Str(code).Build();
}
std::string UnitWordPrefix(absl::string_view word_prefix) {
  return KeyBuilder("uw").Raw(word_prefix).Build();
}
std::string PersonUnitPrefix(absl::string_view unit_id) {
  return KeyBuilder("pu").Str(unit_id).Build();
}
std::string PersonWordPrefix(absl::string_view word_prefix) {
  return KeyBuilder("pw").Raw(word_prefix).Build();
}

// kind, managing level, status, in scope: one byte each.
constexpr size_t kAttributesSize = 4;
std::string UnitAttributes(const v1::Unit& unit) {
  return std::string{static_cast<char>(unit.kind()),
                     static_cast<char>(unit.managing_level()),
                     static_cast<char>(unit.status()),
                     static_cast<char>(unit.in_scope() ? 1 : 0)};
}

bool AttributesMatch(absl::string_view attrs, const UnitQuery& q) {
  if (attrs.size() != kAttributesSize) return false;
  if (q.kind != v1::UNIT_KIND_UNSPECIFIED && attrs[0] != q.kind) return false;
  if (q.managing_level != v1::MANAGING_LEVEL_UNSPECIFIED &&
      attrs[1] != q.managing_level) {
    return false;
  }
  if (q.status != v1::UNIT_STATUS_UNSPECIFIED && attrs[2] != q.status) {
    return false;
  }
  if (q.in_scope.has_value() && (attrs[3] != 0) != *q.in_scope) return false;
  return true;
}

using IndexEntries = std::vector<std::pair<std::string, std::string>>;

IndexEntries UnitIndexEntries(const v1::Unit& unit) {
  IndexEntries entries;
  const std::string attrs = UnitAttributes(unit);
  if (unit.status() == v1::UNIT_STATUS_ACTIVE && !unit.tax_code().empty()) {
    entries.emplace_back(TaxKey(unit.tax_code()), unit.id());
  }
  if (!unit.external_id().empty()) {
    entries.emplace_back(ExternalKey(unit.external_id()), unit.id());
  }
  entries.emplace_back(AllPrefix() + unit.id(), attrs);
  const std::pair<absl::string_view, const std::string*> areas[] = {
      {kCurrentEdition, &unit.province_code()},
      {kCurrentEdition, &unit.commune_code()},
      {kLegacyEdition, &unit.legacy_province_code()},
      {kLegacyEdition, &unit.legacy_district_code()},
      {kLegacyEdition, &unit.legacy_commune_code()}};
  for (const auto& [edition, code] : areas) {
    if (!code->empty()) {
      entries.emplace_back(AreaPrefix(edition, *code) + unit.id(), attrs);
    }
  }
  // Word entries also carry the folded name, so a query is answered from
  // the index without reading records.
  const std::string folded = FoldForSearch(unit.name());
  for (const std::string& word : SearchWords(unit.name())) {
    entries.emplace_back(KeyBuilder("uw").Str(word).Raw(unit.id()).Build(),
                         attrs + folded);
  }
  return entries;
}

IndexEntries PersonIndexEntries(const v1::Person& person) {
  IndexEntries entries;
  if (!person.unit_id().empty()) {
    entries.emplace_back(PersonUnitPrefix(person.unit_id()) + person.id(), "");
  }
  const std::string folded = FoldForSearch(person.full_name());
  for (const std::string& word : SearchWords(person.full_name())) {
    entries.emplace_back(KeyBuilder("pw").Str(word).Raw(person.id()).Build(),
                         folded);
  }
  return entries;
}

bool UnitInArea(const v1::Unit& unit, absl::string_view edition,
                absl::string_view code) {
  if (edition == kCurrentEdition) {
    return unit.province_code() == code || unit.commune_code() == code;
  }
  return unit.legacy_province_code() == code ||
         unit.legacy_district_code() == code ||
         unit.legacy_commune_code() == code;
}

uint64_t EtagVersion(absl::string_view etag) {
  uint64_t version = 0;
  return absl::SimpleAtoi(etag, &version) ? version : 0;
}

// The id after the last separator of an index key.
absl::string_view IdSuffix(absl::string_view key) {
  const size_t sep = key.rfind(kKeySeparator);
  return sep == absl::string_view::npos ? key : key.substr(sep + 1);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksDbRegistryStore>>
RocksDbRegistryStore::Open(const std::string& path,
                           const RocksDbOptions& options) {
  std::unique_ptr<RocksDbRegistryStore> store(new RocksDbRegistryStore());
  absl::StatusOr<std::unique_ptr<RocksDb>> db = RocksDb::Open(
      path,
      {"default", "units", "persons", "changes", "requests", "index", "audit"},
      options);
  if (!db.ok()) return db.status();
  store->db_ = *std::move(db);
  absl::StatusOr<std::unique_ptr<AuditLog>> audit =
      AuditLog::Open(store->db_.get(), kAudit, {kUnits, kPersons});
  if (!audit.ok()) return audit.status();
  store->audit_ = *std::move(audit);
  if (absl::Status c = store->LoadCounters(); !c.ok()) return c;
  return store;
}

absl::Status RocksDbRegistryStore::LoadCounters() {
  absl::MutexLock lock(&write_mu_);
  const std::pair<const char*, uint64_t*> counters[] = {
      {kNextUnitKey, &next_unit_},
      {kNextPersonKey, &next_person_},
      {kLastChangeKey, &last_change_}};
  for (const auto& [key, value] : counters) {
    absl::StatusOr<uint64_t> stored = db_->GetUint64(kDefault, key, *value);
    if (!stored.ok()) return stored.status();
    *value = *stored;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Unit> RocksDbRegistryStore::GetUnit(absl::string_view id) {
  absl::StatusOr<std::optional<v1::Unit>> unit =
      db_->GetMessage<v1::Unit>(kUnits, id);
  if (!unit.ok()) return unit.status();
  if (!unit->has_value()) {
    return absl::NotFoundError(absl::StrCat("unit ", id, " does not exist"));
  }
  return **std::move(unit);
}

absl::Status RocksDbRegistryStore::CheckUniqueLocked(const v1::Unit& unit) {
  if (unit.status() == v1::UNIT_STATUS_ACTIVE && !unit.tax_code().empty()) {
    absl::StatusOr<std::optional<std::string>> holder =
        db_->Get(kIndex, TaxKey(unit.tax_code()));
    if (!holder.ok()) return holder.status();
    if (holder->has_value() && **holder != unit.id()) {
      return FieldError(absl::StatusCode::kAlreadyExists, "unit.tax_code",
                        absl::StrCat("tax code ", unit.tax_code(),
                                     " belongs to active unit ", **holder));
    }
  }
  if (!unit.external_id().empty()) {
    absl::StatusOr<std::optional<std::string>> holder =
        db_->Get(kIndex, ExternalKey(unit.external_id()));
    if (!holder.ok()) return holder.status();
    if (holder->has_value() && **holder != unit.id()) {
      return FieldError(absl::StatusCode::kAlreadyExists, "unit.external_id",
                        absl::StrCat("external id ", unit.external_id(),
                                     " belongs to unit ", **holder));
    }
  }
  return absl::OkStatus();
}

void RocksDbRegistryStore::AppendChange(rocksdb::WriteBatch* batch,
                                        v1::ChangeEntity entity,
                                        const std::string& id,
                                        v1::ChangeType type, absl::Time now) {
  v1::Change change;
  change.set_sequence(last_change_ + 1);
  change.set_entity(entity);
  change.set_id(id);
  change.set_type(type);
  *change.mutable_change_time() = ToTimestamp(now);
  batch->Put(db_->cf(kChanges), RocksDb::EncodeUint64(change.sequence()),
             change.SerializeAsString());
  batch->Put(db_->cf(kDefault), kLastChangeKey,
             RocksDb::EncodeUint64(change.sequence()));
}

absl::StatusOr<v1::Unit> RocksDbRegistryStore::WriteUnitLocked(
    const v1::Unit* before, v1::Unit after, const std::string& request_key) {
  if (absl::Status s = CheckUniqueLocked(after); !s.ok()) return s;
  const absl::Time now = absl::Now();
  *after.mutable_update_time() = ToTimestamp(now);
  after.set_etag(
      absl::StrCat(before == nullptr ? 1 : EtagVersion(before->etag()) + 1));

  rocksdb::WriteBatch batch;
  if (before != nullptr) {
    for (const auto& [key, unused] : UnitIndexEntries(*before)) {
      batch.Delete(db_->cf(kIndex), key);
    }
  }
  for (const auto& [key, value] : UnitIndexEntries(after)) {
    batch.Put(db_->cf(kIndex), key, value);
  }
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(&after);
  if (!record.ok()) return record.status();
  batch.Put(db_->cf(kUnits), after.id(), *record);
  v1::ChangeType type = v1::CHANGE_TYPE_CREATED;
  if (before != nullptr) {
    type = before->status() != v1::UNIT_STATUS_DISSOLVED &&
                   after.status() == v1::UNIT_STATUS_DISSOLVED
               ? v1::CHANGE_TYPE_DISSOLVED
               : v1::CHANGE_TYPE_UPDATED;
  }
  AppendChange(&batch, v1::CHANGE_ENTITY_UNIT, after.id(), type, now);
  if (before == nullptr) {
    batch.Put(db_->cf(kDefault), kNextUnitKey,
              RocksDb::EncodeUint64(next_unit_ + 1));
  }
  if (!request_key.empty()) {
    batch.Put(db_->cf(kRequests), request_key, *record);
  }

  if (absl::Status s = audit_->Write(&batch, {after.id()}); !s.ok()) return s;
  ++last_change_;
  if (before == nullptr) ++next_unit_;
  return after;
}

absl::StatusOr<v1::Unit> RocksDbRegistryStore::CreateUnit(
    v1::Unit unit, absl::string_view request_id) {
  absl::MutexLock lock(&write_mu_);
  std::string request_key;
  if (!request_id.empty()) {
    request_key = RequestKey("CreateUnit", request_id);
    absl::StatusOr<std::optional<v1::Unit>> first =
        db_->GetMessage<v1::Unit>(kRequests, request_key);
    if (!first.ok()) return first.status();
    if (first->has_value()) return **std::move(first);
  }
  unit.set_id(absl::StrFormat("U%010d", next_unit_));
  unit.set_status(v1::UNIT_STATUS_ACTIVE);
  unit.clear_dissolve_date();
  unit.clear_dissolve_reason();
  *unit.mutable_create_time() = ToTimestamp(absl::Now());
  return WriteUnitLocked(nullptr, std::move(unit), request_key);
}

absl::StatusOr<v1::Unit> RocksDbRegistryStore::UpdateUnit(
    absl::string_view id, const UnitMutator& mutate) {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<v1::Unit> before = GetUnit(id);
  if (!before.ok()) return before.status();
  v1::Unit after = *before;
  if (absl::Status s = mutate(&after); !s.ok()) return s;
  // The mutator may not change identity or history.
  after.set_id(before->id());
  *after.mutable_create_time() = before->create_time();
  return WriteUnitLocked(&*before, std::move(after), "");
}

absl::StatusOr<std::pair<v1::Unit, UpsertOutcome>>
RocksDbRegistryStore::UpsertUnit(const v1::Unit& incoming,
                                 const UnitUpserter& upsert) {
  absl::MutexLock lock(&write_mu_);
  std::string match_key;
  if (incoming.kind() == v1::UNIT_KIND_ENTERPRISE) {
    match_key = TaxKey(incoming.tax_code());
  } else if (!incoming.external_id().empty()) {
    match_key = ExternalKey(incoming.external_id());
  }
  std::optional<v1::Unit> existing;
  if (!match_key.empty()) {
    absl::StatusOr<std::optional<std::string>> id = db_->Get(kIndex, match_key);
    if (!id.ok()) return id.status();
    if (id->has_value()) {
      absl::StatusOr<v1::Unit> unit = GetUnit(**id);
      if (!unit.ok()) return unit.status();
      existing = *std::move(unit);
    }
  }
  v1::Unit result;
  if (absl::Status s = upsert(existing ? &*existing : nullptr, &result);
      !s.ok()) {
    return s;
  }
  if (existing.has_value()) {
    result.set_id(existing->id());
    *result.mutable_create_time() = existing->create_time();
    absl::StatusOr<v1::Unit> written =
        WriteUnitLocked(&*existing, std::move(result), "");
    if (!written.ok()) return written.status();
    return std::make_pair(*std::move(written), UpsertOutcome::kUpdated);
  }
  result.set_id(absl::StrFormat("U%010d", next_unit_));
  result.set_status(v1::UNIT_STATUS_ACTIVE);
  *result.mutable_create_time() = ToTimestamp(absl::Now());
  absl::StatusOr<v1::Unit> written =
      WriteUnitLocked(nullptr, std::move(result), "");
  if (!written.ok()) return written.status();
  return std::make_pair(*std::move(written), UpsertOutcome::kCreated);
}

absl::StatusOr<UnitPage> RocksDbRegistryStore::ListUnits(const UnitQuery& q) {
  const Snapshot snapshot(db_->db());
  rocksdb::ReadOptions read = snapshot.read();

  const std::vector<std::string> words =
      absl::StrSplit(q.folded_query, ' ', absl::SkipEmpty());
  std::string prefix;
  if (!words.empty()) {
    absl::StatusOr<std::string> word = MostSelectiveWord(read, "uw", words);
    if (!word.ok()) return word.status();
    prefix = UnitWordPrefix(*word);
  } else if (!q.area_code.empty()) {
    prefix = AreaPrefix(q.edition, q.area_code);
  } else {
    prefix = AllPrefix();
  }

  // The ids that pass every filter the index entry can decide: attributes,
  // and for a query the whole folded name (kept in the word index). Without
  // a query the index is in id order and holds each unit once, so the page
  // is taken while counting; only a query's matches are collected (a unit
  // may have two words with the same prefix) and de-duplicated.
  UnitPage page;
  std::vector<std::string> page_ids;
  std::vector<std::string> matches;
  const auto take = [&](std::string id) {
    ++page.total_size;
    if (id <= q.after_id) return;
    if (static_cast<int>(page_ids.size()) == q.page_size) {
      page.more = true;
      return;
    }
    page_ids.push_back(std::move(id));
  };
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(kIndex)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    const absl::string_view value = View(it->value());
    if (!AttributesMatch(value.substr(0, kAttributesSize), q)) continue;
    if (words.empty()) {
      take(std::string(IdSuffix(View(it->key()))));
    } else if (MatchesQuery(value.substr(kAttributesSize), q.folded_query)) {
      matches.emplace_back(IdSuffix(View(it->key())));
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  read.iterate_upper_bound = nullptr;

  if (!words.empty()) {
    std::sort(matches.begin(), matches.end());
    matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
    // The word index knows no areas: an area filter is checked on records.
    for (std::string& id : matches) {
      if (!q.area_code.empty()) {
        absl::StatusOr<v1::Unit> unit = ReadUnit(read, id);
        if (!unit.ok()) return unit.status();
        if (!UnitInArea(*unit, q.edition, q.area_code)) continue;
      }
      take(std::move(id));
    }
  }
  PageFill fill(q.page_size);
  for (const std::string& id : page_ids) {
    absl::StatusOr<v1::Unit> unit = ReadUnit(read, id);
    if (!unit.ok()) return unit.status();
    if (!fill.Take(unit->ByteSizeLong())) {
      page.more = true;
      break;
    }
    page.units.push_back(*std::move(unit));
  }
  return page;
}

absl::StatusOr<v1::Unit> RocksDbRegistryStore::ReadUnit(
    const rocksdb::ReadOptions& read, const std::string& id) {
  absl::StatusOr<std::optional<v1::Unit>> unit =
      db_->GetMessage<v1::Unit>(kUnits, id, read);
  if (!unit.ok()) return unit.status();
  if (!unit->has_value()) return absl::NotFoundError(absl::StrCat("unit ", id));
  return **std::move(unit);
}

absl::StatusOr<std::string> RocksDbRegistryStore::MostSelectiveWord(
    const rocksdb::ReadOptions& read, absl::string_view index,
    const std::vector<std::string>& words) {
  // Counting stops at a cap: past it, any word is as bad as another.
  constexpr int kCap = 4096;
  const std::string* best = &words.front();
  int best_count = kCap + 1;
  for (const std::string& word : words) {
    const std::string prefix = KeyBuilder(index).Raw(word).Build();
    const std::string limit = PrefixSuccessor(prefix);
    rocksdb::Slice upper(limit);
    rocksdb::ReadOptions bounded = read;
    bounded.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->db()->NewIterator(bounded, db_->cf(kIndex)));
    int count = 0;
    for (it->Seek(prefix); it->Valid() && count < best_count; it->Next()) {
      ++count;
    }
    if (!it->status().ok()) return FromRocksDb(it->status());
    if (count < best_count) {
      best = &word;
      best_count = count;
    }
  }
  return *best;
}

absl::StatusOr<std::vector<v1::Change>> RocksDbRegistryStore::ListChanges(
    uint64_t after_sequence, int page_size) {
  std::vector<v1::Change> changes;
  if (after_sequence == std::numeric_limits<uint64_t>::max()) return changes;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->cf(kChanges)));
  for (it->Seek(RocksDb::EncodeUint64(after_sequence + 1));
       it->Valid() && static_cast<int>(changes.size()) < page_size;
       it->Next()) {
    v1::Change change;
    if (!change.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a change-feed entry cannot be parsed");
    }
    changes.push_back(std::move(change));
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  return changes;
}

absl::StatusOr<uint64_t> RocksDbRegistryStore::LastChangeSequence() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->cf(kChanges)));
  it->SeekToLast();
  if (!it->status().ok()) return FromRocksDb(it->status());
  if (!it->Valid()) return uint64_t{0};
  absl::string_view key = View(it->key());
  const std::optional<uint64_t> sequence = ConsumeUint64(&key);
  if (!sequence.has_value() || !key.empty()) {
    return absl::DataLossError("a change-feed key is not 8 bytes");
  }
  return *sequence;
}

absl::StatusOr<v1::Person> RocksDbRegistryStore::GetPerson(
    absl::string_view id) {
  absl::StatusOr<std::optional<v1::Person>> person =
      db_->GetMessage<v1::Person>(kPersons, id);
  if (!person.ok()) return person.status();
  if (!person->has_value()) {
    return absl::NotFoundError(absl::StrCat("person ", id, " does not exist"));
  }
  return **std::move(person);
}

absl::StatusOr<v1::Person> RocksDbRegistryStore::WritePersonLocked(
    const v1::Person* before, v1::Person after,
    const std::string& request_key) {
  const absl::Time now = absl::Now();
  *after.mutable_update_time() = ToTimestamp(now);
  after.set_etag(
      absl::StrCat(before == nullptr ? 1 : EtagVersion(before->etag()) + 1));
  rocksdb::WriteBatch batch;
  if (before != nullptr) {
    for (const auto& [key, unused] : PersonIndexEntries(*before)) {
      batch.Delete(db_->cf(kIndex), key);
    }
  }
  for (const auto& [key, value] : PersonIndexEntries(after)) {
    batch.Put(db_->cf(kIndex), key, value);
  }
  absl::StatusOr<std::string> record = RocksDb::EncodeRecord(&after);
  if (!record.ok()) return record.status();
  batch.Put(db_->cf(kPersons), after.id(), *record);
  AppendChange(
      &batch, v1::CHANGE_ENTITY_PERSON, after.id(),
      before == nullptr ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED,
      now);
  if (before == nullptr) {
    batch.Put(db_->cf(kDefault), kNextPersonKey,
              RocksDb::EncodeUint64(next_person_ + 1));
  }
  if (!request_key.empty()) {
    batch.Put(db_->cf(kRequests), request_key, *record);
  }
  if (absl::Status s = audit_->Write(&batch, {after.id()}); !s.ok()) return s;
  ++last_change_;
  if (before == nullptr) ++next_person_;
  return after;
}

absl::StatusOr<v1::Person> RocksDbRegistryStore::CreatePerson(
    v1::Person person, absl::string_view request_id) {
  absl::MutexLock lock(&write_mu_);
  std::string request_key;
  if (!request_id.empty()) {
    request_key = RequestKey("CreatePerson", request_id);
    absl::StatusOr<std::optional<v1::Person>> first =
        db_->GetMessage<v1::Person>(kRequests, request_key);
    if (!first.ok()) return first.status();
    if (first->has_value()) return **std::move(first);
  }
  person.set_id(absl::StrFormat("P%010d", next_person_));
  if (person.status() == v1::PERSON_STATUS_UNSPECIFIED) {
    person.set_status(v1::PERSON_STATUS_ACTIVE);
  }
  *person.mutable_create_time() = ToTimestamp(absl::Now());
  return WritePersonLocked(nullptr, std::move(person), request_key);
}

absl::StatusOr<v1::Person> RocksDbRegistryStore::UpdatePerson(
    absl::string_view id, const PersonMutator& mutate) {
  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<v1::Person> before = GetPerson(id);
  if (!before.ok()) return before.status();
  v1::Person after = *before;
  if (absl::Status s = mutate(&after); !s.ok()) return s;
  after.set_id(before->id());
  *after.mutable_create_time() = before->create_time();
  return WritePersonLocked(&*before, std::move(after), "");
}

absl::StatusOr<PersonPage> RocksDbRegistryStore::ListPersons(
    const PersonQuery& q) {
  const Snapshot snapshot(db_->db());
  rocksdb::ReadOptions read = snapshot.read();

  const std::vector<std::string> words =
      absl::StrSplit(q.folded_query, ' ', absl::SkipEmpty());
  Cf cf = kIndex;
  std::string prefix;
  if (!words.empty()) {
    absl::StatusOr<std::string> word = MostSelectiveWord(read, "pw", words);
    if (!word.ok()) return word.status();
    prefix = PersonWordPrefix(*word);
  } else if (!q.unit_id.empty()) {
    prefix = PersonUnitPrefix(q.unit_id);
  } else {
    cf = kPersons;  // every person, in id order
  }
  std::vector<std::string> candidates;
  const std::string limit = PrefixSuccessor(prefix);
  rocksdb::Slice upper(limit);
  if (!prefix.empty()) read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(cf)));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    if (cf == kPersons) {
      candidates.emplace_back(View(it->key()));
      continue;
    }
    // Word entries carry the folded name: the query is decided here.
    if (!words.empty() && !MatchesQuery(View(it->value()), q.folded_query)) {
      continue;
    }
    candidates.emplace_back(IdSuffix(View(it->key())));
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  read.iterate_upper_bound = nullptr;
  if (!words.empty()) {
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()),
                     candidates.end());
  }

  // A query scanned the word index, which knows no workplaces: the unit
  // filter is checked on the records.
  const bool check_unit = !words.empty() && !q.unit_id.empty();
  PersonPage page;
  PageFill fill(q.page_size);
  for (const std::string& id : candidates) {
    std::optional<v1::Person> person;
    if (check_unit) {
      absl::StatusOr<v1::Person> read_person = ReadPerson(read, id);
      if (!read_person.ok()) return read_person.status();
      if (read_person->unit_id() != q.unit_id) continue;
      person = *std::move(read_person);
    }
    ++page.total_size;
    if (id <= q.after_id || fill.full()) {
      page.more = page.more || fill.full();
      continue;
    }
    if (!person.has_value()) {
      absl::StatusOr<v1::Person> read_person = ReadPerson(read, id);
      if (!read_person.ok()) return read_person.status();
      person = *std::move(read_person);
    }
    if (!fill.Take(person->ByteSizeLong())) {
      page.more = true;
      continue;
    }
    page.persons.push_back(*std::move(person));
  }
  return page;
}

absl::StatusOr<v1::Person> RocksDbRegistryStore::ReadPerson(
    const rocksdb::ReadOptions& read, const std::string& id) {
  absl::StatusOr<std::optional<v1::Person>> person =
      db_->GetMessage<v1::Person>(kPersons, id, read);
  if (!person.ok()) return person.status();
  if (!person->has_value()) {
    return absl::NotFoundError(absl::StrCat("person ", id));
  }
  return **std::move(person);
}

uint64_t RocksDbRegistryStore::ApproximateSizeBytes() {
  return db_->ApproximateSizeBytes();
}

}  // namespace antt::registry
