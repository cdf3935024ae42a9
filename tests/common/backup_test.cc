// Backups of a real RocksDB store with its audit chain: create, list,
// verify and delete while writes go on, every refusal (no --backup_dir, a
// directory inside the database, id 0, an unknown id, a damaged backup), and
// the offline restore (into an empty or absent directory, the latest by
// default, never over a non-empty or open one unless moved aside).

#include "common/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/admin_service.h"
#include "common/digest.h"
#include "common/field_violations.h"
#include "rocksdb/write_batch.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

namespace fs = std::filesystem;

constexpr int kData = 1;
constexpr int kAudit = 2;
constexpr char kBackupMethod[] = "antt.admin.v1.AdminService/CreateBackup";

std::vector<std::string> ColumnFamilies() {
  return {"default", "data", "audit"};
}

// The field names a status carries in its BadRequest.
std::set<std::string> Fields(const absl::Status& status) {
  std::set<std::string> fields;
  for (const auto& [field, description] : FieldViolationsOf(status)) {
    fields.insert(field);
  }
  return fields;
}

// Flips one byte in the middle of the first table file under `dir`, keeping
// its size: the damage only a checksum finds.
void DamageATableFile(const std::string& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".sst") continue;
    const auto size = static_cast<std::streamoff>(entry.file_size());
    std::fstream file(entry.path(),
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(size / 2);
    char byte = 0;
    file.read(&byte, 1);
    file.seekp(size / 2);
    byte = static_cast<char>(~byte);
    file.write(&byte, 1);
    ASSERT_TRUE(file.good()) << entry.path();
    return;
  }
  FAIL() << "no table file under " << dir;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = antt::testing::FreshTestDir();
    absl::StatusOr<std::unique_ptr<RocksDb>> db =
        RocksDb::Open(DbPath(), ColumnFamilies());
    ASSERT_OK(db);
    db_ = *std::move(db);
    absl::StatusOr<std::unique_ptr<AuditLog>> log =
        AuditLog::Open(db_.get(), kAudit);
    ASSERT_OK(log);
    log_ = *std::move(log);
    absl::StatusOr<std::unique_ptr<Backups>> backups =
        Backups::Open(BackupDir(), db_.get(), log_.get());
    ASSERT_OK(backups);
    backups_ = *std::move(backups);
  }

  std::string DbPath() const { return dir_ + "/db"; }
  std::string BackupDir() const { return dir_ + "/backups"; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Writes key → value with its audit record, as a call by "writer".
  absl::Status Change(const std::string& key) {
    const ScopedAuditCall call(
        {"writer", "antt.test.v1.Test/Change", Sha256Hex(key)});
    rocksdb::WriteBatch batch;
    batch.Put(db_->cf(kData), key, "value of " + key);
    return log_->Write(&batch, {key});
  }

  // A backup as an admin's call makes it (so it leaves an audit record).
  absl::StatusOr<admin::v1::BackupInfo> CreateAsAdmin(bool verify) {
    const ScopedAuditCall call({"admin-ana", kBackupMethod, Sha256Hex("c")});
    return backups_->Create(verify);
  }

  // Every audit record, oldest first.
  std::vector<audit::v1::AuditRecord> AuditRecords() {
    std::vector<audit::v1::AuditRecord> all;
    bool more = true;
    while (more) {
      absl::StatusOr<std::vector<audit::v1::AuditRecord>> page =
          log_->List(all.empty() ? 0 : all.back().sequence(), 1000, &more);
      EXPECT_OK(page);
      if (!page.ok()) break;
      all.insert(all.end(), page->begin(), page->end());
    }
    return all;
  }

  std::vector<uint32_t> Ids() {
    absl::StatusOr<std::vector<admin::v1::BackupInfo>> list = backups_->List();
    EXPECT_OK(list);
    std::vector<uint32_t> ids;
    if (list.ok()) {
      for (const auto& b : *list) ids.push_back(b.backup_id());
    }
    return ids;
  }

  std::string dir_;
  std::unique_ptr<RocksDb> db_;
  std::unique_ptr<AuditLog> log_;
  std::unique_ptr<Backups> backups_;
};

// A restored store opened as a server would open it.
struct Restored {
  std::unique_ptr<RocksDb> db;
  std::unique_ptr<AuditLog> log;

  static Restored Open(const std::string& path) {
    Restored r;
    absl::StatusOr<std::unique_ptr<RocksDb>> db =
        RocksDb::Open(path, ColumnFamilies());
    EXPECT_OK(db);
    if (!db.ok()) return r;
    r.db = *std::move(db);
    absl::StatusOr<std::unique_ptr<AuditLog>> log =
        AuditLog::Open(r.db.get(), kAudit);
    EXPECT_OK(log);
    if (log.ok()) r.log = *std::move(log);
    return r;
  }

  bool Has(const std::string& key) {
    absl::StatusOr<std::optional<std::string>> value = db->Get(kData, key);
    return value.ok() && value->has_value() && **value == "value of " + key;
  }
};

// ---- taking, listing, verifying and deleting backups

TEST_F(BackupTest, ABackupRecordsTheAuditHeadAndLeavesItsOwnRecord) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(Change(absl::StrCat("k", i)));
  const AuditLog::Head head = log_->LastRecord();
  const absl::Time before = absl::Now();

  absl::StatusOr<admin::v1::BackupInfo> info = CreateAsAdmin(false);
  ASSERT_OK(info);
  EXPECT_EQ(info->backup_id(), 1u);
  EXPECT_EQ(info->last_audit_sequence(), 3u);
  EXPECT_EQ(info->last_audit_hash(), head.hash);
  EXPECT_GT(info->number_files(), 0u);
  EXPECT_GT(info->size_bytes(), 0u);
  EXPECT_GE(info->create_time().seconds(), absl::ToUnixSeconds(before) - 1);
  EXPECT_LE(info->create_time().seconds(), absl::ToUnixSeconds(absl::Now()));

  const std::vector<audit::v1::AuditRecord> records = AuditRecords();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].caller(), "admin-ana");
  EXPECT_EQ(records[3].method(), kBackupMethod);
  ASSERT_EQ(records[3].target_ids_size(), 1);
  EXPECT_EQ(records[3].target_ids(0), "backup-1");

  absl::StatusOr<std::vector<admin::v1::BackupInfo>> list = backups_->List();
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].SerializeAsString(), info->SerializeAsString());
}

// The gauges an operator alerts on: when the newest backup was taken, its
// size, and the backups that failed.
TEST_F(BackupTest, GaugesFollowTheNewestBackupAndCountFailures) {
  auto gauges = [](Backups& backups) {
    std::vector<GaugeSample> samples;
    backups.Gauges()(&samples);
    std::map<std::string, double> values;
    for (const GaugeSample& sample : samples) {
      values[sample.name] = sample.value;
    }
    return values;
  };
  const std::string kTime = "antt_backup_last_success_timestamp_seconds";
  const std::string kSize = "antt_backup_last_size_bytes";
  const std::string kFailures = "antt_backup_failures_total";
  EXPECT_EQ(gauges(*backups_), (std::map<std::string, double>{
                                   {kTime, 0}, {kSize, 0}, {kFailures, 0}}));

  ASSERT_OK(Change("a"));
  absl::StatusOr<admin::v1::BackupInfo> first = CreateAsAdmin(false);
  ASSERT_OK(first);
  ASSERT_OK(Change("b"));
  absl::StatusOr<admin::v1::BackupInfo> second = CreateAsAdmin(false);
  ASSERT_OK(second);
  EXPECT_EQ(gauges(*backups_)[kTime], second->create_time().seconds());
  EXPECT_EQ(gauges(*backups_)[kSize], second->size_bytes());
  EXPECT_GT(second->size_bytes(), 0u);

  // Deleting the newest: the one before is the newest now.
  ASSERT_OK(backups_->Delete(second->backup_id()));
  EXPECT_EQ(gauges(*backups_)[kSize], first->size_bytes());
  EXPECT_EQ(gauges(*backups_)[kTime], first->create_time().seconds());

  // A server started again reads them from the directory.
  absl::StatusOr<std::unique_ptr<Backups>> reopened =
      Backups::Open(BackupDir(), db_.get(), log_.get());
  ASSERT_OK(reopened);
  EXPECT_EQ(gauges(**reopened)[kTime], first->create_time().seconds());
  EXPECT_EQ(gauges(**reopened)[kSize], first->size_bytes());

  // A backup that fails (its directory gone, a file in its place) is
  // counted; the last success stays.
  std::filesystem::remove_all(BackupDir());
  std::ofstream(BackupDir()) << "not a directory";
  EXPECT_FALSE(CreateAsAdmin(false).ok());
  EXPECT_EQ(gauges(*backups_)[kFailures], 1);
  EXPECT_EQ(gauges(*backups_)[kTime], first->create_time().seconds());

  // Without --backup_dir: no gauges at all, rather than "never backed up".
  absl::StatusOr<std::unique_ptr<Backups>> off =
      Backups::Open("", db_.get(), log_.get());
  ASSERT_OK(off);
  EXPECT_TRUE(gauges(**off).empty());
}

TEST_F(BackupTest, BackupsAreListedOldestFirstAndSurviveAReopen) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  ASSERT_OK(Change("b"));
  absl::StatusOr<admin::v1::BackupInfo> second = CreateAsAdmin(true);
  ASSERT_OK(second);
  EXPECT_EQ(second->backup_id(), 2u);
  // a, backup-1's record, b.
  EXPECT_EQ(second->last_audit_sequence(), 3u);
  EXPECT_EQ(Ids(), (std::vector<uint32_t>{1, 2}));

  backups_.reset();
  absl::StatusOr<std::unique_ptr<Backups>> reopened =
      Backups::Open(BackupDir(), db_.get(), log_.get());
  ASSERT_OK(reopened);
  backups_ = *std::move(reopened);
  EXPECT_EQ(Ids(), (std::vector<uint32_t>{1, 2}));
  absl::StatusOr<admin::v1::VerifyBackupResponse> verified =
      backups_->Verify(2);
  ASSERT_OK(verified);
  EXPECT_TRUE(verified->intact()) << verified->problem();
  EXPECT_EQ(verified->backup().last_audit_sequence(), 3u);
}

TEST_F(BackupTest, DeleteRemovesTheBackupAndIsAudited) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  ASSERT_OK(CreateAsAdmin(false));
  {
    const ScopedAuditCall call({"admin-ana",
                                "antt.admin.v1.AdminService/DeleteBackup",
                                Sha256Hex("d")});
    ASSERT_OK(backups_->Delete(1));
  }
  EXPECT_EQ(Ids(), (std::vector<uint32_t>{2}));
  const std::vector<audit::v1::AuditRecord> records = AuditRecords();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].method(), "antt.admin.v1.AdminService/DeleteBackup");
  ASSERT_EQ(records[3].target_ids_size(), 1);
  EXPECT_EQ(records[3].target_ids(0), "backup-1");
  // What is left still verifies: the files backup 2 shared stayed.
  absl::StatusOr<admin::v1::VerifyBackupResponse> verified =
      backups_->Verify(2);
  ASSERT_OK(verified);
  EXPECT_TRUE(verified->intact()) << verified->problem();
  EXPECT_TRUE(log_->Verify()->intact());
}

TEST_F(BackupTest, ADamagedBackupIsReportedNotIntact) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  ASSERT_NO_FATAL_FAILURE(DamageATableFile(BackupDir()));

  absl::StatusOr<admin::v1::VerifyBackupResponse> verified =
      backups_->Verify(1);
  ASSERT_OK(verified);
  EXPECT_FALSE(verified->intact());
  EXPECT_FALSE(verified->problem().empty());
  EXPECT_EQ(verified->backup().backup_id(), 1u);
}

// The second backup shares the first one's (now damaged) table file; asked
// to verify, CreateBackup finds it, deletes the new backup and leaves no
// audit record.
TEST_F(BackupTest, CreateWithVerifyDeletesABackupThatFailsAndSaysDataLoss) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  ASSERT_NO_FATAL_FAILURE(DamageATableFile(BackupDir()));
  ASSERT_OK(Change("b"));
  const size_t records = AuditRecords().size();

  absl::StatusOr<admin::v1::BackupInfo> info = CreateAsAdmin(true);
  EXPECT_CODE(info, absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(info.status().message(), "was deleted"))
      << info.status();
  EXPECT_EQ(Ids(), (std::vector<uint32_t>{1}));
  EXPECT_EQ(AuditRecords().size(), records);
}

TEST_F(BackupTest, ConcurrentBackupsDuringWritesAreSerializedAndWhole) {
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (!stop) {
      if (Change(absl::StrCat("w", written.load())).ok()) ++written;
    }
  });
  std::vector<absl::StatusOr<admin::v1::BackupInfo>> results(4);
  std::vector<std::thread> takers;
  for (auto& result : results) {
    takers.emplace_back([&] { result = CreateAsAdmin(true); });
  }
  for (std::thread& t : takers) t.join();
  stop = true;
  writer.join();

  std::set<uint32_t> ids;
  for (const auto& result : results) {
    ASSERT_OK(result);
    ids.insert(result->backup_id());
  }
  EXPECT_EQ(ids, (std::set<uint32_t>{1, 2, 3, 4}));
  for (uint32_t id : ids) {
    absl::StatusOr<admin::v1::VerifyBackupResponse> v = backups_->Verify(id);
    ASSERT_OK(v);
    EXPECT_TRUE(v->intact()) << id << ": " << v->problem();
  }
  int backup_records = 0;
  for (const auto& r : AuditRecords())
    backup_records += r.method() == kBackupMethod;
  EXPECT_EQ(backup_records, 4);
  EXPECT_GT(written.load(), 0);
}

// ---- refusals

TEST_F(BackupTest, WithoutABackupDirEveryCallIsAFailedPrecondition) {
  absl::StatusOr<std::unique_ptr<Backups>> off =
      Backups::Open("", db_.get(), log_.get());
  ASSERT_OK(off);
  const auto names_the_flag = [](const absl::Status& s) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), "--backup_dir")) << s;
  };
  names_the_flag((*off)->Create(false).status());
  names_the_flag((*off)->List().status());
  names_the_flag((*off)->Delete(1));
  names_the_flag((*off)->Verify(1).status());
}

TEST_F(BackupTest, ABackupDirInsideTheDatabaseIsRefused) {
  for (const std::string& inside :
       {DbPath(), DbPath() + "/", DbPath() + "/backups",
        dir_ + "/./db/../db/backups"}) {
    absl::StatusOr<std::unique_ptr<Backups>> refused =
        Backups::Open(inside, db_.get(), log_.get());
    EXPECT_CODE(refused, absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(refused.status().message(), "--backup_dir"))
        << refused.status();
  }
  // A sibling whose name merely starts like the database's is fine.
  EXPECT_OK(Backups::Open(DbPath() + "-backups", db_.get(), log_.get()));
}

TEST_F(BackupTest, ABackupDirThatCannotBeCreatedIsRefused) {
  std::ofstream(Path("a-file")) << "x";
  absl::StatusOr<std::unique_ptr<Backups>> refused =
      Backups::Open(Path("a-file/backups"), db_.get(), log_.get());
  EXPECT_CODE(refused, absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(
      refused.status().message(),
      "--backup_dir " + Path("a-file/backups") + " cannot be created"))
      << refused.status();
}

TEST_F(BackupTest, IdZeroIsInvalidAndNamesTheField) {
  const absl::Status deleted = backups_->Delete(0);
  EXPECT_EQ(deleted.code(), absl::StatusCode::kInvalidArgument) << deleted;
  EXPECT_EQ(Fields(deleted), std::set<std::string>{"backup_id"});
  const absl::Status verified = backups_->Verify(0).status();
  EXPECT_EQ(verified.code(), absl::StatusCode::kInvalidArgument) << verified;
  EXPECT_EQ(Fields(verified), std::set<std::string>{"backup_id"});
}

TEST_F(BackupTest, AnUnknownIdIsNotFoundAndNamesTheField) {
  ASSERT_OK(CreateAsAdmin(false));
  const absl::Status deleted = backups_->Delete(9);
  EXPECT_EQ(deleted.code(), absl::StatusCode::kNotFound) << deleted;
  EXPECT_EQ(Fields(deleted), std::set<std::string>{"backup_id"});
  const absl::Status verified = backups_->Verify(9).status();
  EXPECT_EQ(verified.code(), absl::StatusCode::kNotFound) << verified;
  EXPECT_EQ(Ids(), (std::vector<uint32_t>{1}));
}

TEST(AdminAccessPolicyTest, EveryMethodHasARuleAndOnlyAdminsPass) {
  EXPECT_OK(AdminAccessPolicy().Validate());
  for (const char* method :
       {"CreateBackup", "ListBackups", "DeleteBackup", "VerifyBackup"}) {
    EXPECT_EQ(AdminAccessPolicy().RolesFor(method), kAdminOnly) << method;
  }
}

// ---- restore

TEST_F(BackupTest, RestoreBringsBackEveryWriteCommittedBeforeTheBackup) {
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (!stop) {
      if (Change(absl::StrCat("w", written.load())).ok()) ++written;
    }
  });
  while (written < 200) absl::SleepFor(absl::Milliseconds(1));
  const int acknowledged = written;  // all committed before the backup began
  absl::StatusOr<admin::v1::BackupInfo> info = CreateAsAdmin(false);
  stop = true;
  writer.join();
  ASSERT_OK(info);
  ASSERT_GE(info->last_audit_sequence(), static_cast<uint64_t>(acknowledged));

  absl::StatusOr<RestoreResult> result =
      RestoreBackup({BackupDir(), Path("restored"), std::nullopt, false});
  ASSERT_OK(result);
  EXPECT_EQ(result->backup.backup_id(), 1u);
  EXPECT_TRUE(result->moved_aside.empty());
  EXPECT_GE(result->restored_audit.sequence, info->last_audit_sequence());

  Restored restored = Restored::Open(Path("restored"));
  ASSERT_NE(restored.log, nullptr);
  for (int i = 0; i < acknowledged; ++i) {
    ASSERT_TRUE(restored.Has(absl::StrCat("w", i))) << "w" << i;
  }
  absl::StatusOr<audit::v1::VerifyAuditChainResponse> chain =
      restored.log->Verify();
  ASSERT_OK(chain);
  EXPECT_TRUE(chain->intact()) << chain->problem();
  EXPECT_EQ(chain->last_sequence(), result->restored_audit.sequence);
  EXPECT_EQ(chain->last_hash(), result->restored_audit.hash);
  // The restored chain agrees with the live one up to the backup's head.
  bool more = false;
  absl::StatusOr<std::vector<audit::v1::AuditRecord>> live =
      log_->List(info->last_audit_sequence() - 1, 1, &more);
  ASSERT_OK(live);
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].hash(), info->last_audit_hash());
}

TEST_F(BackupTest, RestoreTakesTheLatestBackupUnlessAnIdIsGiven) {
  ASSERT_OK(Change("first"));
  ASSERT_OK(CreateAsAdmin(false));
  ASSERT_OK(Change("second"));
  ASSERT_OK(CreateAsAdmin(false));

  absl::StatusOr<RestoreResult> latest =
      RestoreBackup({BackupDir(), Path("latest"), std::nullopt, false});
  ASSERT_OK(latest);
  EXPECT_EQ(latest->backup.backup_id(), 2u);
  absl::StatusOr<RestoreResult> first =
      RestoreBackup({BackupDir(), Path("first"), 1u, false});
  ASSERT_OK(first);
  EXPECT_EQ(first->backup.backup_id(), 1u);
  EXPECT_EQ(first->restored_audit.sequence, 1u);

  EXPECT_TRUE(Restored::Open(Path("latest")).Has("second"));
  Restored one = Restored::Open(Path("first"));
  EXPECT_TRUE(one.Has("first"));
  EXPECT_FALSE(one.Has("second"));
}

// --verify-audit walks the restored chain, anchored at the head the backup
// recorded: a chain that ends before it (its last record lost before the
// backup was taken) is broken, though every record left hashes right; an
// intact one passes. Neither is an error: the files are restored.
TEST_F(BackupTest, RestoreVerifyAuditChecksTheChainReachesTheBackupsHead) {
  for (const char* key : {"a", "b", "c"}) ASSERT_OK(Change(key));
  ASSERT_OK(CreateAsAdmin(false));  // backup 1, head 3; record 4 after it
  absl::StatusOr<RestoreResult> intact =
      RestoreBackup({BackupDir(), Path("intact"), std::nullopt, false,
                     /*verify_audit=*/true});
  ASSERT_OK(intact);
  ASSERT_TRUE(intact->audit_check.has_value());
  EXPECT_TRUE(intact->audit_check->intact()) << intact->audit_check->problem();
  EXPECT_EQ(intact->audit_check->records_checked(), 3u);
  // Without the flag, no walk.
  absl::StatusOr<RestoreResult> plain =
      RestoreBackup({BackupDir(), Path("plain"), std::nullopt, false});
  ASSERT_OK(plain);
  EXPECT_FALSE(plain->audit_check.has_value());

  // The last record (4, backup-1's) removed from the store behind the
  // log's back: the log still names it as the head the next backup holds.
  ASSERT_TRUE(
      db_->db()
          ->Delete(rocksdb::WriteOptions(), db_->cf(kAudit), AuditLog::KeyOf(4))
          .ok());
  ASSERT_OK(CreateAsAdmin(false));  // backup 2, recorded head 4
  absl::StatusOr<RestoreResult> cut = RestoreBackup(
      {BackupDir(), Path("cut"), std::nullopt, false, /*verify_audit=*/true});
  ASSERT_OK(cut);
  EXPECT_EQ(cut->backup.last_audit_sequence(), 4u);
  EXPECT_EQ(cut->restored_audit.sequence, 3u);
  ASSERT_TRUE(cut->audit_check.has_value());
  EXPECT_FALSE(cut->audit_check->intact());
  EXPECT_FALSE(cut->audit_check->problem().empty());
  EXPECT_TRUE(Restored::Open(Path("cut")).Has("c"));  // the files are there
}

TEST_F(BackupTest, RestoreIntoAnEmptyDirectoryWorks) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  fs::create_directories(Path("empty"));
  ASSERT_OK(RestoreBackup({BackupDir(), Path("empty"), std::nullopt, false}));
  EXPECT_TRUE(Restored::Open(Path("empty")).Has("a"));
}

TEST_F(BackupTest, RestoreRefusesANonEmptyDirectoryAndWritesNothing) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  fs::create_directories(Path("target"));
  std::ofstream(Path("target/notes.txt")) << "keep me";

  absl::StatusOr<RestoreResult> refused =
      RestoreBackup({BackupDir(), Path("target"), std::nullopt, false});
  EXPECT_CODE(refused, absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "--force"))
      << refused.status();
  std::vector<fs::path> left;
  for (const auto& e : fs::directory_iterator(Path("target"))) {
    left.push_back(e.path().filename());
  }
  EXPECT_EQ(left, std::vector<fs::path>{"notes.txt"});
}

TEST_F(BackupTest, RestoreWithForceMovesTheOldContentsAside) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  fs::create_directories(Path("target"));
  std::ofstream(Path("target/notes.txt")) << "keep me";

  absl::StatusOr<RestoreResult> result =
      RestoreBackup({BackupDir(), Path("target"), std::nullopt, true});
  ASSERT_OK(result);
  ASSERT_FALSE(result->moved_aside.empty());
  EXPECT_TRUE(absl::StartsWith(result->moved_aside,
                               Path("target") + ".before-restore-"))
      << result->moved_aside;
  EXPECT_TRUE(fs::exists(result->moved_aside + "/notes.txt"));
  EXPECT_FALSE(fs::exists(Path("target/notes.txt")));
  EXPECT_TRUE(Restored::Open(Path("target")).Has("a"));
}

TEST_F(BackupTest, RestoreRefusesADatabaseThatIsOpenEvenWithForce) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  // db_ holds DbPath()'s LOCK, as a running server does.
  absl::StatusOr<RestoreResult> refused =
      RestoreBackup({BackupDir(), DbPath(), std::nullopt, true});
  EXPECT_CODE(refused, absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "in use"))
      << refused.status();
  EXPECT_TRUE(fs::exists(DbPath() + "/CURRENT"));
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(
        absl::StrContains(e.path().filename().string(), "before-restore"))
        << e.path();
  }
}

TEST_F(BackupTest, RestoreOfAnUnknownBackupIsNotFound) {
  absl::StatusOr<RestoreResult> none =
      RestoreBackup({BackupDir(), Path("target"), std::nullopt, false});
  EXPECT_CODE(none, absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(none.status().message(), "no backup"))
      << none.status();

  ASSERT_OK(CreateAsAdmin(false));
  absl::StatusOr<RestoreResult> unknown =
      RestoreBackup({BackupDir(), Path("target"), 7u, false});
  EXPECT_CODE(unknown, absl::StatusCode::kNotFound);
  EXPECT_EQ(Fields(unknown.status()), std::set<std::string>{"backup_id"});
  EXPECT_TRUE(absl::StrContains(unknown.status().message(), "it holds: 1"))
      << unknown.status();
  EXPECT_FALSE(fs::exists(Path("target")));
}

TEST_F(BackupTest, RestoreWithBadArgumentsIsInvalid) {
  ASSERT_OK(CreateAsAdmin(false));
  std::ofstream(Path("a-file")) << "x";
  const struct {
    RestoreRequest request;
    std::string field;
  } cases[] = {
      {{"", Path("t"), std::nullopt, false}, "backup_dir"},
      {{BackupDir(), "", std::nullopt, false}, "db_path"},
      {{Path("missing"), Path("t"), std::nullopt, false}, "backup_dir"},
      {{Path("a-file"), Path("t"), std::nullopt, false}, "backup_dir"},
      {{BackupDir(), Path("a-file"), std::nullopt, false}, "db_path"},
      {{BackupDir(), Path("t"), 0u, false}, "backup_id"},
      {{BackupDir(), BackupDir() + "/..", std::nullopt, false}, "backup_dir"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<RestoreResult> result = RestoreBackup(c.request);
    EXPECT_CODE(result, absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Fields(result.status()), std::set<std::string>{c.field})
        << result.status();
  }
  EXPECT_FALSE(fs::exists(Path("t")));
}

TEST_F(BackupTest, RestoreOfADamagedBackupIsDataLossAndWritesNothing) {
  ASSERT_OK(Change("a"));
  ASSERT_OK(CreateAsAdmin(false));
  ASSERT_NO_FATAL_FAILURE(DamageATableFile(BackupDir()));
  absl::StatusOr<RestoreResult> result =
      RestoreBackup({BackupDir(), Path("target"), std::nullopt, false});
  EXPECT_CODE(result, absl::StatusCode::kDataLoss);
  EXPECT_TRUE(
      absl::StrContains(result.status().message(), "nothing was restored"))
      << result.status();
  EXPECT_FALSE(fs::exists(Path("target")));
}

}  // namespace
}  // namespace antt
