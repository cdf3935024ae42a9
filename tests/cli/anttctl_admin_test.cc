// Backups end to end with the real binaries: antt-registry taking a backup
// through `anttctl admin backup` while a writer keeps creating units over
// gRPC; then SIGTERM, the database wiped, `anttctl admin restore`, a restart,
// and every unit acknowledged before the backup began is back with an intact
// audit chain. Also listing, verifying and deleting backups, every refusal
// with its exit code, and the ADMIN-only rule over mutual TLS.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "tests/cli/anttctl_runner.h"
#include "tests/testing/audit_tamper.h"
#include "tests/testing/credentials.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/process.h"
#include "tests/testing/test_util.h"

namespace antt::cli {
namespace {

namespace fs = std::filesystem;
namespace rv1 = ::antt::registry::v1;

using ::antt::testing::BinDir;
using ::antt::testing::ChildProcess;
using ::antt::testing::ReadFile;
using ::antt::testing::TestPki;

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Creates units over gRPC on its own thread until stopped, keeping the id of
// every one the registry acknowledged, in order.
class UnitWriter final {
 public:
  explicit UnitWriter(const std::string& address)
      : stub_(rv1::RegistryService::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
        thread_([this] { Run(); }) {}
  ~UnitWriter() { Stop(); }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // The ids acknowledged so far.
  std::vector<std::string> Acknowledged() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_;
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.size();
  }
  // How many calls failed, and the last failure's message.
  std::string Failures() {
    std::lock_guard<std::mutex> lock(mu_);
    return failures_ == 0
               ? ""
               : absl::StrCat(failures_, " failed, last: ", last_error_);
  }

 private:
  void Run() {
    for (int n = 0; !stop_; ++n) {
      rv1::CreateUnitRequest request;
      request.mutable_unit()->set_name(absl::StrCat("Đơn vị số ", n));
      request.mutable_unit()->set_kind(rv1::UNIT_KIND_AGENCY);
      request.mutable_unit()->set_province_code("44");
      request.mutable_unit()->set_managing_level(rv1::MANAGING_LEVEL_PROVINCE);
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(10));
      rv1::Unit unit;
      const grpc::Status status = stub_->CreateUnit(&context, request, &unit);
      if (status.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        ids_.push_back(unit.id());
      } else {
        std::lock_guard<std::mutex> lock(mu_);
        ++failures_;
        last_error_ = status.error_message();
      }
    }
  }

  std::unique_ptr<rv1::RegistryService::Stub> stub_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> ids_;
  int failures_ = 0;
  std::string last_error_;
  std::thread thread_;  // last: starts once the rest is ready
};

class AnttctlAdminTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = antt::testing::FreshTestDir(); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string DbPath() const { return Path("db"); }
  std::string BackupDir() const { return Path("backups"); }

  // Starts antt-registry in plaintext over DbPath() (with --backup_dir when
  // `backups`), on a port of its choosing.
  void StartRegistry(bool backups = true,
                     std::vector<std::string> extra = {"--insecure"}) {
    const std::string log = absl::StrCat(dir_, "/registry-", ++starts_, ".log");
    std::vector<std::string> args = {"--db_path=" + DbPath(),
                                     "--listen=127.0.0.1:0",
                                     "--metrics_listen=", "--health_listen="};
    if (backups) args.push_back("--backup_dir=" + BackupDir());
    args.insert(args.end(), extra.begin(), extra.end());
    registry_ =
        std::make_unique<ChildProcess>(BinDir() + "/antt-registry", args, log);
    const int port = antt::testing::WaitForListeningPort(log);
    ASSERT_NE(port, 0) << ReadFile(log);
    address_ = absl::StrCat("127.0.0.1:", port);
    log_ = log;
  }

  void StartPlaintextRegistry(bool backups = true) {
    ASSERT_NO_FATAL_FAILURE(StartRegistry(backups));
    ASSERT_TRUE(antt::testing::WaitServing(address_)) << ReadFile(log_);
  }

  void StopRegistry() {
    ASSERT_EQ(registry_->Stop(SIGTERM), 0) << ReadFile(log_);
    registry_.reset();
  }

  // anttctl in plaintext against the registry.
  Outcome Run(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--registry=" + address_, "--timeout=60",
                                    "--insecure"};
    all.insert(all.end(), args.begin(), args.end());
    return RunAnttctl(all, {}, dir_);
  }

  // Takes a backup through anttctl; returns its JSON.
  nlohmann::json Backup(bool verify = false) {
    std::vector<std::string> args = {"-o",     "json",      "admin",
                                     "backup", "--service", "registry"};
    if (verify) args.push_back("--verify");
    const Outcome o = Run(args);
    EXPECT_EQ(o.exit_code, 0) << o;
    return o.exit_code == 0 ? nlohmann::json::parse(o.out) : nlohmann::json();
  }

  std::vector<uint32_t> BackupIds() {
    const Outcome o =
        Run({"-o", "json", "admin", "backups", "--service", "registry"});
    EXPECT_EQ(o.exit_code, 0) << o;
    std::vector<uint32_t> ids;
    if (o.exit_code != 0) return ids;
    for (const auto& b : nlohmann::json::parse(o.out).value(
             "backups", nlohmann::json::array())) {
      ids.push_back(b.value("backup_id", 0u));
    }
    return ids;
  }

  grpc::StatusCode GetUnit(rv1::RegistryService::Stub& stub,
                           const std::string& id) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    rv1::GetUnitRequest request;
    request.set_id(id);
    rv1::Unit unit;
    const grpc::Status status = stub.GetUnit(&context, request, &unit);
    if (status.ok()) {
      EXPECT_EQ(unit.id(), id);
    }
    return status.error_code();
  }

  std::string dir_;
  std::unique_ptr<ChildProcess> registry_;
  std::string address_;
  std::string log_;
  int starts_ = 0;
};

// ---- the whole procedure under write load

TEST_F(AnttctlAdminTest, BackupUnderWritesWipeRestoreBringsBackEveryAckedUnit) {
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  UnitWriter writer(address_);
  ASSERT_TRUE(antt::testing::PollUntil(std::chrono::seconds(30),
                                       [&] { return writer.count() >= 100; }))
      << writer.Failures() << "\n"
      << ReadFile(log_);

  // Every id here was acknowledged before the backup call started.
  const std::vector<std::string> before = writer.Acknowledged();
  const nlohmann::json backup = Backup(/*verify=*/true);
  const std::vector<std::string> after_backup = writer.Acknowledged();
  ASSERT_TRUE(antt::testing::PollUntil(std::chrono::seconds(30), [&] {
    return writer.count() >= after_backup.size() + 20;
  }));
  writer.Stop();
  const std::vector<std::string> all = writer.Acknowledged();
  RecordProperty("units_before_backup", static_cast<int>(before.size()));
  RecordProperty("units_when_backup_answered",
                 static_cast<int>(after_backup.size()));
  EXPECT_EQ(writer.Failures(), "");
  ASSERT_EQ(backup.value("backup_id", 0), 1) << backup;
  // One audit record per unit: the backup began after all of `before`.
  EXPECT_GE(std::stoull(backup.value("last_audit_sequence", "0")),
            before.size())
      << backup;

  ASSERT_NO_FATAL_FAILURE(StopRegistry());
  fs::remove_all(DbPath());

  const Outcome restored =
      Run({"-o", "json", "admin", "restore", "--backup-dir", BackupDir(),
           "--db-path", DbPath()});
  ASSERT_EQ(restored.exit_code, 0) << restored;
  const nlohmann::json result = nlohmann::json::parse(restored.out);
  EXPECT_EQ(result["backup"].value("backup_id", 0), 1) << result;
  EXPECT_EQ(result.value("moved_aside", "?"), "") << result;
  const uint64_t restored_head = result.value("restored_audit_sequence", 0ull);
  EXPECT_GE(restored_head, before.size()) << result;

  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  auto stub = rv1::RegistryService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  for (const std::string& id : before) {
    ASSERT_EQ(GetUnit(*stub, id), grpc::StatusCode::OK) << id;
  }
  // The restored store is the backup's moment, not the wiped store: the
  // units acknowledged after the backup had answered are not in it (but the
  // first: the writer makes one call at a time, so at most one unit can have
  // been committed while its answer was still on the way), and the restored
  // audit chain counts exactly the units in it.
  for (size_t i = after_backup.size() + 1; i < all.size(); ++i) {
    EXPECT_EQ(GetUnit(*stub, all[i]), grpc::StatusCode::NOT_FOUND) << all[i];
  }
  size_t present = before.size();
  while (present < all.size() &&
         GetUnit(*stub, all[present]) == grpc::StatusCode::OK) {
    ++present;
  }
  EXPECT_EQ(restored_head, present);
  RecordProperty("units_in_backup", static_cast<int>(present));

  const Outcome verify = Run({"audit", "verify", "--service", "registry"});
  EXPECT_EQ(verify.exit_code, 0) << verify;
  EXPECT_TRUE(absl::StrContains(verify.out, "registry audit chain: intact"))
      << verify;
  EXPECT_TRUE(absl::StrContains(
      verify.out, absl::StrCat("last sequence:   ", restored_head, "\n")))
      << verify;
  // The backups themselves are still there for the next restore.
  EXPECT_EQ(BackupIds(), std::vector<uint32_t>{1});
}

// ---- listing, verifying, deleting

TEST_F(AnttctlAdminTest, BackupsAreListedVerifiedAndDeletedWithAuditRecords) {
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  ASSERT_EQ(Backup().value("backup_id", 0), 1);
  ASSERT_EQ(Backup().value("backup_id", 0), 2);

  const Outcome table = Run({"admin", "backups", "--service", "registry"});
  ASSERT_EQ(table.exit_code, 0) << table;
  const std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 3u) << table;
  EXPECT_TRUE(absl::StartsWith(lines[0], "ID  CREATED (UTC)")) << table;
  EXPECT_TRUE(absl::StartsWith(lines[1], "1 ")) << table;
  EXPECT_TRUE(absl::StartsWith(lines[2], "2 ")) << table;

  const Outcome verified =
      Run({"admin", "verify-backup", "--service", "registry", "2"});
  EXPECT_EQ(verified.exit_code, 0) << verified;
  EXPECT_EQ(verified.out, "registry backup 2: intact\n") << verified;

  const Outcome deleted =
      Run({"admin", "delete-backup", "--service", "registry", "1"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_EQ(deleted.out, "deleted registry backup 1\n");
  EXPECT_EQ(BackupIds(), std::vector<uint32_t>{2});

  const Outcome audit =
      Run({"-o", "json", "audit", "list", "--service", "registry"});
  ASSERT_EQ(audit.exit_code, 0) << audit;
  SCOPED_TRACE(audit.out);
  std::vector<std::pair<std::string, std::string>> records;
  const nlohmann::json list = nlohmann::json::parse(audit.out);
  for (const auto& r : list.value("records", nlohmann::json::array())) {
    records.emplace_back(r.value("method", ""), r["target_ids"][0]);
  }
  const std::string admin = "antt.admin.v1.AdminService/";
  EXPECT_EQ(records, (std::vector<std::pair<std::string, std::string>>{
                         {admin + "CreateBackup", "backup-1"},
                         {admin + "CreateBackup", "backup-2"},
                         {admin + "DeleteBackup", "backup-1"}}));
}

// Without an id, verify-backup checks the newest backup (what the backup
// jobs run after each backup); with none at all, exit 3.
TEST_F(AnttctlAdminTest, VerifyBackupWithoutAnIdChecksTheNewest) {
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  const Outcome none = Run({"admin", "verify-backup", "--service", "registry"});
  EXPECT_EQ(none.exit_code, 3) << none;
  EXPECT_TRUE(absl::StrContains(none.err, "registry has no backup to verify"))
      << none;
  ASSERT_EQ(Backup().value("backup_id", 0), 1);
  ASSERT_EQ(Backup().value("backup_id", 0), 2);
  const Outcome newest =
      Run({"admin", "verify-backup", "--service", "registry"});
  EXPECT_EQ(newest.exit_code, 0) << newest;
  EXPECT_EQ(newest.out, "registry backup 2: intact\n") << newest;
}

// The restore drill: a restored store's whole audit chain is walked and
// must pass through the head the backup recorded; a chain altered before
// the backup was taken restores, but is reported broken (exit 4), by
// anttctl and by deploy/scripts/restore-drill.sh.
TEST_F(AnttctlAdminTest, RestoreVerifyAuditWalksTheChainOfTheRestoredStore) {
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  ASSERT_EQ(Backup().value("backup_id", 0), 1);
  ASSERT_EQ(Backup().value("backup_id", 0), 2);  // record 1 is backup-1's
  ASSERT_NO_FATAL_FAILURE(StopRegistry());

  const Outcome intact = Run({"admin", "restore", "--backup-dir", BackupDir(),
                              "--db-path", Path("drill"), "--verify-audit"});
  EXPECT_EQ(intact.exit_code, 0) << intact;
  EXPECT_TRUE(absl::StrContains(
      intact.out,
      "audit chain of the restored store: intact through the backup's head "
      "(1 records checked)"))
      << intact;

  fs::create_directories(Path("scratch"));
  std::ofstream(Path("scratch/mine.txt")) << "an operator's file";
  const std::string drill = absl::StrCat(
      ANTT_SOURCE_DIR, "/deploy/scripts/restore-drill.sh --anttctl ", BinDir(),
      "/anttctl --scratch ", Path("scratch"), " registry=", BackupDir(), " >",
      Path("drill.out"), " 2>&1");
  EXPECT_EQ(std::system(drill.c_str()), 0) << ReadFile(Path("drill.out"));
  EXPECT_TRUE(absl::StrContains(ReadFile(Path("drill.out")),
                                "registry: restored and intact: backup 2"))
      << ReadFile(Path("drill.out"));
  // Its own directory inside --scratch is gone; the rest of --scratch stays.
  EXPECT_TRUE(fs::exists(Path("scratch/mine.txt")));
  EXPECT_EQ(std::distance(fs::directory_iterator(Path("scratch")),
                          fs::directory_iterator()),
            1);

  // Record 1 altered on disk, then a new backup of the altered store.
  ASSERT_NO_FATAL_FAILURE(
      antt::testing::AlterAuditCaller(DbPath(), 1, "someone-else"));
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  ASSERT_EQ(Backup().value("backup_id", 0), 3);
  ASSERT_NO_FATAL_FAILURE(StopRegistry());

  const Outcome broken =
      Run({"-o", "json", "admin", "restore", "--backup-dir", BackupDir(),
           "--db-path", Path("drill2"), "--verify-audit"});
  EXPECT_EQ(broken.exit_code, 4) << broken;
  const nlohmann::json result = nlohmann::json::parse(broken.out);
  EXPECT_EQ(result["backup"].value("backup_id", 0), 3) << result;
  EXPECT_EQ(result["audit_check"].value("intact", true), false) << result;
  EXPECT_EQ(result["audit_check"].value("first_broken_sequence", ""), "1")
      << result;
  EXPECT_EQ(std::system(drill.c_str()) == 0, false)
      << ReadFile(Path("drill.out"));
  EXPECT_TRUE(absl::StrContains(ReadFile(Path("drill.out")),
                                "registry: AUDIT CHAIN BROKEN at sequence 1"))
      << ReadFile(Path("drill.out"));
}

// ---- refusals and their exit codes

TEST_F(AnttctlAdminTest, WithoutBackupDirBackupsAreRefusedWithExitCode4) {
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry(/*backups=*/false));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"admin", "backup", "--service", "registry"},
        std::vector<std::string>{"admin", "backups", "--service",
                                 "registry"}}) {
    const Outcome o = Run(args);
    EXPECT_EQ(o.exit_code, 4) << o;
    EXPECT_TRUE(absl::StrContains(o.err, "--backup_dir")) << o;
    EXPECT_TRUE(absl::StrContains(o.err, "FAILED_PRECONDITION")) << o;
  }
}

TEST_F(AnttctlAdminTest, AnUnknownBackupIdExitsWith3) {
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  Backup();
  for (const char* verb : {"delete-backup", "verify-backup"}) {
    const Outcome o = Run({"admin", verb, "--service", "registry", "9"});
    EXPECT_EQ(o.exit_code, 3) << verb << "\n" << o;
    EXPECT_TRUE(absl::StrContains(o.err, "backup_id: no backup 9")) << o;
  }
  ASSERT_NO_FATAL_FAILURE(StopRegistry());
  const Outcome restore =
      Run({"admin", "restore", "--backup-dir", BackupDir(), "--db-path",
           Path("elsewhere"), "--backup-id", "9"});
  EXPECT_EQ(restore.exit_code, 3) << restore;
  EXPECT_TRUE(absl::StrContains(restore.err, "(it holds: 1)")) << restore;
  EXPECT_FALSE(fs::exists(Path("elsewhere")));
}

TEST_F(AnttctlAdminTest, RestoreOverADatabaseInUseOrNotEmptyIsAUsageError) {
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  const Outcome created =
      Run({"-o", "json", "units", "create", "--name", "Sở Tư pháp", "--kind",
           "agency", "--province", "44"});
  ASSERT_EQ(created.exit_code, 0) << created;
  const std::string id = nlohmann::json::parse(created.out).value("id", "");
  Backup();
  const std::vector<std::string> restore = {
      "admin", "restore", "--backup-dir", BackupDir(), "--db-path", DbPath()};

  // The server holds the database's LOCK: refused even with --force.
  std::vector<std::string> forced = restore;
  forced.push_back("--force");
  const Outcome in_use = Run(forced);
  EXPECT_EQ(in_use.exit_code, 2) << in_use;
  EXPECT_TRUE(absl::StrContains(in_use.err, "stop the server first")) << in_use;

  ASSERT_NO_FATAL_FAILURE(StopRegistry());
  const Outcome not_empty = Run(restore);
  EXPECT_EQ(not_empty.exit_code, 2) << not_empty;
  EXPECT_TRUE(absl::StrContains(not_empty.err, "is not empty")) << not_empty;
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(absl::StrContains(e.path().string(), "before-restore"))
        << e.path();
  }

  // With --force the old store is moved aside, the backup restored.
  const Outcome replaced = Run(forced);
  ASSERT_EQ(replaced.exit_code, 0) << replaced;
  EXPECT_TRUE(absl::StrContains(replaced.out, "restored backup 1")) << replaced;
  EXPECT_TRUE(absl::StrContains(replaced.out, DbPath() + ".before-restore-"))
      << replaced;
  ASSERT_NO_FATAL_FAILURE(StartPlaintextRegistry());
  auto stub = rv1::RegistryService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  EXPECT_EQ(GetUnit(*stub, id), grpc::StatusCode::OK);
}

// ---- ADMIN only, over mutual TLS

TEST_F(AnttctlAdminTest, OnlyAnAdminMayTakeOrListBackups) {
  TestPki pki(Path("pki"));
  pki.IssueCert("registry");
  pki.IssueCert("client");
  const std::string admin = pki.IssueToken("admin-ana", "ADMIN");
  const std::string viewer = pki.IssueToken("viewer-vu", "VIEWER");
  const std::string officer =
      pki.IssueToken("officer-qt", "OFFICER", "44", "2026-07");
  ASSERT_NO_FATAL_FAILURE(StartRegistry(true, pki.ServerFlags("registry")));
  ASSERT_TRUE(
      antt::testing::WaitServing(address_, pki.Credentials("client", admin)))
      << ReadFile(log_);
  const auto run_as = [&](const std::string& token,
                          const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--registry=" + address_,
                                    "--timeout=60",
                                    "--ca",
                                    pki.ca(),
                                    "--cert",
                                    pki.cert("client"),
                                    "--key",
                                    pki.key("client")};
    all.insert(all.end(), args.begin(), args.end());
    return RunAnttctl(all, {"ANTT_TOKEN=" + token}, dir_);
  };

  for (const std::string& token : {viewer, officer}) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"admin", "backup", "--service", "registry"},
          std::vector<std::string>{"admin", "backups", "--service",
                                   "registry"}}) {
      const Outcome o = run_as(token, args);
      EXPECT_EQ(o.exit_code, 5) << o;
      EXPECT_TRUE(absl::StrContains(o.err, "PERMISSION_DENIED")) << o;
    }
  }
  const Outcome taken =
      run_as(admin, {"-o", "json", "admin", "backup", "--service", "registry"});
  ASSERT_EQ(taken.exit_code, 0) << taken;
  EXPECT_EQ(nlohmann::json::parse(taken.out).value("backup_id", 0), 1);

  const Outcome audit =
      run_as(admin, {"-o", "json", "audit", "list", "--service", "registry"});
  ASSERT_EQ(audit.exit_code, 0) << audit;
  const nlohmann::json records = nlohmann::json::parse(audit.out)["records"];
  ASSERT_EQ(records.size(), 1u) << records;
  EXPECT_EQ(records[0].value("caller", ""), "admin-ana");
  EXPECT_EQ(records[0].value("method", ""),
            "antt.admin.v1.AdminService/CreateBackup");
}

}  // namespace
}  // namespace antt::cli
