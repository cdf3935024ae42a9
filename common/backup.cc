#include "common/backup.h"

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

// The last record of the "audit" column family of the database in `path`,
// opened read-only; sequence 0 when it has none.
absl::StatusOr<AuditLog::Head> ReadAuditHead(const std::string& path) {
  rocksdb::DBOptions options;
  std::vector<std::string> names;
  if (rocksdb::Status s =
          rocksdb::DB::ListColumnFamilies(options, path, &names);
      !s.ok()) {
    return Failed("the restored store cannot be read", s);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  int audit = -1;
  for (const std::string& name : names) {
    if (name == kAuditColumnFamily)
      audit = static_cast<int>(descriptors.size());
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  AuditLog::Head head{0, std::string(64, '0')};
  if (audit < 0) return head;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (rocksdb::Status s = rocksdb::DB::OpenForReadOnly(
          options, path, descriptors, &handles, &raw);
      !s.ok()) {
    return Failed("the restored store does not open", s);
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  absl::Status status;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), handles[audit]));
    it->SeekToLast();
    if (it->Valid()) {
      audit::v1::AuditRecord record;
      if (record.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
        head = {record.sequence(), record.hash()};
      } else {
        status = absl::DataLossError(
            "the restored store's last audit record cannot be parsed");
      }
    } else if (!it->status().ok()) {
      status =
          Failed("the restored store's audit log cannot be read", it->status());
    }
  }
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    (void)db->DestroyColumnFamilyHandle(handle);
  }
  if (!status.ok()) return status;
  return head;
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
  return std::unique_ptr<Backups>(new Backups(
      backup_dir, db, audit, std::unique_ptr<rocksdb::BackupEngine>(raw)));
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
  absl::StatusOr<AuditLog::Head> head = ReadAuditHead(request.db_path);
  if (!head.ok()) return head.status();
  result.restored_audit = *std::move(head);
  return result;
}

}  // namespace antt
