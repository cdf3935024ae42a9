#include "common/backup.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/field_violations.h"
#include "common/rocksdb_status.h"
#include "rocksdb/env.h"
#include "rocksdb/write_batch.h"

namespace antt {
namespace {

namespace fs = std::filesystem;

constexpr char kAuditColumnFamily[] = "audit";

// The same options for every engine on a directory (RocksDB requires it):
// table files shared between backups and named by checksum, every file
// synced.
rocksdb::BackupEngineOptions EngineOptions(const std::string& dir) {
  rocksdb::BackupEngineOptions options(dir);
  options.share_table_files = true;
  options.share_files_with_checksum = true;
  options.sync = true;
  return options;
}

// RocksDB's error, saying what we were doing.
absl::Status Failed(absl::string_view what, const rocksdb::Status& s) {
  const absl::Status status = FromRocksDb(s);
  return absl::Status(status.code(), absl::StrCat(what, ": ", s.ToString()));
}

std::string Metadata(const AuditLog::Head& head) {
  return nlohmann::json{{"last_audit_sequence", head.sequence},
                        {"last_audit_hash", head.hash}}
      .dump();
}

admin::v1::BackupInfo ToProto(const rocksdb::BackupInfo& info) {
  admin::v1::BackupInfo out;
  out.set_backup_id(info.backup_id);
  out.mutable_create_time()->set_seconds(info.timestamp);
  out.set_size_bytes(info.size);
  out.set_number_files(info.number_files);
  // A backup made by another tool has other metadata, or none: no audit head.
  const nlohmann::json meta =
      nlohmann::json::parse(info.app_metadata, nullptr, /*allow_exceptions=*/
                            false);
  if (meta.is_object()) {
    const auto sequence = meta.find("last_audit_sequence");
    const auto hash = meta.find("last_audit_hash");
    if (sequence != meta.end() && sequence->is_number_unsigned()) {
      out.set_last_audit_sequence(sequence->get<uint64_t>());
    }
    if (hash != meta.end() && hash->is_string()) {
      out.set_last_audit_hash(hash->get<std::string>());
    }
  }
  return out;
}

absl::Status NoSuchBackup(uint32_t id, const std::string& dir) {
  return FieldError(absl::StatusCode::kNotFound, "backup_id",
                    absl::StrCat("no backup ", id, " in ", dir));
}

absl::Status CheckId(uint32_t id) {
  if (id == 0) {
    return InvalidField("backup_id",
                        "required: the id of a backup (see ListBackups)");
  }
  return absl::OkStatus();
}

// Whether `inner` is `outer` or lies inside it (both made absolute and
// normal first; symbolic links followed as far as they exist).
bool IsSameOrInside(const fs::path& inner, const fs::path& outer) {
  std::error_code error;
  const fs::path a = fs::weakly_canonical(fs::absolute(inner), error);
  const fs::path b = fs::weakly_canonical(fs::absolute(outer), error);
  auto i = a.begin();
  for (auto o = b.begin(); o != b.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == a.end() || *i != *o) return false;
  }
  return true;
}

// A restored store, opened read-only with every column family, and its
// audit log (null when the store has no audit column family).
struct RestoredStore {
  std::unique_ptr<RocksDb> db;
  std::unique_ptr<AuditLog> audit;
};

absl::StatusOr<RestoredStore> OpenRestored(const std::string& path) {
  std::vector<std::string> names;
  if (rocksdb::Status s =
          rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names);
      !s.ok()) {
    return Failed("the restored store cannot be read", s);
  }
  RestoredStore store;
  absl::StatusOr<std::unique_ptr<RocksDb>> db =
      RocksDb::OpenForReadOnly(path, names);
  if (!db.ok()) {
    return absl::Status(db.status().code(),
                        absl::StrCat("the restored store does not open: ",
                                     db.status().message()));
  }
  store.db = *std::move(db);
  const auto audit = std::find(names.begin(), names.end(), kAuditColumnFamily);
  if (audit == names.end()) return store;
  absl::StatusOr<std::unique_ptr<AuditLog>> log =
      AuditLog::Open(store.db.get(), static_cast<int>(audit - names.begin()));
  if (!log.ok()) {
    return absl::Status(log.status().code(),
                        absl::StrCat("the restored store's audit log: ",
                                     log.status().message()));
  }
  store.audit = *std::move(log);
  return store;
}

// Holds RocksDB's LOCK file of a database directory (the lock a running
// server holds) until destroyed.
class DbLock final {
 public:
  // FailedPrecondition when another process, or this one, holds it.
  static absl::StatusOr<std::unique_ptr<DbLock>> Acquire(
      const std::string& db_path) {
    rocksdb::FileLock* lock = nullptr;
    rocksdb::Env* env = rocksdb::Env::Default();
    if (rocksdb::Status s = env->LockFile(db_path + "/LOCK", &lock); !s.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "db_path ", db_path,
          " is in use: a process holds its RocksDB LOCK (stop the server "
          "first): ",
          s.ToString()));
    }
    return std::unique_ptr<DbLock>(new DbLock(env, lock));
  }
  ~DbLock() { (void)env_->UnlockFile(lock_); }
  DbLock(const DbLock&) = delete;
  DbLock& operator=(const DbLock&) = delete;

 private:
  DbLock(rocksdb::Env* env, rocksdb::FileLock* lock) : env_(env), lock_(lock) {}
  rocksdb::Env* env_;
  rocksdb::FileLock* lock_;
};

// Removes everything inside `dir`, leaving `dir` itself.
void EmptyDirectory(const fs::path& dir) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    fs::remove_all(entry.path(), error);
  }
}

}  // namespace

std::string Backups::TargetId(uint32_t id) {
  return absl::StrCat("backup-", id);
}

absl::StatusOr<std::unique_ptr<Backups>> Backups::Open(
    const std::string& backup_dir, RocksDb* db, AuditLog* audit) {
  if (backup_dir.empty()) {
    return std::unique_ptr<Backups>(
        new Backups(backup_dir, db, audit, nullptr));
  }
  const std::string& db_path = db->db()->GetName();
  if (IsSameOrInside(backup_dir, db_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--backup_dir ", backup_dir,
                     " must lie outside the database directory ", db_path,
                     " (e.g. /var/lib/antt/backups next to /var/lib/antt/db)"));
  }
  std::error_code error;
  fs::create_directories(backup_dir, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--backup_dir ", backup_dir, " cannot be created: ", error.message()));
  }
  rocksdb::BackupEngine* raw = nullptr;
  if (rocksdb::IOStatus s = rocksdb::BackupEngine::Open(
          EngineOptions(backup_dir), rocksdb::Env::Default(), &raw);
      !s.ok()) {
    return Failed(absl::StrCat("--backup_dir ", backup_dir), s);
  }
  std::unique_ptr<Backups> backups(new Backups(
      backup_dir, db, audit, std::unique_ptr<rocksdb::BackupEngine>(raw)));
  {
    absl::ReaderMutexLock lock(&backups->mu_);
    backups->NoteNewestLocked();
  }
  return backups;
}

void Backups::NoteNewestLocked() {
  std::vector<rocksdb::BackupInfo> infos;
  engine_->GetBackupInfo(&infos);
  const rocksdb::BackupInfo* newest = nullptr;
  for (const rocksdb::BackupInfo& info : infos) {
    if (newest == nullptr || info.timestamp >= newest->timestamp) {
      newest = &info;
    }
  }
  newest_time_.store(newest == nullptr ? 0 : newest->timestamp,
                     std::memory_order_relaxed);
  newest_bytes_.store(newest == nullptr ? 0 : newest->size,
                      std::memory_order_relaxed);
}

GaugeCollector Backups::Gauges() {
  return [this](std::vector<GaugeSample>* out) {
    if (engine_ == nullptr) return;
    out->push_back(
        {"antt_backup_last_success_timestamp_seconds",
         "When the newest backup in --backup_dir was taken (unix seconds); 0 "
         "when there is none.",
         {},
         static_cast<double>(newest_time_.load(std::memory_order_relaxed))});
    out->push_back(
        {"antt_backup_last_size_bytes",
         "Bytes of the newest backup in --backup_dir (its files, shared ones "
         "included); 0 when there is none.",
         {},
         static_cast<double>(newest_bytes_.load(std::memory_order_relaxed))});
    out->push_back(
        {"antt_backup_failures_total",
         "Backups asked for (admin backup) that failed since start.",
         {},
         static_cast<double>(failures_.load(std::memory_order_relaxed)),
         "counter"});
  };
}

absl::Status Backups::CheckEnabled() const {
  if (engine_ == nullptr) {
    return absl::FailedPreconditionError(
        "backups are off: this server was started without --backup_dir");
  }
  return absl::OkStatus();
}

absl::StatusOr<admin::v1::BackupInfo> Backups::InfoLocked(uint32_t id) {
  rocksdb::BackupInfo info;
  const rocksdb::Status s = engine_->GetBackupInfo(id, &info);
  if (s.IsNotFound()) return NoSuchBackup(id, dir_);
  if (!s.ok()) return Failed(absl::StrCat("backup ", id), s);
  return ToProto(info);
}

absl::StatusOr<admin::v1::BackupInfo> Backups::Create(bool verify) {
  if (absl::Status s = CheckEnabled(); !s.ok()) return s;
  absl::WriterMutexLock lock(&mu_);
  absl::StatusOr<admin::v1::BackupInfo> info = CreateLocked(verify);
  if (info.ok()) {
    newest_time_.store(info->create_time().seconds(),
                       std::memory_order_relaxed);
    newest_bytes_.store(info->size_bytes(), std::memory_order_relaxed);
  } else {
    failures_.fetch_add(1, std::memory_order_relaxed);
  }
  return info;
}

absl::StatusOr<admin::v1::BackupInfo> Backups::CreateLocked(bool verify) {
  // Every record up to this head is committed, so the backup, which starts
  // after, holds it.
  const AuditLog::Head head = audit_->LastRecord();
  rocksdb::CreateBackupOptions options;
  options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  if (rocksdb::IOStatus s = engine_->CreateNewBackupWithMetadata(
          options, db_->db(), Metadata(head), &id);
      !s.ok()) {
    return Failed("the backup failed", s);
  }
  if (verify) {
    if (rocksdb::IOStatus s =
            engine_->VerifyBackup(id, /*verify_with_checksum=*/true);
        !s.ok()) {
      (void)engine_->DeleteBackup(id);
      return absl::DataLossError(
          absl::StrCat("backup ", id,
                       " failed verification and was deleted: ", s.ToString()));
    }
  }
  absl::StatusOr<admin::v1::BackupInfo> info = InfoLocked(id);
  if (!info.ok()) return info.status();
  // Who took it: a backup exists only with its audit record.
  rocksdb::WriteBatch batch;
  if (absl::Status s = audit_->Write(&batch, {TargetId(id)}); !s.ok()) {
    (void)engine_->DeleteBackup(id);
    return s;
  }
  return info;
}

absl::StatusOr<std::vector<admin::v1::BackupInfo>> Backups::List() {
  if (absl::Status s = CheckEnabled(); !s.ok()) return s;
  absl::ReaderMutexLock lock(&mu_);
  std::vector<rocksdb::BackupInfo> infos;
  engine_->GetBackupInfo(&infos);
  std::vector<admin::v1::BackupInfo> out;
  out.reserve(infos.size());
  for (const rocksdb::BackupInfo& info : infos) out.push_back(ToProto(info));
  return out;
}

absl::Status Backups::Delete(uint32_t id) {
  if (absl::Status s = CheckId(id); !s.ok()) return s;
  if (absl::Status s = CheckEnabled(); !s.ok()) return s;
  absl::WriterMutexLock lock(&mu_);
  if (absl::StatusOr<admin::v1::BackupInfo> info = InfoLocked(id); !info.ok()) {
    return info.status();
  }
  if (rocksdb::IOStatus s = engine_->DeleteBackup(id); !s.ok()) {
    return Failed(absl::StrCat("deleting backup ", id), s);
  }
  NoteNewestLocked();
  // A deletion cannot be undone: the record follows it. (A crash in between
  // leaves the deletion unrecorded, never a record without the deletion.)
  rocksdb::WriteBatch batch;
  return audit_->Write(&batch, {TargetId(id)});
}

absl::StatusOr<admin::v1::VerifyBackupResponse> Backups::Verify(uint32_t id) {
  if (absl::Status s = CheckId(id); !s.ok()) return s;
  if (absl::Status s = CheckEnabled(); !s.ok()) return s;
  absl::ReaderMutexLock lock(&mu_);
  absl::StatusOr<admin::v1::BackupInfo> info = InfoLocked(id);
  if (!info.ok()) return info.status();
  admin::v1::VerifyBackupResponse response;
  *response.mutable_backup() = *std::move(info);
  const rocksdb::IOStatus s =
      engine_->VerifyBackup(id, /*verify_with_checksum=*/true);
  response.set_intact(s.ok());
  if (!s.ok()) response.set_problem(s.ToString());
  return response;
}

absl::StatusOr<RestoreResult> RestoreBackup(const RestoreRequest& request) {
  std::error_code error;
  if (request.backup_dir.empty()) {
    return InvalidField("backup_dir", "required");
  }
  if (request.db_path.empty()) return InvalidField("db_path", "required");
  if (!fs::is_directory(request.backup_dir, error)) {
    return InvalidField(
        "backup_dir", absl::StrCat(request.backup_dir, " is not a directory"));
  }
  const bool db_exists = fs::exists(request.db_path, error);
  if (db_exists && !fs::is_directory(request.db_path, error)) {
    return InvalidField("db_path",
                        absl::StrCat(request.db_path, " is not a directory"));
  }
  if (request.backup_id.has_value()) {
    if (absl::Status s = CheckId(*request.backup_id); !s.ok()) return s;
  }
  if (IsSameOrInside(request.backup_dir, request.db_path)) {
    return InvalidField("backup_dir",
                        "must lie outside the database directory db_path");
  }

  rocksdb::BackupEngineReadOnly* raw = nullptr;
  if (rocksdb::IOStatus s = rocksdb::BackupEngineReadOnly::Open(
          EngineOptions(request.backup_dir), rocksdb::Env::Default(), &raw);
      !s.ok()) {
    return Failed(absl::StrCat("backup_dir ", request.backup_dir), s);
  }
  const std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  rocksdb::BackupInfo info;
  if (request.backup_id.has_value()) {
    const rocksdb::Status s = engine->GetBackupInfo(*request.backup_id, &info);
    if (s.IsNotFound()) {
      std::vector<rocksdb::BackupInfo> all;
      engine->GetBackupInfo(&all);
      std::vector<uint32_t> ids;
      for (const rocksdb::BackupInfo& b : all) ids.push_back(b.backup_id);
      return FieldError(
          absl::StatusCode::kNotFound, "backup_id",
          absl::StrCat("no backup ", *request.backup_id, " in ",
                       request.backup_dir, " (it holds: ",
                       ids.empty() ? "none" : absl::StrJoin(ids, ", "), ")"));
    }
    if (!s.ok()) return Failed(absl::StrCat("backup ", *request.backup_id), s);
  } else {
    const rocksdb::Status s = engine->GetLatestBackupInfo(&info);
    if (s.IsNotFound()) {
      return FieldError(absl::StatusCode::kNotFound, "backup_dir",
                        absl::StrCat("no backup in ", request.backup_dir));
    }
    if (!s.ok()) return Failed("the latest backup", s);
  }

  RestoreResult result;
  result.backup = ToProto(info);
  const fs::path db_path(request.db_path);
  if (db_exists) {
    const bool empty = fs::is_empty(db_path, error);
    if (fs::exists(db_path / "LOCK", error)) {
      // Only to see whether a server holds it; released at once.
      absl::StatusOr<std::unique_ptr<DbLock>> lock =
          DbLock::Acquire(request.db_path);
      if (!lock.ok()) return lock.status();
    }
    if (!empty && !request.force) {
      return absl::FailedPreconditionError(absl::StrCat(
          "db_path ", request.db_path,
          " is not empty: restore into an empty or absent directory, or pass "
          "--force to move its contents aside first"));
    }
  }
  if (rocksdb::IOStatus s =
          engine->VerifyBackup(info.backup_id, /*verify_with_checksum=*/true);
      !s.ok()) {
    return absl::DataLossError(absl::StrCat(
        "backup ", info.backup_id,
        " fails verification; nothing was restored: ", s.ToString()));
  }

  if (db_exists && !fs::is_empty(db_path, error)) {
    const std::string aside = absl::StrCat(
        db_path.lexically_normal().string(), ".before-restore-",
        absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone()));
    if (fs::exists(aside, error)) {
      return absl::FailedPreconditionError(
          absl::StrCat(aside, " exists already: try again in a second"));
    }
    fs::rename(db_path, aside, error);
    if (error) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot move ", request.db_path, " aside to ", aside, ": ",
          error.message(),
          " (is it a mount point? empty it yourself and restore without "
          "--force)"));
    }
    result.moved_aside = aside;
  }
  fs::create_directories(db_path, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(
        "db_path ", request.db_path, " cannot be created: ", error.message()));
  }
  {
    // Held while files are copied: a server started meanwhile fails to open
    // the half-restored directory instead of serving it.
    absl::StatusOr<std::unique_ptr<DbLock>> lock =
        DbLock::Acquire(request.db_path);
    if (!lock.ok()) return lock.status();
    if (rocksdb::IOStatus s = engine->RestoreDBFromBackup(
            rocksdb::RestoreOptions(), info.backup_id, request.db_path,
            request.db_path);
        !s.ok()) {
      EmptyDirectory(db_path);
      return Failed(absl::StrCat("restoring backup ", info.backup_id,
                                 " failed; db_path was emptied again"),
                    s);
    }
  }
  absl::StatusOr<RestoredStore> restored = OpenRestored(request.db_path);
  if (!restored.ok()) {
    // The files are restored, but the audit log cannot be read: with
    // verify_audit that is the drill's answer (the chain is broken), not a
    // failed restore.
    if (request.verify_audit && absl::IsDataLoss(restored.status())) {
      result.restored_audit = {0, std::string(64, '0')};
      result.audit_check.emplace();
      result.audit_check->set_intact(false);
      result.audit_check->set_first_broken_sequence(1);
      result.audit_check->set_problem(std::string(restored.status().message()));
      return result;
    }
    return restored.status();
  }
  if (restored->audit == nullptr) {
    result.restored_audit = {0, std::string(64, '0')};
  } else {
    result.restored_audit = restored->audit->LastRecord();
  }
  if (request.verify_audit) {
    if (restored->audit == nullptr) {
      result.audit_check.emplace();
      result.audit_check->set_intact(false);
      result.audit_check->set_first_broken_sequence(1);
      result.audit_check->set_problem(
          "the restored store has no audit log to verify");
      return result;
    }
    // Anchored at the head the backup recorded: the chain must reach it.
    absl::StatusOr<audit::v1::VerifyAuditChainResponse> check =
        restored->audit->Verify(result.backup.last_audit_sequence(),
                                result.backup.last_audit_hash());
    if (!check.ok()) return check.status();
    result.audit_check = *std::move(check);
  }
  return result;
}

}  // namespace antt
