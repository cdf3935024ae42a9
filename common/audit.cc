#include "common/audit.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/date.h"
#include "common/digest.h"
#include "common/fetch_scope.h"
#include "common/paging.h"

namespace antt {
namespace {

const std::string& GenesisHash() {
  static const std::string* const zeros = new std::string(64, '0');
  return *zeros;
}

void AppendField(std::string* out, absl::string_view field) {
  absl::StrAppend(out, field.size(), ":", field, ";");
}

constexpr int kMaxRecordProblems = 100;

// Collects a write batch's puts and deletes in the record column families
// (by RocksDB column family id → the family's name).
class DigestCollector final : public rocksdb::WriteBatch::Handler {
 public:
  explicit DigestCollector(
      const absl::flat_hash_map<uint32_t, std::string>* tables)
      : tables_(tables) {}

  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    Add(cf, key, Sha256Hex(View(value)));
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    Add(cf, key, "");
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(uint32_t cf,
                                 const rocksdb::Slice& key) override {
    Add(cf, key, "");
    return rocksdb::Status::OK();
  }
  // Records are written whole: a merge or a range delete in a record table
  // could not be digested, so it is refused rather than left unaudited.
  rocksdb::Status MergeCF(uint32_t cf, const rocksdb::Slice&,
                          const rocksdb::Slice&) override {
    return Refuse(cf, "merge");
  }
  rocksdb::Status DeleteRangeCF(uint32_t cf, const rocksdb::Slice&,
                                const rocksdb::Slice&) override {
    return Refuse(cf, "range delete");
  }

  std::vector<audit::v1::RecordDigest> Take() { return std::move(digests_); }

 private:
  void Add(uint32_t cf, const rocksdb::Slice& key, std::string sha256) {
    auto table = tables_->find(cf);
    if (table == tables_->end()) return;
    audit::v1::RecordDigest& digest = digests_.emplace_back();
    digest.set_table(table->second);
    digest.set_key(key.data(), key.size());
    digest.set_sha256(std::move(sha256));
  }
  rocksdb::Status Refuse(uint32_t cf, absl::string_view what) const {
    if (!tables_->contains(cf)) return rocksdb::Status::OK();
    return rocksdb::Status::InvalidArgument(
        absl::StrCat("a ", what, " in a record table cannot be audited"));
  }

  const absl::flat_hash_map<uint32_t, std::string>* tables_;
  std::vector<audit::v1::RecordDigest> digests_;
};

}  // namespace

std::string AuditLog::KeyOf(uint64_t sequence) {
  return RocksDb::EncodeUint64(sequence);
}

std::string AuditLog::HashOf(const audit::v1::AuditRecord& record) {
  std::string text;
  AppendField(&text, "antt.audit.v1");
  AppendField(&text, absl::StrCat(record.sequence()));
  AppendField(
      &text, absl::StrCat(record.time().seconds(), ".", record.time().nanos()));
  AppendField(&text, record.caller());
  AppendField(&text, record.method());
  AppendField(&text, absl::StrCat(record.target_ids_size()));
  for (const std::string& id : record.target_ids()) AppendField(&text, id);
  AppendField(&text, record.request_sha256());
  AppendField(&text, record.previous_hash());
  if (!record.records().empty()) {
    AppendField(&text, absl::StrCat(record.records_size()));
    for (const audit::v1::RecordDigest& digest : record.records()) {
      AppendField(&text, digest.table());
      AppendField(&text, digest.key());
      AppendField(&text, digest.sha256());
    }
  }
  return Sha256Hex(text);
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    RocksDb* db, int cf, std::vector<int> record_cfs) {
  std::unique_ptr<AuditLog> log(new AuditLog(db, cf, std::move(record_cfs)));
  absl::MutexLock lock(&log->mu_);
  log->last_hash_ = GenesisHash();
  std::unique_ptr<rocksdb::Iterator> it(
      db->db()->NewIterator(rocksdb::ReadOptions(), db->cf(cf)));
  it->SeekToLast();
  if (it->Valid()) {
    audit::v1::AuditRecord last;
    if (!last.ParseFromArray(it->value().data(),
                             static_cast<int>(it->value().size()))) {
      return absl::DataLossError("the last audit record cannot be parsed");
    }
    log->last_sequence_ = last.sequence();
    log->last_hash_ = last.hash();
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  return log;
}

absl::Status AuditLog::Write(rocksdb::WriteBatch* batch,
                             const std::vector<std::string>& target_ids,
                             bool sync) {
  if (const FetchScope* scope = FetchScope::Current();
      scope != nullptr && scope->has_wanted()) {
    return absl::InternalError(
        "a write was attempted before the answers of another service it "
        "depends on were fetched; nothing was written");
  }
  const AuditCall* call = CurrentAuditCall();
  if (call == nullptr) return db_->Write(batch, sync);
  // Hashed before the lock: every write waits for the one holding it.
  const std::string& request_sha256 = call->RequestSha256();
  absl::StatusOr<std::vector<audit::v1::RecordDigest>> digests =
      DigestsOf(*batch);
  if (!digests.ok()) return digests.status();

  absl::MutexLock lock(&mu_);
  audit::v1::AuditRecord record;
  record.set_sequence(last_sequence_ + 1);
  *record.mutable_time() = ToTimestamp(absl::Now());
  record.set_caller(call->caller);
  record.set_method(call->method);
  for (const std::string& id : target_ids) record.add_target_ids(id);
  record.set_request_sha256(request_sha256);
  record.set_previous_hash(last_hash_);
  for (audit::v1::RecordDigest& digest : *digests) {
    *record.add_records() = std::move(digest);
  }
  record.set_hash(HashOf(record));
  if (rocksdb::Status s = batch->Put(db_->cf(cf_), KeyOf(record.sequence()),
                                     record.SerializeAsString());
      !s.ok()) {
    return FromRocksDb(s);
  }
  if (absl::Status s = db_->Write(batch, sync); !s.ok()) return s;
  last_sequence_ = record.sequence();
  last_hash_ = record.hash();
  return absl::OkStatus();
}

AuditLog::Head AuditLog::LastRecord() {
  absl::MutexLock lock(&mu_);
  return Head{last_sequence_, last_hash_};
}

absl::StatusOr<std::vector<audit::v1::AuditRecord>> AuditLog::List(
    uint64_t after_sequence, int limit, bool* more) {
  std::vector<audit::v1::AuditRecord> records;
  *more = false;
  // A record of a large write (a decision for 10,000 nominations) carries
  // 10,000 ids and digests: the page also ends at its byte budget.
  PageFill fill(limit);
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->cf(cf_)));
  for (it->Seek(KeyOf(after_sequence + 1)); it->Valid(); it->Next()) {
    if (!fill.Take(it->value().size())) {
      *more = true;
      break;
    }
    const uint64_t previous =
        records.empty() ? after_sequence : records.back().sequence();
    audit::v1::AuditRecord& record = records.emplace_back();
    if (!record.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("the audit record after number ",
                                              previous, " cannot be parsed"));
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  return records;
}

absl::StatusOr<std::vector<audit::v1::RecordDigest>> AuditLog::DigestsOf(
    const rocksdb::WriteBatch& batch) const {
  if (record_cfs_.empty()) return std::vector<audit::v1::RecordDigest>();
  absl::flat_hash_map<uint32_t, std::string> tables;
  for (int index : record_cfs_) {
    rocksdb::ColumnFamilyHandle* handle = db_->cf(index);
    tables[handle->GetID()] = handle->GetName();
  }
  DigestCollector collector(&tables);
  if (rocksdb::Status s = batch.Iterate(&collector); !s.ok()) {
    return absl::InternalError(
        absl::StrCat("the write cannot be audited: ", s.ToString()));
  }
  return collector.Take();
}

absl::StatusOr<audit::v1::VerifyAuditChainResponse> AuditLog::Verify(
    uint64_t anchor_sequence, absl::string_view anchor_hash,
    const std::function<bool()>& cancelled) {
  // A snapshot: records appended while we walk are left for the next run.
  const Snapshot snapshot(db_->db());
  return Walk(snapshot.read(), anchor_sequence, anchor_hash, cancelled,
              nullptr);
}

absl::StatusOr<audit::v1::VerifyAuditChainResponse> AuditLog::Walk(
    const rocksdb::ReadOptions& read, uint64_t anchor_sequence,
    absl::string_view anchor_hash, const std::function<bool()>& cancelled,
    const std::function<void(const audit::v1::AuditRecord&)>& visit) {
  constexpr uint64_t kPollEvery = 4096;
  audit::v1::VerifyAuditChainResponse result;
  result.set_intact(true);
  const auto broken = [&](uint64_t sequence, std::string problem) {
    result.set_intact(false);
    result.set_first_broken_sequence(sequence);
    result.set_problem(std::move(problem));
  };
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read, db_->cf(cf_)));
  uint64_t expected = 1;
  std::string previous_hash = GenesisHash();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
    if (cancelled && expected % kPollEvery == 0 && cancelled()) {
      return absl::CancelledError(absl::StrCat(
          "verification stopped at record ", expected, ": call cancelled"));
    }
    audit::v1::AuditRecord record;
    if (View(it->key()) != KeyOf(expected)) {
      broken(expected,
             absl::StrCat("record ", expected, " is missing or out of order"));
      break;
    }
    if (!record.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      broken(expected, "the record cannot be parsed");
      break;
    }
    if (record.sequence() != expected) {
      broken(expected,
             absl::StrCat("the record says it is number ", record.sequence()));
      break;
    }
    if (record.previous_hash() != previous_hash) {
      broken(expected,
             "previous_hash does not match the hash of the record before");
      break;
    }
    if (HashOf(record) != record.hash()) {
      broken(expected, "the record's contents do not match its hash");
      break;
    }
    if (expected == anchor_sequence && record.hash() != anchor_hash) {
      broken(expected,
             "the record's hash is not the anchor's: the chain up to here was "
             "rewritten");
      break;
    }
    result.set_records_checked(expected);
    result.set_last_sequence(expected);
    result.set_last_hash(record.hash());
    previous_hash = record.hash();
    if (visit) visit(record);
  }
  if (!it->status().ok()) return FromRocksDb(it->status());
  if (result.intact() && result.last_sequence() < anchor_sequence) {
    broken(result.last_sequence() + 1,
           absl::StrCat("the chain ends at record ", result.last_sequence(),
                        ", before the anchor at ", anchor_sequence,
                        ": records were removed from its end"));
  }
  return result;
}

absl::StatusOr<audit::v1::VerifyRecordsResponse> AuditLog::VerifyRecords(
    const std::function<bool()>& cancelled) {
  audit::v1::VerifyRecordsResponse result;
  // The chain and the records from one moment: a record and the audit
  // record of its write are committed together.
  const Snapshot snapshot(db_->db());
  struct Written {
    std::string sha256;  // empty: deleted
    uint64_t sequence = 0;
  };
  // "<table>\0<key>" → the last audited write of that record.
  absl::flat_hash_map<std::string, Written> written;
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> chain =
      Walk(snapshot.read(), 0, "", cancelled,
           [&written](const audit::v1::AuditRecord& record) {
             for (const audit::v1::RecordDigest& d : record.records()) {
               written[absl::StrCat(d.table(), std::string(1, '\0'), d.key())] =
                   Written{d.sha256(), record.sequence()};
             }
           });
  if (!chain.ok()) return chain.status();
  result.set_audit_records_read(chain->records_checked());
  if (!chain->intact()) {
    result.set_intact(false);
    result.set_chain_broken_sequence(chain->first_broken_sequence());
    result.set_chain_problem(chain->problem());
    return result;
  }

  std::vector<audit::v1::RecordProblem> problems;
  const auto report = [&](absl::string_view table, absl::string_view key,
                          audit::v1::RecordProblem::Kind kind,
                          uint64_t sequence) {
    audit::v1::RecordProblem& problem = problems.emplace_back();
    problem.set_table(std::string(table));
    problem.set_key(std::string(key));
    problem.set_kind(kind);
    problem.set_last_sequence(sequence);
  };
  constexpr uint64_t kPollEvery = 4096;
  uint64_t checked = 0;
  for (int index : record_cfs_) {
    rocksdb::ColumnFamilyHandle* handle = db_->cf(index);
    const std::string& table = handle->GetName();
    std::unique_ptr<rocksdb::Iterator> it(
        db_->db()->NewIterator(snapshot.read(), handle));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++checked;
      if (cancelled && checked % kPollEvery == 0 && cancelled()) {
        return absl::CancelledError(absl::StrCat(
            "verification stopped in table ", table, ": call cancelled"));
      }
      const absl::string_view key = View(it->key());
      auto last = written.find(absl::StrCat(table, std::string(1, '\0'), key));
      if (last == written.end()) {
        report(table, key, audit::v1::RecordProblem::UNAUDITED, 0);
        continue;
      }
      if (last->second.sha256 != Sha256Hex(View(it->value()))) {
        report(table, key, audit::v1::RecordProblem::CHANGED,
               last->second.sequence);
      }
      written.erase(last);
    }
    if (!it->status().ok()) return FromRocksDb(it->status());
  }
  // What the audit says is stored and was not found.
  for (const auto& [table_key, last] : written) {
    if (last.sha256.empty()) continue;  // deleted, and gone
    const size_t separator = table_key.find('\0');
    report(absl::string_view(table_key).substr(0, separator),
           absl::string_view(table_key).substr(separator + 1),
           audit::v1::RecordProblem::MISSING, last.sequence);
  }
  std::sort(
      problems.begin(), problems.end(),
      [](const audit::v1::RecordProblem& a, const audit::v1::RecordProblem& b) {
        return std::tie(a.table(), a.key()) < std::tie(b.table(), b.key());
      });
  result.set_records_checked(checked);
  result.set_intact(problems.empty());
  for (audit::v1::RecordProblem& problem : problems) {
    if (result.problems_size() == kMaxRecordProblems) {
      result.set_problems_omitted(result.problems_omitted() + 1);
      continue;
    }
    *result.add_problems() = std::move(problem);
  }
  return result;
}

}  // namespace antt
