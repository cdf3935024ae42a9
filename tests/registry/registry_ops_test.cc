// Operations of the real antt-registry binary: metrics scraped over HTTP
// after real calls, the plaintext health port next to a TLS-only main port,
// NOT_SERVING during the drain, SIGTERM with calls in flight (they finish,
// the process exits 0), and the JSON call log.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <variant>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/registry/fixtures.h"
#include "tests/testing/credentials.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/held_port.h"
#include "tests/testing/process.h"
#include "tests/testing/prometheus_text.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::antt::testing::BinDir;
using ::antt::testing::ChildProcess;
using ::antt::testing::Exposition;
using ::antt::testing::ParseExposition;
using ::antt::testing::PollUntil;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr char kService[] = "antt.registry.v1.RegistryService";
constexpr char kGetUnit[] = "/antt.registry.v1.RegistryService/GetUnit";
constexpr char kCreateUnit[] = "/antt.registry.v1.RegistryService/CreateUnit";
constexpr char kImportUnits[] = "/antt.registry.v1.RegistryService/ImportUnits";
// The labels of those methods' series.
constexpr char kGetUnitLabels[] =
    R"(grpc_type="unary",grpc_service="antt.registry.v1.RegistryService",)"
    R"(grpc_method="GetUnit")";
constexpr char kCreateUnitLabels[] =
    R"(grpc_type="unary",grpc_service="antt.registry.v1.RegistryService",)"
    R"(grpc_method="CreateUnit")";
constexpr char kImportUnitsLabels[] =
    R"(grpc_type="client_stream",grpc_service="antt.registry.v1.)"
    R"(RegistryService",grpc_method="ImportUnits")";

// The JSON objects of a log, one per line; fails the test on a line that is
// not one.
std::vector<nlohmann::json> LogLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      ADD_FAILURE() << "not one JSON object: " << line;
      continue;
    }
    lines.push_back(std::move(parsed));
  }
  return lines;
}

class RegistryOpsTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = antt::testing::FreshTestDir(); }

  // Starts antt-registry with every port on a port of its choosing, plus
  // `flags` (default: --insecure), and waits until the main port serves over
  // `credentials`. Reads the three ports from the log.
  std::unique_ptr<ChildProcess> Start(
      std::vector<std::string> flags = {"--insecure"},
      std::shared_ptr<grpc::ChannelCredentials> credentials =
          grpc::InsecureChannelCredentials()) {
    log_ = absl::StrCat(dir_, "/server-", ++starts_, ".log");
    std::vector<std::string> args = {
        "--db_path=" + dir_ + "/db", "--listen=127.0.0.1:0",
        "--metrics_listen=127.0.0.1:0", "--health_listen=127.0.0.1:0"};
    args.insert(args.end(), flags.begin(), flags.end());
    auto child =
        std::make_unique<ChildProcess>(BinDir() + "/antt-registry", args, log_);
    const int port = antt::testing::WaitForListeningPort(log_);
    EXPECT_NE(port, 0) << Log();
    // Logged before "listening", so present once it is.
    metrics_port_ = LoggedInt("metrics_port");
    health_port_ = LoggedInt("health_port");
    EXPECT_GT(metrics_port_, 0) << Log();
    EXPECT_GT(health_port_, 0) << Log();
    // 127.0.0.1, not localhost: resolving a name through c-ares leaves a
    // few bytes that LeakSanitizer reports in the test process.
    address_ = absl::StrCat("127.0.0.1:", port);
    EXPECT_TRUE(antt::testing::WaitServing(address_, credentials)) << Log();
    channel_ = grpc::CreateChannel(address_, credentials);
    stub_ = v1::RegistryService::NewStub(channel_);
    health_channel_ =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", health_port_),
                            grpc::InsecureChannelCredentials());
    return child;
  }

  std::string Log() const { return antt::testing::ReadFile(log_); }

  // The integer field `key` of the first log line that has it; 0 if none.
  int LoggedInt(const std::string& key) const {
    for (const nlohmann::json& line : LogLines(Log())) {
      if (line.contains(key) && line[key].is_number_integer()) {
        return line[key].get<int>();
      }
    }
    return 0;
  }

  bool LogHas(const std::string& msg) const {
    for (const nlohmann::json& line : LogLines(Log())) {
      if (line.value("msg", "") == msg) return true;
    }
    return false;
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  Exposition Scrape() const {
    httplib::Client client("127.0.0.1", metrics_port_);
    httplib::Result result = client.Get("/metrics");
    EXPECT_TRUE(result) << httplib::to_string(result.error());
    if (!result) return {};
    EXPECT_EQ(result->status, 200);
    return ParseExposition(result->body);
  }

  // The health port's answer for `service`, or the call's error code.
  std::variant<HealthCheckResponse::ServingStatus, grpc::StatusCode> HealthPort(
      const std::string& service) const {
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::Status status = Health::NewStub(health_channel_)
                              ->Check(Context().get(), request, &response);
    if (!status.ok()) return status.error_code();
    return response.status();
  }

  grpc::StatusCode GetUnit(const std::string& id) {
    v1::GetUnitRequest request;
    request.set_id(id);
    v1::Unit unit;
    return stub_->GetUnit(Context().get(), request, &unit).error_code();
  }

  std::string CreateUnit(const std::string& name) {
    v1::CreateUnitRequest request;
    *request.mutable_unit() = testing::Agency(name);
    v1::Unit unit;
    grpc::Status status = stub_->CreateUnit(Context().get(), request, &unit);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return unit.id();
  }

  // Hangs up, so an idle connection does not hold the drain.
  void HangUp() {
    stub_.reset();
    channel_.reset();
    health_channel_.reset();
  }

  std::string dir_;
  std::string log_;
  int starts_ = 0;
  int metrics_port_ = 0;
  int health_port_ = 0;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<grpc::Channel> health_channel_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

std::string Calls(const std::string& method, const std::string& code) {
  return absl::StrCat("grpc_server_handled_total{", method, ",grpc_code=\"",
                      code, "\"}");
}

TEST_F(RegistryOpsTest, MetricsCountRealCallsScrapedOverHttp) {
  auto server = Start();
  const std::string id = CreateUnit("Sở Tư pháp");
  EXPECT_EQ(GetUnit(id), grpc::StatusCode::OK);
  EXPECT_EQ(GetUnit(id), grpc::StatusCode::OK);
  EXPECT_EQ(GetUnit("U9999999999"), grpc::StatusCode::NOT_FOUND);

  const Exposition e = Scrape();
  EXPECT_EQ(e.Value(Calls(kGetUnitLabels, "OK")), 2);
  EXPECT_EQ(e.Value(Calls(kGetUnitLabels, "NotFound")), 1);
  EXPECT_EQ(e.Value(Calls(kCreateUnitLabels, "OK")), 1);
  EXPECT_EQ(
      e.Value(absl::StrCat("grpc_server_started_total{", kGetUnitLabels, "}")),
      3);
  EXPECT_EQ(e.Value(absl::StrCat("grpc_server_handling_seconds_count{",
                                 kGetUnitLabels, "}")),
            3);
  EXPECT_EQ(e.types.at("grpc_server_handling_seconds"), "histogram");
  EXPECT_EQ(e.Value("antt_grpc_server_calls_in_flight"), 0);
  EXPECT_EQ(e.types.at("antt_grpc_server_calls_in_flight"), "gauge");
  // The process and its store's write path.
  EXPECT_GT(e.Value("process_resident_memory_bytes"), 0);
  EXPECT_GT(e.Value("process_open_fds"), 0);
  EXPECT_EQ(e.Value("antt_rocksdb_write_stopped"), 0);
  EXPECT_TRUE(e.Has("antt_rocksdb_pending_compaction_bytes"));
  // Started without --backup_dir: no backup metrics that could look like
  // "never backed up" (tests/common/backup_test.cc checks them).
  EXPECT_FALSE(e.Has("antt_backup_last_success_timestamp_seconds"));
  // The unit, its index entries, its change-feed entry: keys in the store.
  EXPECT_GE(e.Value("antt_rocksdb_estimated_keys{column_family=\"units\"}"), 1);
  EXPECT_GE(e.Value("antt_rocksdb_estimated_keys{column_family=\"changes\"}"),
            1);
  EXPECT_TRUE(e.Has("antt_rocksdb_live_data_bytes"));

  bool build_info = false;
  for (const auto& [series, value] : e.samples) {
    if (!absl::StartsWith(series, "antt_build_info{")) continue;
    build_info = true;
    EXPECT_EQ(value, 1);
    EXPECT_TRUE(absl::StrContains(series, "version=\"")) << series;
    EXPECT_TRUE(absl::StrContains(series, "revision=\"")) << series;
    EXPECT_TRUE(
        absl::StrContains(series, absl::StrCat("service=\"", kService, "\"")))
        << series;
  }
  EXPECT_TRUE(build_info);
  HangUp();
  EXPECT_EQ(server->Stop(SIGTERM), 0) << Log();
}

// An ImportUnits stream still sending is in flight; once it ends, it is not.
TEST_F(RegistryOpsTest, InFlightGaugeCountsAnOpenStream) {
  auto server = Start();
  grpc::ClientContext context;
  v1::ImportUnitsResponse response;
  auto stream = stub_->ImportUnits(&context, &response);
  v1::ImportUnitsRequest row;
  *row.mutable_unit() = testing::Agency("Sở Xây dựng", "X1");
  ASSERT_TRUE(stream->Write(row));
  // Write returns once the row is sent, which may be before the server has
  // taken the call up: wait for it (a busy machine showed the gap).
  EXPECT_TRUE(PollUntil(std::chrono::seconds(10), [&] {
    return Scrape().Value("antt_grpc_server_calls_in_flight") == 1;
  }));
  ASSERT_TRUE(stream->WritesDone());
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(response.created(), 1);
  const Exposition e = Scrape();
  EXPECT_EQ(e.Value("antt_grpc_server_calls_in_flight"), 0);
  EXPECT_EQ(e.Value(Calls(kImportUnitsLabels, "OK")), 1);
  HangUp();
  EXPECT_EQ(server->Stop(SIGTERM), 0) << Log();
}

// Kubernetes' gRPC probes speak plaintext; the main port speaks only mutual
// TLS. The health port answers them, mirrors the main port, and turns
// NOT_SERVING the moment SIGTERM arrives, while calls are still served for
// --drain_delay_seconds.
TEST_F(RegistryOpsTest, HealthPortIsPlaintextWhileTheMainPortIsTlsOnly) {
  antt::testing::TestPki pki(dir_ + "/pki");
  pki.IssueCert("registry");
  pki.IssueCert("client");
  const std::string token = pki.IssueToken("monitor", "VIEWER");
  std::vector<std::string> flags = pki.ServerFlags("registry");
  flags.push_back("--drain_delay_seconds=2");
  auto server = Start(flags, pki.Credentials("client", token));

  using Status = HealthCheckResponse::ServingStatus;
  EXPECT_EQ(std::get<Status>(HealthPort("")), HealthCheckResponse::SERVING);
  EXPECT_EQ(std::get<Status>(HealthPort(kService)),
            HealthCheckResponse::SERVING);
  // Plaintext is refused on the main port…
  auto plaintext = v1::RegistryService::NewStub(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  v1::GetUnitRequest request;
  request.set_id("U0000000001");
  v1::Unit unit;
  EXPECT_EQ(plaintext->GetUnit(Context().get(), request, &unit).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // …and the health port serves nothing but health.
  EXPECT_EQ(v1::RegistryService::NewStub(health_channel_)
                ->GetUnit(Context().get(), request, &unit)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(GetUnit("U0000000001"), grpc::StatusCode::NOT_FOUND);
  // Metrics are plain HTTP next to a TLS-only main port.
  EXPECT_EQ(Scrape().Value(Calls(kGetUnitLabels, "NotFound")), 1);

  ASSERT_EQ(kill(server->pid(), SIGTERM), 0);
  EXPECT_TRUE(PollUntil(std::chrono::seconds(1), [&] {
    auto status = HealthPort(kService);
    return std::holds_alternative<Status>(status) &&
           std::get<Status>(status) == HealthCheckResponse::NOT_SERVING;
  })) << Log();
  EXPECT_EQ(std::get<Status>(HealthPort("")), HealthCheckResponse::NOT_SERVING);
  // Within the drain delay the main port still answers calls.
  EXPECT_EQ(GetUnit("U0000000001"), grpc::StatusCode::NOT_FOUND);
  HangUp();
  EXPECT_EQ(server->WaitExit(30), 0) << Log();
  EXPECT_TRUE(
      LogHas("not serving; still accepting calls during the drain "
             "delay"))
      << Log();
  EXPECT_TRUE(
      LogHas("health port listening: plaintext, "
             "grpc.health.v1.Health only"))
      << Log();
}

// SIGTERM while an ImportUnits stream is still sending: the stream goes on
// to the end, every row is written, the process exits 0, and the rows are
// there after a restart.
TEST_F(RegistryOpsTest, SigtermLetsCallsInFlightFinishAndExitsZero) {
  constexpr int kRows = 60;
  auto server = Start();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::ImportUnitsResponse response;
  auto stream = stub_->ImportUnits(&context, &response);
  const auto write_row = [&](int i) {
    v1::ImportUnitsRequest row;
    *row.mutable_unit() = testing::Agency(absl::StrCat("Trường số ", i),
                                          absl::StrCat("IMPORT-", i));
    return stream->Write(row);
  };
  for (int i = 0; i < kRows / 2; ++i) ASSERT_TRUE(write_row(i));

  ASSERT_EQ(kill(server->pid(), SIGTERM), 0);
  ASSERT_TRUE(PollUntil(std::chrono::seconds(5), [&] {
    return LogHas("draining");
  })) << Log();
  // The server is draining; the stream keeps sending for a while.
  for (int i = kRows / 2; i < kRows; ++i) {
    ASSERT_TRUE(write_row(i)) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(stream->WritesDone());
  grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << Log();
  EXPECT_EQ(response.created(), kRows);
  EXPECT_EQ(response.rejected(), 0);
  HangUp();
  EXPECT_EQ(server->WaitExit(30), 0) << Log();
  bool import_logged = false;
  for (const nlohmann::json& line : LogLines(Log())) {
    if (line.value("method", "") == kImportUnits) {
      import_logged = true;
      EXPECT_EQ(line.value("code", -1), 0) << line.dump();
    }
  }
  EXPECT_TRUE(import_logged) << Log();

  server = Start();
  v1::ListUnitsRequest list;
  list.set_page_size(1);
  v1::ListUnitsResponse units;
  ASSERT_TRUE(stub_->ListUnits(Context().get(), list, &units).ok());
  EXPECT_EQ(units.total_size(), kRows);
  HangUp();
  EXPECT_EQ(server->Stop(SIGTERM), 0) << Log();
}

// A call still open when --drain_seconds runs out is cut off; the process
// exits 0 all the same, having logged the call.
TEST_F(RegistryOpsTest, CallsPastTheDrainTimeAreCutOffAndTheExitIsZero) {
  auto server = Start({"--insecure", "--drain_seconds=1"});
  grpc::ClientContext context;
  v1::ImportUnitsResponse response;
  auto stream = stub_->ImportUnits(&context, &response);
  v1::ImportUnitsRequest row;
  *row.mutable_unit() = testing::Agency("Sở Nội vụ", "SLOW-1");
  ASSERT_TRUE(stream->Write(row));
  const auto signalled = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(server->pid(), SIGTERM), 0);
  // The stream never ends by itself.
  EXPECT_EQ(server->WaitExit(30), 0) << Log();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled,
            std::chrono::seconds(10));
  EXPECT_FALSE(stream->Finish().ok());
  // Logged and counted as cancelled: its caller never got a status.
  int import_lines = 0;
  for (const nlohmann::json& line : LogLines(Log())) {
    if (line.value("method", "") == kImportUnits) {
      ++import_lines;
      EXPECT_EQ(line.value("code", -1), 1) << line.dump();  // CANCELLED
    }
  }
  EXPECT_EQ(import_lines, 1) << Log();
  EXPECT_TRUE(LogHas("store closed")) << Log();
}

TEST_F(RegistryOpsTest, EachCallLogsOneJsonLineWithItsFields) {
  auto server = Start();
  {
    auto context = Context();
    context->AddMetadata("x-request-id", "trace-42");
    v1::GetUnitRequest request;
    request.set_id("U0000000404");
    v1::Unit unit;
    EXPECT_EQ(stub_->GetUnit(context.get(), request, &unit).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  {
    v1::CreateUnitRequest request;
    *request.mutable_unit() = testing::Agency("Sở Y tế");
    request.set_request_id("create-7");
    v1::Unit unit;
    ASSERT_TRUE(stub_->CreateUnit(Context().get(), request, &unit).ok());
  }
  HangUp();
  ASSERT_EQ(server->Stop(SIGTERM), 0) << Log();

  std::map<std::string, nlohmann::json> calls;    // by request id
  for (nlohmann::json& line : LogLines(Log())) {  // every line parses
    EXPECT_TRUE(line.contains("time") && line.contains("level") &&
                line.contains("msg"))
        << line.dump();
    if (line.value("msg", "") != "call") continue;
    for (const char* field : {"method", "caller", "peer"}) {
      EXPECT_TRUE(line[field].is_string()) << field << ": " << line.dump();
    }
    EXPECT_TRUE(line["code"].is_number_integer()) << line.dump();
    EXPECT_TRUE(line["latency_ms"].is_number()) << line.dump();
    EXPECT_GE(line.value("latency_ms", -1.0), 0) << line.dump();
    EXPECT_EQ(line.value("caller", ""), "insecure") << line.dump();
    EXPECT_TRUE(absl::StartsWith(line.value("peer", ""), "ipv4:127.0.0.1:") ||
                absl::StartsWith(line.value("peer", ""), "ipv6:"))
        << line.dump();
    if (line.contains("request_id")) {
      calls[line["request_id"].get<std::string>()] = line;
    }
  }
  ASSERT_EQ(calls.count("trace-42"), 1u) << Log();
  EXPECT_EQ(calls["trace-42"].value("method", ""), kGetUnit);
  EXPECT_EQ(calls["trace-42"].value("code", -1), 5);  // NOT_FOUND
  EXPECT_TRUE(calls["trace-42"]["error"].is_string());
  ASSERT_EQ(calls.count("create-7"), 1u) << Log();
  EXPECT_EQ(calls["create-7"].value("method", ""), kCreateUnit);
  EXPECT_EQ(calls["create-7"].value("code", -1), 0);
  EXPECT_FALSE(calls["create-7"].contains("error"));
}

// The contract's defaults: metrics on 9101, the health port on 7101.
TEST_F(RegistryOpsTest, DefaultPortsAreTheContractsPorts) {
  log_ = dir_ + "/help.log";
  ChildProcess help(BinDir() + "/antt-registry", {"--helpfull"}, log_);
  help.WaitExit(20);
  const std::string text = Log();
  EXPECT_TRUE(absl::StrContains(text, "-metrics_listen"));
  EXPECT_TRUE(absl::StrContains(text, "default: \"0.0.0.0:9101\"")) << text;
  EXPECT_TRUE(absl::StrContains(text, "default: \"0.0.0.0:7101\"")) << text;
  EXPECT_TRUE(absl::StrContains(text, "-drain_delay_seconds")) << text;
}

TEST_F(RegistryOpsTest, RefusesANegativeDrainDelay) {
  log_ = dir_ + "/server.log";
  ChildProcess server(BinDir() + "/antt-registry",
                      {"--db_path=" + dir_ + "/db", "--listen=127.0.0.1:0",
                       "--metrics_listen=", "--health_listen=", "--insecure",
                       "--drain_delay_seconds=-1"},
                      log_);
  EXPECT_EQ(server.WaitExit(20), 1) << Log();
  EXPECT_TRUE(absl::StrContains(Log(), "--drain_delay_seconds")) << Log();
}

TEST_F(RegistryOpsTest, RefusesToStartWhenTheMetricsPortIsTaken) {
  antt::testing::HeldPort held;
  log_ = dir_ + "/server.log";
  ChildProcess server(
      BinDir() + "/antt-registry",
      {"--db_path=" + dir_ + "/db", "--listen=127.0.0.1:0", "--insecure",
       absl::StrCat("--metrics_listen=127.0.0.1:", held.port()),
       "--health_listen="},
      log_);
  EXPECT_EQ(server.WaitExit(20), 1) << Log();
  EXPECT_TRUE(absl::StrContains(Log(), "--metrics_listen")) << Log();
}

TEST_F(RegistryOpsTest, RefusesToStartWhenTheHealthPortIsTaken) {
  antt::testing::HeldPort held;
  log_ = dir_ + "/server.log";
  ChildProcess server(BinDir() + "/antt-registry",
                      {"--db_path=" + dir_ + "/db", "--listen=127.0.0.1:0",
                       "--insecure", "--metrics_listen=",
                       absl::StrCat("--health_listen=127.0.0.1:", held.port())},
                      log_);
  EXPECT_EQ(server.WaitExit(20), 1) << Log();
  EXPECT_TRUE(absl::StrContains(Log(), "--health_listen")) << Log();
}

}  // namespace
}  // namespace antt::registry
