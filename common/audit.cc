#include "common/audit.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/date.h"
#include "common/digest.h"
#include "common/fetch_scope.h"

namespace antt {
namespace {

const std::string& GenesisHash() {
  static const std::string* const zeros = new std::string(64, '0');
  return *zeros;
}

void AppendField(std::string* out, absl::string_view field) {
  absl::StrAppend(out, field.size(), ":", field, ";");
}

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
  return Sha256Hex(text);
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(RocksDb* db, int cf) {
  std::unique_ptr<AuditLog> log(new AuditLog(db, cf));
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

  absl::MutexLock lock(&mu_);
  audit::v1::AuditRecord record;
  record.set_sequence(last_sequence_ + 1);
  *record.mutable_time() = ToTimestamp(absl::Now());
  record.set_caller(call->caller);
  record.set_method(call->method);
  for (const std::string& id : target_ids) record.add_target_ids(id);
  record.set_request_sha256(call->RequestSha256());
  record.set_previous_hash(last_hash_);
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
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->cf(cf_)));
  for (it->Seek(KeyOf(after_sequence + 1)); it->Valid(); it->Next()) {
    if (static_cast<int>(records.size()) == limit) {
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

absl::StatusOr<audit::v1::VerifyAuditChainResponse> AuditLog::Verify(
    uint64_t anchor_sequence, absl::string_view anchor_hash,
    const std::function<bool()>& cancelled) {
  constexpr uint64_t kPollEvery = 4096;
  audit::v1::VerifyAuditChainResponse result;
  result.set_intact(true);
  const auto broken = [&](uint64_t sequence, std::string problem) {
    result.set_intact(false);
    result.set_first_broken_sequence(sequence);
    result.set_problem(std::move(problem));
  };
  // A snapshot: records appended while we walk are left for the next run.
  const Snapshot snapshot(db_->db());
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(snapshot.read(), db_->cf(cf_)));
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

}  // namespace antt
