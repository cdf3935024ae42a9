// The real anttctl binary against a real antt-registry speaking mutual TLS
// with a principals file (certificates and tokens issued by
// scripts/antt-credentials): the client certificate flags and their usage
// errors, exit code 5 for a caller the service does not know or does not
// allow, and `audit list` / `audit verify`, also on a chain altered directly
// in the store.

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "antt/audit/v1/audit.pb.h"
#include "common/rocksdb_db.h"
#include "tests/cli/anttctl_runner.h"
#include "tests/testing/audit_tamper.h"
#include "tests/testing/credentials.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/process.h"
#include "tests/testing/test_util.h"

namespace antt::cli {
namespace {

using ::antt::testing::BinDir;
using ::antt::testing::ChildProcess;
using ::antt::testing::ReadFile;
using ::antt::testing::TestPki;

constexpr char kCreateUnit[] = "antt.registry.v1.RegistryService/CreateUnit";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// The column families of the registry's store, in its order.
const std::vector<std::string>& RegistryColumnFamilies() {
  static const auto* const names = new std::vector<std::string>{
      "default", "units", "persons", "changes", "requests", "index", "audit"};
  return *names;
}
constexpr int kUnitsCf = 1;

class AnttctlSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = antt::testing::FreshTestDir();
    pki_ = std::make_unique<TestPki>(dir_ + "/pki");
    pki_->IssueCert("registry");
    pki_->IssueCert("officer-client");
    admin_ = pki_->IssueToken("admin-ana", "ADMIN");
    viewer_ = pki_->IssueToken("viewer-vu", "VIEWER");
    officer_ = pki_->IssueToken("officer-qt", "OFFICER", "44", "2026-07");
    ASSERT_NO_FATAL_FAILURE(StartRegistry());
  }

  // Starts antt-registry with mutual TLS and the principals file on a port of
  // its choosing, over the database of an earlier start if there was one.
  void StartRegistry() {
    const std::string log = absl::StrCat(dir_, "/registry-", ++starts_, ".log");
    std::vector<std::string> args = pki_->ServerFlags("registry");
    args.push_back("--db_path=" + DbPath());
    args.push_back("--listen=127.0.0.1:0");
    args.push_back("--metrics_listen=");
    args.push_back("--health_listen=");
    registry_ =
        std::make_unique<ChildProcess>(BinDir() + "/antt-registry", args, log);
    const int port = antt::testing::WaitForListeningPort(log);
    ASSERT_NE(port, 0) << ReadFile(log);
    address_ = absl::StrCat("127.0.0.1:", port);
    ASSERT_TRUE(antt::testing::WaitServing(
        address_, pki_->Credentials("officer-client", admin_)))
        << ReadFile(log);
  }

  std::string DbPath() const { return dir_ + "/db"; }

  // The flags for mutual TLS with the client certificate "officer-client".
  std::vector<std::string> TlsFlags() const {
    return {"--ca",   pki_->ca(),
            "--cert", pki_->cert("officer-client"),
            "--key",  pki_->key("officer-client")};
  }

  // Runs anttctl with `flags` and `args`, `token` in ANTT_TOKEN (none when
  // empty) and `env` besides.
  Outcome RunWith(const std::vector<std::string>& flags,
                  const std::string& token,
                  const std::vector<std::string>& args,
                  std::vector<std::string> env = {}) {
    std::vector<std::string> all = {"--registry=" + address_, "--timeout=20"};
    all.insert(all.end(), flags.begin(), flags.end());
    all.insert(all.end(), args.begin(), args.end());
    if (!token.empty()) env.push_back("ANTT_TOKEN=" + token);
    return RunAnttctl(all, env, dir_);
  }

  // Runs anttctl over mutual TLS as the principal of `token`.
  Outcome Run(const std::string& token, const std::vector<std::string>& args) {
    return RunWith(TlsFlags(), token, args);
  }

  // Creates an agency in province 44 (or `province`) as admin-ana; returns
  // its id.
  std::string CreateAgency(const std::string& name,
                           const std::string& province = "44") {
    const Outcome o =
        Run(admin_, {"-o", "json", "units", "create", "--name", name, "--kind",
                     "agency", "--province", province});
    EXPECT_EQ(o.exit_code, 0) << o;
    return o.exit_code == 0 ? nlohmann::json::parse(o.out).value("id", "") : "";
  }

  // The registry's audit records as admin-ana reads them.
  nlohmann::json AuditRecords() {
    const Outcome o =
        Run(admin_, {"-o", "json", "audit", "list", "--service", "registry"});
    EXPECT_EQ(o.exit_code, 0) << o;
    return nlohmann::json::parse(o.out).value("records",
                                              nlohmann::json::array());
  }

  // Replaces the caller of audit record `sequence` in the stopped
  // registry's store, leaving its hash as it was.
  void AlterCallerOfRecord(uint64_t sequence, const std::string& caller) {
    antt::testing::AlterAuditCaller(DbPath(), sequence, caller);
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
  std::unique_ptr<TestPki> pki_;
  std::string admin_, viewer_, officer_;  // tokens
  std::unique_ptr<ChildProcess> registry_;
  std::string address_;
  int starts_ = 0;
};

// ---- mutual TLS and the audit log as an ADMIN sees it

TEST_F(AnttctlSecurityTest, AnAdminsCreateIsInTheAuditListWithCallerAndMethod) {
  const std::string id = CreateAgency("Sở Tư pháp");
  ASSERT_FALSE(id.empty());

  const nlohmann::json records = AuditRecords();
  ASSERT_EQ(records.size(), 1u) << records;
  EXPECT_EQ(records[0].value("sequence", ""), "1");
  EXPECT_EQ(records[0].value("caller", ""), "admin-ana");
  EXPECT_EQ(records[0].value("method", ""), kCreateUnit);
  EXPECT_EQ(records[0].value("target_ids", nlohmann::json::array()),
            nlohmann::json::array({id}));
  EXPECT_EQ(records[0].value("previous_hash", ""), std::string(64, '0'));
  const std::string hash = records[0].value("hash", "");
  ASSERT_EQ(hash.size(), 64u) << records;

  const Outcome table = Run(admin_, {"audit", "list", "--service", "registry"});
  ASSERT_EQ(table.exit_code, 0) << table;
  const std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 3u) << table;
  EXPECT_TRUE(absl::StartsWith(lines[0], "SEQ  TIME (UTC)")) << table;
  for (const std::string& cell :
       {std::string("admin-ana"), std::string("CreateUnit"), id,
        hash.substr(0, 12)}) {
    EXPECT_TRUE(absl::StrContains(lines[1], cell)) << cell << "\n" << table;
  }
  EXPECT_FALSE(absl::StrContains(lines[1], hash)) << "the table shortens it";
  EXPECT_EQ(lines[2], "1 records");

  const Outcome verify =
      Run(admin_, {"audit", "verify", "--service", "registry"});
  EXPECT_EQ(verify.exit_code, 0) << verify;
  EXPECT_TRUE(absl::StrContains(verify.out, "registry audit chain: intact"))
      << verify;
  EXPECT_TRUE(absl::StrContains(verify.out, "records checked: 1\n")) << verify;
  EXPECT_TRUE(absl::StrContains(verify.out, "last hash:       " + hash))
      << verify;
}

TEST_F(AnttctlSecurityTest, CaCertificateKeyAndTokenComeFromTheEnvironment) {
  const Outcome o = RunWith(
      {}, admin_, {"units", "list"},
      {"ANTT_CA=" + pki_->ca(), "ANTT_CERT=" + pki_->cert("officer-client"),
       "ANTT_KEY=" + pki_->key("officer-client")});
  EXPECT_EQ(o.exit_code, 0) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "0 of 0 units")) << o;
}

TEST_F(AnttctlSecurityTest, WithoutAClientCertificateTheHandshakeFailsExitOne) {
  const Outcome o = RunWith({"--ca", pki_->ca()}, admin_,
                            {"units", "create", "--name", "Sở Tư pháp",
                             "--kind", "agency", "--province", "44"});
  EXPECT_EQ(o.exit_code, 1) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "UNAVAILABLE")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "--cert and --key")) << o;
  EXPECT_TRUE(AuditRecords().empty());
}

TEST_F(AnttctlSecurityTest, ACertificateFromAnotherCaIsRefusedExitOne) {
  TestPki other(dir_ + "/other-pki");
  other.IssueCert("intruder");
  const Outcome o =
      RunWith({"--ca", pki_->ca(), "--cert", other.cert("intruder"), "--key",
               other.key("intruder")},
              admin_, {"units", "list"});
  EXPECT_EQ(o.exit_code, 1) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "UNAVAILABLE")) << o;
}

// ---- exit code 5: not allowed

TEST_F(AnttctlSecurityTest, AViewerMayReadButNotCreateAndNothingIsAudited) {
  EXPECT_EQ(Run(viewer_, {"units", "list"}).exit_code, 0);
  const Outcome o = Run(viewer_, {"units", "create", "--name", "Sở Tư pháp",
                                  "--kind", "agency", "--province", "44"});
  EXPECT_EQ(o.exit_code, 5) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "PERMISSION_DENIED")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "viewer-vu (VIEWER)")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "CreateUnit")) << o;
  EXPECT_TRUE(AuditRecords().empty());
}

TEST_F(AnttctlSecurityTest, OnlyAnAdminMayListOrVerifyTheAuditLog) {
  CreateAgency("Sở Tư pháp");
  for (const std::string* token : {&viewer_, &officer_}) {
    for (const char* verb : {"list", "verify"}) {
      const Outcome o = Run(*token, {"audit", verb, "--service", "registry"});
      EXPECT_EQ(o.exit_code, 5) << verb << " " << o;
      EXPECT_TRUE(absl::StrContains(o.err, "PERMISSION_DENIED")) << o;
      EXPECT_TRUE(absl::StrContains(o.err, "AuditService")) << o;
      EXPECT_TRUE(o.out.empty()) << o;
    }
    const Outcome o =
        Run(*token, {"audit", "verify", "--service", "registry", "--records"});
    EXPECT_EQ(o.exit_code, 5) << o;
    EXPECT_TRUE(absl::StrContains(o.err, "VerifyRecords")) << o;
  }
}

TEST_F(AnttctlSecurityTest, AnUnknownTokenExitsFiveAndIsNeverPrinted) {
  const std::string unknown(64, 'e');
  const Outcome from_env = Run(unknown, {"units", "list"});
  EXPECT_EQ(from_env.exit_code, 5) << from_env;
  EXPECT_TRUE(absl::StrContains(from_env.err, "UNAUTHENTICATED")) << from_env;
  EXPECT_TRUE(absl::StrContains(from_env.err, "ANTT_TOKEN")) << from_env;
  EXPECT_FALSE(absl::StrContains(from_env.err + from_env.out, unknown))
      << from_env;

  const Outcome from_flag =
      RunWith(TlsFlags(), "", {"--token", unknown, "units", "list"});
  EXPECT_EQ(from_flag.exit_code, 5) << from_flag;
  EXPECT_FALSE(absl::StrContains(from_flag.err + from_flag.out, unknown))
      << from_flag;

  const Outcome none = Run("", {"units", "list"});
  EXPECT_EQ(none.exit_code, 5) << none;
  EXPECT_TRUE(absl::StrContains(none.err, "UNAUTHENTICATED")) << none;
}

TEST_F(AnttctlSecurityTest, AnUnknownTokenStopsABulkImportAtTheFirstRow) {
  const std::string unit = CreateAgency("Sở Tư pháp");
  const std::string csv = Path("persons.csv");
  std::string rows = "full_name,gender,birth_year,unit_id,role,since\n";
  for (int i = 0; i < 20; ++i) {
    absl::StrAppend(&rows, "Nguyễn Văn ", i, ",male,1970,", unit,
                    ",staff,2010-01-01\n");
  }
  WriteFile(csv, rows);
  const Outcome o =
      Run(std::string(64, 'e'), {"persons", "import", csv, "--parallel", "1"});
  EXPECT_EQ(o.exit_code, 5) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "UNAUTHENTICATED")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "the import stopped")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "0 created")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "0 rejected")) << o;
}

TEST_F(AnttctlSecurityTest, AnOfficersImportReportsRowsOutsideItsAreaExitFive) {
  const std::string inside = CreateAgency("Sở Tư pháp Quảng Trị", "44");
  const std::string outside = CreateAgency("Sở Tư pháp Hà Nội", "01");
  ASSERT_FALSE(outside.empty());
  const std::string csv = Path("persons.csv");
  WriteFile(csv, absl::StrCat("full_name,gender,birth_year,unit_id,role,since\n"
                              "Nguyễn Văn An,male,1970,",
                              inside, ",leader,2010-01-01\n",
                              "Trần Thị Bình,female,1980,", outside,
                              ",leader,2015-03-01\n"));
  const Outcome o = Run(officer_, {"-o", "csv", "persons", "import", csv});
  EXPECT_EQ(o.exit_code, 5) << o;
  const std::vector<std::string> created = Lines(o.out);
  ASSERT_EQ(created.size(), 2u) << o;  // the header and row 1
  EXPECT_TRUE(absl::StartsWith(created[1], "1,P")) << o;
  const std::vector<std::string> report = Lines(ReadFile(csv + ".errors.csv"));
  ASSERT_EQ(report.size(), 2u) << ReadFile(csv + ".errors.csv");
  EXPECT_TRUE(absl::StartsWith(report[1], "2,,")) << report[1];
  EXPECT_TRUE(absl::StrContains(report[1], "officer-qt")) << report[1];
  // The field whose unit lies elsewhere (every unit a person refers to
  // must lie in the officer's area).
  EXPECT_TRUE(absl::StrContains(report[1], "person.unit_id")) << report[1];
  EXPECT_TRUE(absl::StrContains(report[1], "PERMISSION_DENIED")) << report[1];
}

// ---- audit list and verify

TEST_F(AnttctlSecurityTest, AuditListPagesThroughTheChainAndStopsAtTheLimit) {
  const std::vector<std::string> ids = {CreateAgency("Sở Tư pháp"),
                                        CreateAgency("Sở Y tế"),
                                        CreateAgency("Sở Tài chính")};
  // One record a page: every record comes through next_page_token.
  const Outcome all =
      Run(admin_, {"-o", "csv", "audit", "list", "--service", "registry",
                   "--limit", "0", "--page-size", "1"});
  ASSERT_EQ(all.exit_code, 0) << all;
  const std::vector<std::string> lines = Lines(all.out);
  ASSERT_EQ(lines.size(), 4u) << all;
  EXPECT_EQ(lines[0],
            "sequence,time,caller,method,target_ids,request_sha256,"
            "previous_hash,hash");
  std::string previous_hash(64, '0');
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> cells = absl::StrSplit(lines[i], ',');
    ASSERT_EQ(cells.size(), 8u) << lines[i];
    EXPECT_EQ(cells[0], absl::StrCat(i));
    EXPECT_EQ(cells[2], "admin-ana");
    EXPECT_EQ(cells[3], kCreateUnit);
    EXPECT_EQ(cells[4], ids[i - 1]);
    EXPECT_EQ(cells[5].size(), 64u) << lines[i];
    EXPECT_EQ(cells[6], previous_hash) << "record " << i << " links back";
    previous_hash = cells[7];
  }

  const Outcome limited =
      Run(admin_, {"audit", "list", "--service", "registry", "--limit", "2"});
  ASSERT_EQ(limited.exit_code, 0) << limited;
  EXPECT_EQ(Lines(limited.out).size(), 4u) << limited;
  EXPECT_TRUE(absl::StrContains(limited.out, "2 records (more: --after 2)"))
      << limited;

  const Outcome after = Run(admin_, {"-o", "json", "audit", "list", "--service",
                                     "registry", "--after", "2"});
  ASSERT_EQ(after.exit_code, 0) << after;
  const nlohmann::json records = nlohmann::json::parse(after.out)["records"];
  ASSERT_EQ(records.size(), 1u) << after;
  EXPECT_EQ(records[0].value("sequence", ""), "3");
}

TEST_F(AnttctlSecurityTest, ARecordAlteredInTheStoreBreaksTheChainExitFour) {
  for (const char* name : {"Sở Tư pháp", "Sở Y tế", "Sở Tài chính"}) {
    CreateAgency(name);
  }
  ASSERT_EQ(Run(admin_, {"audit", "verify", "--service", "registry"}).exit_code,
            0);
  ASSERT_EQ(registry_->Stop(SIGTERM), 0);
  ASSERT_NO_FATAL_FAILURE(AlterCallerOfRecord(2, "admin-bob"));
  ASSERT_NO_FATAL_FAILURE(StartRegistry());

  const Outcome o = Run(admin_, {"audit", "verify", "--service", "registry"});
  EXPECT_EQ(o.exit_code, 4) << o;
  EXPECT_TRUE(absl::StrContains(o.out,
                                "registry audit chain: BROKEN at record 2: "
                                "the record's contents do not match its hash"))
      << o;
  EXPECT_TRUE(absl::StrContains(o.out, "records checked: 1 ")) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "last sequence:   1\n")) << o;

  const Outcome json =
      Run(admin_, {"-o", "json", "audit", "verify", "--service", "registry"});
  EXPECT_EQ(json.exit_code, 4) << json;
  const nlohmann::json result = nlohmann::json::parse(json.out);
  EXPECT_EQ(result.value("intact", true), false) << json;
  EXPECT_EQ(result.value("first_broken_sequence", ""), "2") << json;
  EXPECT_EQ(result.value("records_checked", ""), "1") << json;

  // The altered record still lists: the chain, not the list, proves it false.
  const nlohmann::json records = AuditRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].value("caller", ""), "admin-bob");
}

// A unit edited in the store's files leaves the chain intact — the chain
// covers the audit records — but not the records check, which names it.
TEST_F(AnttctlSecurityTest, AUnitEditedInTheStoreIsNamedByTheRecordsCheck) {
  CreateAgency("Sở Tư pháp");
  const std::string edited = CreateAgency("Sở Tài chính");
  Outcome o =
      Run(admin_, {"audit", "verify", "--service", "registry", "--records"});
  EXPECT_EQ(o.exit_code, 0) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "registry records: intact")) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "records checked:    2")) << o;

  ASSERT_EQ(registry_->Stop(SIGTERM), 0);
  {
    absl::StatusOr<std::unique_ptr<RocksDb>> db =
        RocksDb::Open(DbPath(), RegistryColumnFamilies());
    ASSERT_OK(db);
    absl::StatusOr<std::optional<std::string>> value =
        (*db)->Get(kUnitsCf, edited);
    ASSERT_OK(value);
    ASSERT_TRUE(value->has_value());
    std::string forged = **value;
    const size_t at = forged.find("chính");
    ASSERT_NE(at, std::string::npos);
    forged.replace(at, std::string("chính").size(), "chánh");
    rocksdb::WriteBatch batch;
    ASSERT_TRUE(batch.Put((*db)->cf(kUnitsCf), edited, forged).ok());
    ASSERT_OK((*db)->Write(&batch, /*sync=*/true));
  }
  ASSERT_NO_FATAL_FAILURE(StartRegistry());

  EXPECT_EQ(Run(admin_, {"audit", "verify", "--service", "registry"}).exit_code,
            0);
  o = Run(admin_, {"audit", "verify", "--service", "registry", "--records"});
  EXPECT_EQ(o.exit_code, 4) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "DIFFER FROM THE AUDIT LOG")) << o;
  const std::vector<std::string> lines = Lines(o.out);
  ASSERT_FALSE(lines.empty()) << o;
  EXPECT_TRUE(absl::StrContains(lines.back(), edited)) << o;
  EXPECT_TRUE(absl::StrContains(lines.back(), "CHANGED")) << o;

  const Outcome csv = Run(admin_, {"-o", "csv", "audit", "verify", "--service",
                                   "registry", "--records"});
  EXPECT_EQ(csv.exit_code, 4) << csv;
  EXPECT_EQ(Lines(csv.out).size(), 2u) << csv;
}

// ---- usage errors of the connection flags (exit 2, before any call)

TEST_F(AnttctlSecurityTest, ACertificateWithoutItsKeyIsAUsageError) {
  const Outcome cert_only =
      RunWith({"--ca", pki_->ca(), "--cert", pki_->cert("officer-client")},
              admin_, {"units", "list"});
  EXPECT_EQ(cert_only.exit_code, 2) << cert_only;
  EXPECT_TRUE(absl::StrContains(cert_only.err, "--cert")) << cert_only;
  EXPECT_TRUE(absl::StrContains(cert_only.err, "needs --key")) << cert_only;

  const Outcome key_only =
      RunWith({"--ca", pki_->ca()}, admin_, {"units", "list"},
              {"ANTT_KEY=" + pki_->key("officer-client")});
  EXPECT_EQ(key_only.exit_code, 2) << key_only;
  EXPECT_TRUE(absl::StrContains(key_only.err, "--key (or ANTT_KEY)"))
      << key_only;
  EXPECT_TRUE(absl::StrContains(key_only.err, "needs --cert")) << key_only;
}

TEST_F(AnttctlSecurityTest, AnUnreadableFileIsAUsageErrorNamingItNotQuotingIt) {
  const std::string missing = Path("no-such.key");
  const Outcome absent =
      RunWith({"--ca", pki_->ca(), "--cert", pki_->cert("officer-client"),
               "--key", missing},
              admin_, {"units", "list"});
  EXPECT_EQ(absent.exit_code, 2) << absent;
  EXPECT_TRUE(absl::StrContains(absent.err, "--key")) << absent;
  EXPECT_TRUE(absl::StrContains(absent.err, missing)) << absent;

  // A file that is not what its flag wants: named, its contents not shown.
  const std::string secret = Path("secret.txt");
  WriteFile(secret, "the-secret-contents-4711\n");
  for (const char* flag : {"--cert", "--key", "--ca"}) {
    std::vector<std::string> flags = TlsFlags();
    for (size_t i = 0; i < flags.size(); i += 2) {
      if (flags[i] == flag) flags[i + 1] = secret;
    }
    const Outcome o = RunWith(flags, admin_, {"units", "list"});
    EXPECT_EQ(o.exit_code, 2) << flag << " " << o;
    EXPECT_TRUE(absl::StrContains(o.err, flag)) << o;
    EXPECT_TRUE(absl::StrContains(o.err, secret)) << o;
    EXPECT_FALSE(absl::StrContains(o.err + o.out, "4711")) << o;
  }

  // A key that is not the certificate's.
  const Outcome other_key =
      RunWith({"--ca", pki_->ca(), "--cert", pki_->cert("officer-client"),
               "--key", pki_->key("registry")},
              admin_, {"units", "list"});
  EXPECT_EQ(other_key.exit_code, 2) << other_key;
  EXPECT_TRUE(absl::StrContains(other_key.err, "is not the private key of"))
      << other_key;
}

TEST_F(AnttctlSecurityTest, InsecureWithTlsFlagsIsAUsageError) {
  const std::vector<std::vector<std::string>> cases = {
      {"--insecure", "--ca", pki_->ca()},
      {"--insecure", "--cert", pki_->cert("officer-client"), "--key",
       pki_->key("officer-client")},
  };
  for (const auto& flags : cases) {
    const Outcome o = RunWith(flags, admin_, {"units", "list"});
    EXPECT_EQ(o.exit_code, 2) << o;
    EXPECT_TRUE(absl::StrContains(o.err, "--insecure")) << o;
    EXPECT_TRUE(absl::StrContains(o.err, flags[1])) << o;
  }
  const Outcome env = RunWith({"--insecure"}, admin_, {"units", "list"},
                              {"ANTT_CA=" + pki_->ca()});
  EXPECT_EQ(env.exit_code, 2) << env;
  EXPECT_TRUE(absl::StrContains(env.err, "ANTT_CA")) << env;
}

TEST_F(AnttctlSecurityTest, ATokenThatCannotBeAHeaderIsAUsageErrorNotShown) {
  const std::string token = "secret token-4711";
  const Outcome o = Run(token, {"units", "list"});
  EXPECT_EQ(o.exit_code, 2) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "--token (or ANTT_TOKEN)")) << o;
  EXPECT_FALSE(absl::StrContains(o.err + o.out, "4711")) << o;
}

TEST_F(AnttctlSecurityTest, HelpNeverShowsTheToken) {
  const Outcome o = Run(admin_, {"--help"});
  EXPECT_EQ(o.exit_code, 0) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "--token")) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "5 not allowed")) << o;
  EXPECT_FALSE(absl::StrContains(o.out + o.err, admin_)) << o;
}

}  // namespace
}  // namespace antt::cli
