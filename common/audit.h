#ifndef ANTT_COMMON_AUDIT_H_
#define ANTT_COMMON_AUDIT_H_

// The hash-chained audit log each service keeps in its own store (SPEC
// section 4): every write a mutating call makes appends one record in the
// same RocksDB write as the change, so a change is never stored without its
// record nor a record without its change. Most calls make one write; a call
// that writes item by item (ImportUnits, BatchNominate) leaves one record per
// item written, each with the call's method and request digest.
//
// Record n's hash is the SHA-256 of its fields, length-prefixed in this order:
// "antt.audit.v1", sequence (decimal), time (seconds and nanos, decimal),
// caller, method, the count of target ids and each id, request_sha256 and
// previous_hash (record n-1's hash; 64 zeros for record 1), then — only when
// the record has any, so records written before them hash as they did — the
// count of record digests and each digest's table, key and sha256. Changing
// any stored byte of a record breaks its own hash; removing or reordering
// records breaks the links after them. Verify() finds the first record that
// fails.
//
// The digests cover the stored data itself: each write's puts and deletes in
// the store's record tables (units, persons, assessments, campaigns,
// nominations, decisions — not indexes, counters or mirrors, which are
// derived from them) are hashed into its audit record, and VerifyRecords()
// re-hashes every record against the last audited write of it.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "antt/audit/v1/audit.pb.h"
#include "common/audit_call.h"
#include "common/rocksdb_db.h"
#include "rocksdb/write_batch.h"

namespace antt {

class AuditLog final {
 public:
  // The chain in column family `cf` of `db` (not owned); reads its head.
  // `record_cfs`: the column families holding the store's records, whose
  // writes are digested into the audit records.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      RocksDb* db, int cf, std::vector<int> record_cfs = {});

  // Commits `batch` atomically with one audit record for the current call
  // naming `target_ids`. A write made while no call is served (the scoring
  // service's mirror of the registry, start-up work) is not a mutating RPC
  // and is committed without a record. Writes are serialized here, so
  // records are in commit order. Internal, and nothing written, when the
  // use case writing still waits for answers of another service (it would
  // write again on its next run: common/fetch_scope.h).
  [[nodiscard]] absl::Status Write(rocksdb::WriteBatch* batch,
                                   const std::vector<std::string>& target_ids,
                                   bool sync = false);

  // Records with sequence > after_sequence, at most `limit` and at most
  // kMaxPageBytes of them past the first (common/paging.h); `*more` says
  // whether any follow.
  [[nodiscard]] absl::StatusOr<std::vector<audit::v1::AuditRecord>> List(
      uint64_t after_sequence, int limit, bool* more);

  // Walks the whole chain from record 1. With an anchor (sequence > 0), the
  // chain must also reach record `anchor_sequence` with hash `anchor_hash`
  // (kept elsewhere from an earlier run), which catches records removed from
  // the end or a chain rebuilt from scratch. `cancelled` is polled every few
  // thousand records; when it says so the walk stops with Cancelled.
  [[nodiscard]] absl::StatusOr<audit::v1::VerifyAuditChainResponse> Verify(
      uint64_t anchor_sequence = 0, absl::string_view anchor_hash = "",
      const std::function<bool()>& cancelled = nullptr);

  // Verifies the chain (as Verify, without an anchor), then re-hashes every
  // record of the record column families against the digest of the last
  // audit record that wrote it, from one snapshot. Holds one digest per
  // record in memory (about 100 bytes each).
  [[nodiscard]] absl::StatusOr<audit::v1::VerifyRecordsResponse> VerifyRecords(
      const std::function<bool()>& cancelled = nullptr);

  // The last record committed: every record up to it is in the store.
  // Sequence 0 (and 64 zeros) when the chain is empty.
  struct Head {
    uint64_t sequence = 0;
    std::string hash;
  };
  [[nodiscard]] Head LastRecord();

  // The hash `record` should carry (its own `hash` field is ignored).
  [[nodiscard]] static std::string HashOf(const audit::v1::AuditRecord& record);
  [[nodiscard]] static std::string KeyOf(uint64_t sequence);

 private:
  AuditLog(RocksDb* db, int cf, std::vector<int> record_cfs)
      : db_(db), cf_(cf), record_cfs_(std::move(record_cfs)) {}

  // The digests of `batch`'s writes to the record column families.
  [[nodiscard]] absl::StatusOr<std::vector<audit::v1::RecordDigest>> DigestsOf(
      const rocksdb::WriteBatch& batch) const;
  // Walks the chain in `read` from record 1 (see Verify), handing each sound
  // record to `visit`.
  [[nodiscard]] absl::StatusOr<audit::v1::VerifyAuditChainResponse> Walk(
      const rocksdb::ReadOptions& read, uint64_t anchor_sequence,
      absl::string_view anchor_hash, const std::function<bool()>& cancelled,
      const std::function<void(const audit::v1::AuditRecord&)>& visit);

  RocksDb* db_;
  int cf_;
  std::vector<int> record_cfs_;
  absl::Mutex mu_;
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_hash_ ABSL_GUARDED_BY(mu_);
};

}  // namespace antt

#endif  // ANTT_COMMON_AUDIT_H_
