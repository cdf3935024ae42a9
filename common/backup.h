#ifndef ANTT_COMMON_BACKUP_H_
#define ANTT_COMMON_BACKUP_H_

// Backups of a service's RocksDB store with RocksDB's BackupEngine: taken
// while the service runs (Backups, behind antt.admin.v1.AdminService) and
// restored offline into a stopped service's database directory
// (RestoreBackup, behind `anttctl admin restore`).
//
// A backup directory holds BackupEngine's own layout (meta/, private/,
// shared_checksum/): table files are shared between backups, so a new
// backup copies only the files the last one lacks. Each backup's metadata
// records the audit chain head when it began (JSON: last_audit_sequence,
// last_audit_hash).

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "antt/admin/v1/admin.pb.h"
#include "common/audit.h"
#include "common/metrics.h"
#include "common/rocksdb_db.h"
#include "rocksdb/utilities/backup_engine.h"

namespace antt {

// The backups of one running store. Thread-safe: CreateBackup and
// DeleteBackup are serialized (one BackupEngine, one writer at a time);
// ListBackups and VerifyBackup run side by side but wait for a write.
class Backups final {
 public:
  // Backups of `db` in `backup_dir` (created when missing), each recording
  // the head of `audit`; neither is owned, both must outlive this object.
  // An empty `backup_dir` gives a Backups that refuses every call with
  // FailedPrecondition naming --backup_dir. InvalidArgument naming
  // --backup_dir when it is the database directory or lies inside it, or
  // cannot be created; RocksDB's error when the directory cannot be opened.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Backups>> Open(
      const std::string& backup_dir, RocksDb* db, AuditLog* audit);

  // A new backup of the live store: memtables flushed, the write-ahead log
  // included, so every write committed before the call is in it. With
  // `verify`, every file is read back and checksummed; a backup that fails is
  // deleted again and the call fails with DataLoss. On success one audit
  // record for the current call names "backup-<id>" (none when the thread
  // serves no call).
  [[nodiscard]] absl::StatusOr<admin::v1::BackupInfo> Create(bool verify);

  // Every backup, oldest first.
  [[nodiscard]] absl::StatusOr<std::vector<admin::v1::BackupInfo>> List();

  // Deletes backup `id` and the files only it held, then appends the audit
  // record naming it. InvalidArgument (field backup_id) for 0; NotFound
  // (field backup_id) for an id the directory does not hold.
  [[nodiscard]] absl::Status Delete(uint32_t id);

  // Checks every file of backup `id` (size and CRC32C). A backup that fails
  // is an answer (intact false, the problem), not an error. InvalidArgument
  // and NotFound as for Delete.
  [[nodiscard]] absl::StatusOr<admin::v1::VerifyBackupResponse> Verify(
      uint32_t id);

  // The name an audit record gives backup `id`: "backup-7".
  [[nodiscard]] static std::string TargetId(uint32_t id);

  // antt_backup_last_success_timestamp_seconds and
  // antt_backup_last_size_bytes (the newest backup in the directory, as
  // opened and as taken since; 0 when there is none) and
  // antt_backup_failures_total (Create calls that failed since start).
  // Read from atomics: a scrape never waits for a backup being taken.
  // Nothing without --backup_dir. Valid while this object lives.
  [[nodiscard]] GaugeCollector Gauges();

 private:
  Backups(std::string dir, RocksDb* db, AuditLog* audit,
          std::unique_ptr<rocksdb::BackupEngine> engine)
      : dir_(std::move(dir)),
        db_(db),
        audit_(audit),
        engine_(std::move(engine)) {}

  // OK, or FailedPrecondition when there is no --backup_dir.
  [[nodiscard]] absl::Status CheckEnabled() const;
  // The info of backup `id`; NotFound (field backup_id) when absent.
  [[nodiscard]] absl::StatusOr<admin::v1::BackupInfo> InfoLocked(uint32_t id)
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Sets the newest backup's time and size from the directory.
  void NoteNewestLocked() ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Wraps Create, counting failures.
  [[nodiscard]] absl::StatusOr<admin::v1::BackupInfo> CreateLocked(bool verify)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string dir_;
  RocksDb* const db_;
  AuditLog* const audit_;
  absl::Mutex mu_;
  // nullptr without --backup_dir.
  const std::unique_ptr<rocksdb::BackupEngine> engine_ ABSL_PT_GUARDED_BY(mu_);
  std::atomic<int64_t> newest_time_{0};  // unix seconds; 0: no backup
  std::atomic<uint64_t> newest_bytes_{0};
  std::atomic<uint64_t> failures_{0};
};

// An offline restore: `backup_id` (the latest when unset) from `backup_dir`
// into `db_path`, which no process may hold open.
struct RestoreRequest {
  std::string backup_dir;
  std::string db_path;
  std::optional<uint32_t> backup_id;
  // Restore although `db_path` is not empty: its old contents are moved
  // aside to a sibling directory, never deleted.
  bool force = false;
  // Then walk the restored store's whole audit chain, which must also pass
  // through the head the backup recorded (a restore drill's proof that the
  // copy is the store it claims to be).
  bool verify_audit = false;
};

struct RestoreResult {
  admin::v1::BackupInfo backup;
  // Where --force moved the old contents; empty when nothing was moved.
  std::string moved_aside;
  // The last audit record of the restored store, read back from it after the
  // restore: at least backup.last_audit_sequence.
  AuditLog::Head restored_audit;
  // With verify_audit: the chain's verification, anchored at the backup's
  // recorded head (intact false, and the first broken record, when not).
  std::optional<audit::v1::VerifyAuditChainResponse> audit_check;
};

// Checks, in this order, and changes nothing when any fails:
//   InvalidArgument  backup_dir or db_path missing, backup_dir not a
//                    directory, db_path not a directory, backup_id 0;
//   NotFound         no such backup (or no backup at all) in backup_dir;
//   FailedPrecondition  db_path is held open by a process (RocksDB's LOCK),
//                    or is not empty and `force` is off;
//   DataLoss         the backup fails verification (every file's size and
//                    checksum is read back first).
// A broken audit chain (verify_audit) is an answer in audit_check, not an
// error: the restored files stay for the operator to look at.
// Then restores into the empty (or absent, or moved-aside) db_path while
// holding its LOCK, so a server cannot open it half-restored. A restore that
// fails midway empties db_path again.
[[nodiscard]] absl::StatusOr<RestoreResult> RestoreBackup(
    const RestoreRequest& request);

}  // namespace antt

#endif  // ANTT_COMMON_BACKUP_H_
