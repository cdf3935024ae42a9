// Metrics: the text format (escaping, one HELP and TYPE per family,
// cumulative histogram buckets), the HTTP port, and the counts of real calls
// through an in-process GrpcServer with its plaintext health port, scraped
// over HTTP with httplib's client.

#include "common/metrics.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <thread>
#include <variant>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "common/audit.h"
#include "common/audit_service.h"
#include "common/auth.h"
#include "common/dependency.h"
#include "common/rocksdb_db.h"
#include "common/server_runner.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/held_port.h"
#include "tests/testing/prometheus_text.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using ::antt::testing::Exposition;
using ::antt::testing::HeldPort;
using ::antt::testing::ParseExposition;
using ::antt::testing::PollUntil;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr char kService[] = "antt.audit.v1.AuditService";
constexpr char kReflection[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// For unit tests whose methods are made up.
bool AnyMethod(absl::string_view) { return true; }

std::string Series(const std::string& name, const std::string& labels) {
  return name + "{" + labels + "}";
}

// ----------------------------------------------------------- text format

TEST(EscapeLabelValueTest, EscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(EscapeLabelValue("plain /a.b/C"), "plain /a.b/C");
  EXPECT_EQ(EscapeLabelValue("a\\b"), "a\\\\b");
  EXPECT_EQ(EscapeLabelValue("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(EscapeLabelValue("two\nlines"), "two\\nlines");
  EXPECT_EQ(EscapeLabelValue("Đông Hà"), "Đông Hà");  // UTF-8 as is
}

TEST(StatusCodeNameTest, IsGrpcsNameForTheCode) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::NOT_FOUND), "NOT_FOUND");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::INVALID_ARGUMENT),
            "INVALID_ARGUMENT");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::UNAUTHENTICATED),
            "UNAUTHENTICATED");
  EXPECT_EQ(StatusCodeName(static_cast<grpc::StatusCode>(99)), "UNKNOWN");
}

TEST(GrpcCodeLabelTest, IsGoGrpcPrometheusNameForTheCode) {
  EXPECT_EQ(GrpcCodeLabel(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(GrpcCodeLabel(grpc::StatusCode::CANCELLED), "Canceled");
  EXPECT_EQ(GrpcCodeLabel(grpc::StatusCode::NOT_FOUND), "NotFound");
  EXPECT_EQ(GrpcCodeLabel(grpc::StatusCode::FAILED_PRECONDITION),
            "FailedPrecondition");
  EXPECT_EQ(GrpcCodeLabel(grpc::StatusCode::DATA_LOSS), "DataLoss");
  EXPECT_EQ(GrpcCodeLabel(grpc::StatusCode::UNAUTHENTICATED),
            "Unauthenticated");
  EXPECT_EQ(GrpcCodeLabel(static_cast<grpc::StatusCode>(99)), "Unknown");
}

TEST(MethodLabelsOfTest, SplitsThePathAndKnowsTheStreamingType) {
  const MethodLabels unary =
      MethodLabelsOf("/antt.audit.v1.AuditService/ListAuditRecords");
  EXPECT_EQ(unary.type, "unary");
  EXPECT_EQ(unary.service, "antt.audit.v1.AuditService");
  EXPECT_EQ(unary.method, "ListAuditRecords");
  EXPECT_EQ(MethodLabelsOf("/grpc.health.v1.Health/Watch").type,
            "server_stream");
  // Not in this binary's protos (tests/registry/registry_ops_test.cc sees
  // ImportUnits as client_stream in the real server): counted as unary.
  EXPECT_EQ(MethodLabelsOf("/no.such.Service/Method").type, "unary");
  EXPECT_EQ(MethodLabelsOf("/no.such.Service/Method").method, "Method");
  const MethodLabels unknown = MethodLabelsOf("unknown");
  EXPECT_EQ(unknown.type, "unknown");
  EXPECT_EQ(unknown.service, "unknown");
  EXPECT_EQ(unknown.method, "unknown");
}

// `grpc_type="unary",grpc_service="p.S",grpc_method="M"` and more.
std::string MethodSeries(const std::string& name, const std::string& method,
                         const std::string& more = "") {
  return Series(
      name, "grpc_type=\"unary\",grpc_service=\"p.S\",grpc_method=\"" + method +
                "\"" + more);
}

TEST(CallMetricsTest, CountsCallsByMethodAndCode) {
  CallMetrics metrics(BuildInfo{"1.2.3", "abc1234", "svc"}, AnyMethod);
  for (int i = 0; i < 3; ++i) {
    metrics.Record("/p.S/Get", grpc::StatusCode::OK, absl::Milliseconds(1));
  }
  metrics.Record("/p.S/Get", grpc::StatusCode::NOT_FOUND,
                 absl::Milliseconds(1));
  metrics.Record("/p.S/Put", grpc::StatusCode::PERMISSION_DENIED,
                 absl::Milliseconds(1));
  metrics.ForMethod("/p.S/Get")->Started();
  const Exposition e = ParseExposition(metrics.Render());
  EXPECT_EQ(e.types.at("grpc_server_handled_total"), "counter");
  EXPECT_EQ(e.types.at("grpc_server_started_total"), "counter");
  EXPECT_EQ(e.Value(MethodSeries("grpc_server_handled_total", "Get",
                                 R"(,grpc_code="OK")")),
            3);
  EXPECT_EQ(e.Value(MethodSeries("grpc_server_handled_total", "Get",
                                 R"(,grpc_code="NotFound")")),
            1);
  EXPECT_EQ(e.Value(MethodSeries("grpc_server_handled_total", "Put",
                                 R"(,grpc_code="PermissionDenied")")),
            1);
  // Codes never seen have no series; every method has its started count.
  EXPECT_FALSE(e.Has(
      MethodSeries("grpc_server_handled_total", "Put", R"(,grpc_code="OK")")));
  EXPECT_EQ(e.Value(MethodSeries("grpc_server_started_total", "Get")), 1);
  EXPECT_EQ(e.Value(MethodSeries("grpc_server_started_total", "Put")), 0);
}

TEST(CallMetricsTest, HistogramBucketsAreCumulative) {
  CallMetrics metrics(BuildInfo{"1.2.3", "abc1234", "svc"}, AnyMethod);
  const std::string m = "/p.S/Get";
  metrics.Record(m, grpc::StatusCode::OK, absl::Microseconds(500));
  // On a bound: counted in that bucket (le means "less or equal").
  metrics.Record(m, grpc::StatusCode::OK, absl::Milliseconds(5));
  metrics.Record(m, grpc::StatusCode::NOT_FOUND, absl::Milliseconds(20));
  metrics.Record(m, grpc::StatusCode::OK, absl::Seconds(20));  // past 10 s
  const Exposition e = ParseExposition(metrics.Render());
  EXPECT_EQ(e.types.at("grpc_server_handling_seconds"), "histogram");
  const std::map<std::string, double> expected = {
      {"0.001", 1}, {"0.0025", 1}, {"0.005", 2}, {"0.01", 2}, {"0.025", 3},
      {"0.05", 3},  {"0.1", 3},    {"0.25", 3},  {"0.5", 3},  {"1", 3},
      {"2.5", 3},   {"5", 3},      {"10", 3},    {"+Inf", 4}};
  ASSERT_EQ(expected.size(), kCallDurationBuckets.size() + 1);
  for (const auto& [le, count] : expected) {
    EXPECT_EQ(e.Value(MethodSeries("grpc_server_handling_seconds_bucket", "Get",
                                   R"(,le=")" + le + "\"")),
              count)
        << "le=" << le;
  }
  EXPECT_EQ(e.Value(MethodSeries("grpc_server_handling_seconds_count", "Get")),
            4);
  EXPECT_NEAR(e.Value(MethodSeries("grpc_server_handling_seconds_sum", "Get")),
              20.0255, 1e-9);
}

TEST(CallMetricsTest, InFlightFollowsCallsStartedAndEnded) {
  CallMetrics metrics(BuildInfo{"1.2.3", "abc1234", "svc"}, AnyMethod);
  EXPECT_EQ(ParseExposition(metrics.Render())
                .Value("antt_grpc_server_calls_in_flight"),
            0);
  metrics.CallStarted();
  metrics.CallStarted();
  metrics.CallEnded();
  const Exposition e = ParseExposition(metrics.Render());
  EXPECT_EQ(e.types.at("antt_grpc_server_calls_in_flight"), "gauge");
  EXPECT_EQ(e.Value("antt_grpc_server_calls_in_flight"), 1);
}

TEST(CallMetricsTest, LabelValuesAreEscaped) {
  CallMetrics metrics(BuildInfo{"1.2.3", "abc1234", "svc \"x\""}, AnyMethod);
  metrics.Record("/odd\\name\"with\nnewline", grpc::StatusCode::OK,
                 absl::Milliseconds(1));
  const std::string text = metrics.Render();
  // The parser accepts only well-escaped values: one series per line.
  const Exposition e = ParseExposition(text);
  EXPECT_EQ(
      e.Value(Series(
          "grpc_server_handled_total",
          R"(grpc_type="unary",grpc_service="odd\\name\"with\nnewline",grpc_method="",grpc_code="OK")")),
      1)
      << text;
  EXPECT_TRUE(e.Has(
      Series("antt_build_info",
             R"(version="1.2.3",revision="abc1234",service="svc \"x\"")")))
      << text;
}

TEST(CallMetricsTest, BuildInfoNamesTheVersionAndRevisionOfThisBuild) {
  const BuildInfo build = BuildInfo::Current("antt.test.v1.Test");
  // major.minor.patch
  const std::vector<std::string> parts = absl::StrSplit(build.version, '.');
  ASSERT_EQ(parts.size(), 3u) << build.version;
  for (const std::string& part : parts) {
    int number = -1;
    EXPECT_TRUE(absl::SimpleAtoi(part, &number) && number >= 0)
        << build.version;
  }
  // A short git hash, or "unknown" when built outside a git tree.
  const bool hex =
      build.revision.size() >= 7 &&
      build.revision.find_first_not_of("0123456789abcdef") == std::string::npos;
  EXPECT_TRUE(hex || build.revision == "unknown") << build.revision;
  CallMetrics metrics(build);
  const Exposition e = ParseExposition(metrics.Render());
  EXPECT_EQ(e.types.at("antt_build_info"), "gauge");
  EXPECT_EQ(e.Value(Series("antt_build_info",
                           absl::StrCat("version=\"", build.version,
                                        "\",revision=\"", build.revision,
                                        "\",service=\"antt.test.v1.Test\""))),
            1);
}

TEST(CallMetricsTest, CollectedGaugesShareOneHeaderPerName) {
  CallMetrics metrics(BuildInfo{"1.2.3", "abc1234", "svc"}, AnyMethod);
  GaugeCollector gauges = [](std::vector<GaugeSample>* out) {
    out->push_back({"test_a", "A gauge.", {{"x", "1"}}, 5});
    out->push_back({"test_b", "B gauge\\with a backslash.", {}, 0.25});
    out->push_back({"test_a", "A gauge.", {{"x", "2"}}, std::nan("")});
  };
  const std::string text = metrics.Render(gauges);
  const Exposition e = ParseExposition(text);  // fails on a repeated HELP
  EXPECT_EQ(e.types.at("test_a"), "gauge");
  EXPECT_EQ(e.help.at("test_b"), "B gauge\\\\with a backslash.");
  EXPECT_EQ(e.Value(R"(test_a{x="1"})"), 5);
  EXPECT_TRUE(std::isnan(e.Value(R"(test_a{x="2"})"))) << text;
  EXPECT_EQ(e.Value("test_b"), 0.25);
}

TEST(RocksDbGaugesTest, ReportKeysPerColumnFamilyAndLiveBytes) {
  absl::StatusOr<std::unique_ptr<RocksDb>> db =
      RocksDb::Open(antt::testing::FreshTestDir(), {"default", "data"});
  ASSERT_OK(db);
  for (const char* key : {"a", "b", "c"}) {
    ASSERT_TRUE((*db)
                    ->db()
                    ->Put(rocksdb::WriteOptions(), (*db)->cf(1), key, "value")
                    .ok());
  }
  CallMetrics metrics(BuildInfo{"1.2.3", "abc1234", "svc"}, AnyMethod);
  const GaugeCollector gauges = RocksDbGauges(db->get());
  Exposition e = ParseExposition(metrics.Render(gauges));
  EXPECT_EQ(e.Value(R"(antt_rocksdb_estimated_keys{column_family="data"})"), 3);
  EXPECT_EQ(e.Value(R"(antt_rocksdb_estimated_keys{column_family="default"})"),
            0);
  EXPECT_EQ(e.Value("antt_rocksdb_live_data_bytes"), 0);  // all in memtables

  ASSERT_TRUE((*db)->db()->Flush(rocksdb::FlushOptions(), (*db)->cf(1)).ok());
  e = ParseExposition(metrics.Render(gauges));
  EXPECT_GT(e.Value("antt_rocksdb_live_data_bytes"), 0);
  EXPECT_EQ(e.Value(R"(antt_rocksdb_estimated_keys{column_family="data"})"), 3);
  EXPECT_EQ(e.types.at("antt_rocksdb_write_stalls_total"), "counter");
  EXPECT_EQ(e.Value("antt_rocksdb_write_stopped"), 0);
  EXPECT_EQ(e.Value(R"(antt_rocksdb_write_stalls_total{condition="delayed"})"),
            0);
  EXPECT_EQ(e.Value(R"(antt_rocksdb_write_stalls_total{condition="stopped"})"),
            0);
  EXPECT_GE(e.Value("antt_rocksdb_pending_compaction_bytes"), 0);
}

// Level-0 files past the slowdown, then the stop trigger (lowered for the
// test, with background work paused so that no compaction clears them)
// stall writes the way a store whose compaction falls behind does; the
// gauges see each transition.
TEST(RocksDbGaugesTest, CountWriteStallsAndSeeWritesStopped) {
  absl::StatusOr<std::unique_ptr<RocksDb>> db =
      RocksDb::Open(antt::testing::FreshTestDir(), {"default", "data"});
  ASSERT_OK(db);
  rocksdb::DB* raw = (*db)->db();
  rocksdb::ColumnFamilyHandle* data = (*db)->cf(1);
  for (const char* key : {"a", "b"}) {  // two level-0 files
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), data, key, "v").ok());
    ASSERT_TRUE(raw->Flush(rocksdb::FlushOptions(), data).ok());
  }
  ASSERT_TRUE(raw->PauseBackgroundWork().ok());
  // Resumed whatever happens: closing the store flushes, which would wait
  // for paused background work forever.
  const absl::Cleanup resume = [raw] { (void)raw->ContinueBackgroundWork(); };
  const GaugeCollector gauges = RocksDbGauges(db->get());
  CallMetrics metrics(BuildInfo{"1.2.3", "abc1234", "svc"}, AnyMethod);
  const std::string delayed =
      R"(antt_rocksdb_write_stalls_total{condition="delayed"})";
  const std::string stopped =
      R"(antt_rocksdb_write_stalls_total{condition="stopped"})";
  Exposition e = ParseExposition(metrics.Render(gauges));
  EXPECT_EQ(e.Value(delayed), 0);

  ASSERT_TRUE(
      raw->SetOptions(data, {{"level0_file_num_compaction_trigger", "2"},
                             {"level0_slowdown_writes_trigger", "2"},
                             {"level0_stop_writes_trigger", "100"}})
          .ok());
  e = ParseExposition(metrics.Render(gauges));
  EXPECT_EQ(e.Value(delayed), 1);
  EXPECT_EQ(e.Value(stopped), 0);
  EXPECT_EQ(e.Value("antt_rocksdb_write_stopped"), 0);

  ASSERT_TRUE(
      raw->SetOptions(data, {{"level0_stop_writes_trigger", "2"}}).ok());
  e = ParseExposition(metrics.Render(gauges));
  EXPECT_EQ(e.Value(stopped), 1);
  EXPECT_EQ(e.Value("antt_rocksdb_write_stopped"), 1);

  // Back to normal: no longer stopped; the counts stay.
  ASSERT_TRUE(
      raw->SetOptions(data, {{"level0_file_num_compaction_trigger", "4"},
                             {"level0_slowdown_writes_trigger", "20"},
                             {"level0_stop_writes_trigger", "36"}})
          .ok());
  e = ParseExposition(metrics.Render(gauges));
  EXPECT_EQ(e.Value("antt_rocksdb_write_stopped"), 0);
  EXPECT_EQ(e.Value(delayed), 1);
  EXPECT_EQ(e.Value(stopped), 1);
}

// ----------------------------------------------------------- HTTP port

TEST(MetricsServerTest, ServesMetricsOverHttp) {
  absl::StatusOr<std::unique_ptr<MetricsServer>> server =
      MetricsServer::Start("127.0.0.1:0", [] { return "test_up 1\n"; });
  ASSERT_OK(server);
  ASSERT_GT((*server)->port(), 0);
  httplib::Client client("127.0.0.1", (*server)->port());
  httplib::Result result = client.Get("/metrics");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "test_up 1\n");
  EXPECT_EQ(result->get_header_value("Content-Type"),
            "text/plain; version=0.0.4; charset=utf-8");
  httplib::Result other = client.Get("/");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST(MetricsServerTest, StopClosesThePortAndIsIdempotent) {
  absl::StatusOr<std::unique_ptr<MetricsServer>> server =
      MetricsServer::Start("127.0.0.1:0", [] { return "test_up 1\n"; });
  ASSERT_OK(server);
  const int port = (*server)->port();
  (*server)->Stop();
  (*server)->Stop();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(2));
  EXPECT_FALSE(client.Get("/metrics"));
}

TEST(MetricsServerTest, RefusesAnAddressThatIsNotHostPort) {
  for (const std::string listen :
       {"9101", "localhost", "localhost:http", "localhost:70000",
        "localhost:-1", ":9101", "[::1:9101"}) {
    SCOPED_TRACE(listen);
    absl::StatusOr<std::unique_ptr<MetricsServer>> server =
        MetricsServer::Start(listen, [] { return ""; });
    EXPECT_CODE(server, absl::StatusCode::kInvalidArgument);
    if (!server.ok()) {
      EXPECT_NE(server.status().message().find("--metrics_listen"),
                std::string::npos)
          << server.status();
    }
  }
}

TEST(MetricsServerTest, RefusesAPortInUse) {
  absl::StatusOr<std::unique_ptr<MetricsServer>> first =
      MetricsServer::Start("127.0.0.1:0", [] { return ""; });
  ASSERT_OK(first);
  absl::StatusOr<std::unique_ptr<MetricsServer>> second = MetricsServer::Start(
      absl::StrCat("127.0.0.1:", (*first)->port()), [] { return ""; });
  EXPECT_CODE(second, absl::StatusCode::kUnavailable);
}

// ----------------------------------------------------------- GrpcServer

// An AuditService over a real store, on an in-process GrpcServer with the
// metrics port and the plaintext health port.
class GrpcServerOperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RocksDb>> db =
        RocksDb::Open(dir_, {"default", "audit"});
    ASSERT_OK(db);
    db_ = *std::move(db);
    absl::StatusOr<std::unique_ptr<AuditLog>> log =
        AuditLog::Open(db_.get(), 1);
    ASSERT_OK(log);
    log_ = *std::move(log);
    service_ =
        std::make_unique<AuditServiceImpl>(log_.get(), authenticator_.get());
  }

  ServerOptions Options() {
    ServerOptions options;
    options.service_name = kService;
    options.listen = "127.0.0.1:0";
    options.insecure = true;
    options.authenticator = authenticator_.get();
    options.metrics_listen = "127.0.0.1:0";
    options.health_listen = "127.0.0.1:0";
    options.gauges = RocksDbGauges(db_.get());
    return options;
  }

  void Start(const ServerOptions& options) {
    absl::StatusOr<std::unique_ptr<GrpcServer>> server =
        GrpcServer::Start(options, {service_.get()});
    ASSERT_OK(server);
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(Address(server_->port()),
                                   grpc::InsecureChannelCredentials());
    health_channel_ = grpc::CreateChannel(Address(server_->health_port()),
                                          grpc::InsecureChannelCredentials());
  }

  static std::string Address(int port) {
    return absl::StrCat("127.0.0.1:", port);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(5));
    return context;
  }

  Exposition Scrape() {
    httplib::Client client("127.0.0.1", server_->metrics_port());
    httplib::Result result = client.Get("/metrics");
    EXPECT_TRUE(result) << httplib::to_string(result.error());
    if (!result) return {};
    EXPECT_EQ(result->status, 200);
    return ParseExposition(result->body);
  }

  // The status the health service at `channel` gives `service`, or the
  // call's error code.
  static std::variant<HealthCheckResponse::ServingStatus, grpc::StatusCode>
  Check(const std::shared_ptr<grpc::Channel>& channel,
        const std::string& service) {
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::Status status =
        Health::NewStub(channel)->Check(Context().get(), request, &response);
    if (!status.ok()) return status.error_code();
    return response.status();
  }

  // Calls `method` (any kind) with one empty message, through the generic
  // stub, so no generated code is needed for it.
  static grpc::StatusCode CallWithEmptyRequest(
      const std::shared_ptr<grpc::Channel>& channel,
      const std::string& method) {
    grpc::GenericStub stub(channel);
    std::unique_ptr<grpc::ClientContext> context = Context();
    grpc::CompletionQueue queue;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    auto call = stub.PrepareUnaryCall(context.get(), method, request, &queue);
    call->StartCall();
    grpc::Status status;
    call->Finish(&response, &status, nullptr);
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    return status.error_code();
  }

  grpc::StatusCode ListAudit(const std::shared_ptr<grpc::Channel>& channel) {
    audit::v1::ListAuditRecordsRequest request;
    audit::v1::ListAuditRecordsResponse response;
    return audit::v1::AuditService::NewStub(channel)
        ->ListAuditRecords(Context().get(), request, &response)
        .error_code();
  }

  void TearDown() override {
    channel_.reset();
    health_channel_.reset();
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
  }

  std::string dir_ = antt::testing::FreshTestDir();
  std::unique_ptr<RocksDb> db_;
  std::unique_ptr<AuditLog> log_;
  std::unique_ptr<Authenticator> authenticator_ = Authenticator::Insecure();
  std::unique_ptr<AuditServiceImpl> service_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<grpc::Channel> health_channel_;
};

TEST_F(GrpcServerOperationsTest, CountsRealCallsAndServesThemOverHttp) {
  Start(Options());
  ASSERT_GT(server_->metrics_port(), 0);
  EXPECT_EQ(ListAudit(channel_), grpc::StatusCode::OK);
  EXPECT_EQ(ListAudit(channel_), grpc::StatusCode::OK);
  audit::v1::ListAuditRecordsRequest bad;
  bad.set_page_size(-1);
  audit::v1::ListAuditRecordsResponse listed;
  EXPECT_EQ(audit::v1::AuditService::NewStub(channel_)
                ->ListAuditRecords(Context().get(), bad, &listed)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(std::get<grpc::StatusCode>(Check(channel_, "no.such.Service")),
            grpc::StatusCode::NOT_FOUND);

  const Exposition e = Scrape();
  const std::string list =
      R"(grpc_type="unary",grpc_service="antt.audit.v1.AuditService",)"
      R"(grpc_method="ListAuditRecords")";
  EXPECT_EQ(e.Value(Series("grpc_server_started_total", list)), 3);
  EXPECT_EQ(
      e.Value(Series("grpc_server_handled_total", list + R"(,grpc_code="OK")")),
      2);
  EXPECT_EQ(e.Value(Series("grpc_server_handled_total",
                           list + R"(,grpc_code="InvalidArgument")")),
            1);
  EXPECT_EQ(
      e.Value(Series("grpc_server_handled_total",
                     R"(grpc_type="unary",grpc_service="grpc.health.v1.)"
                     R"(Health",grpc_method="Check",grpc_code="NotFound")")),
      1);
  EXPECT_EQ(e.Value(Series("grpc_server_handling_seconds_count", list)), 3);
  EXPECT_EQ(e.Value(Series("grpc_server_handling_seconds_bucket",
                           list + R"(,le="+Inf")")),
            3);
  EXPECT_EQ(e.Value("antt_grpc_server_calls_in_flight"), 0);
  EXPECT_TRUE(e.Has(R"(antt_rocksdb_estimated_keys{column_family="audit"})"));
  EXPECT_TRUE(e.Has("antt_rocksdb_live_data_bytes"));
  const BuildInfo build = BuildInfo::Current(kService);
  EXPECT_EQ(e.Value(Series(
                "antt_build_info",
                absl::StrCat("version=\"", build.version, "\",revision=\"",
                             build.revision, "\",service=\"", kService, "\""))),
            1);
}

// Methods the server does not have cannot grow the label set, whatever
// path a caller sends.
TEST_F(GrpcServerOperationsTest, UnknownMethodsShareOneLabel) {
  Start(Options());
  for (const std::string method :
       {"/no.such.Service/Method", "/another/Path", "/no.such.Service/X"}) {
    EXPECT_EQ(CallWithEmptyRequest(channel_, method),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  const std::string text = server_->metrics().Render();
  EXPECT_EQ(text.find("no.such.Service"), std::string::npos) << text;
  EXPECT_EQ(text.find("another"), std::string::npos) << text;
  EXPECT_EQ(ParseExposition(text).Value(
                Series("grpc_server_handled_total",
                       R"(grpc_type="unknown",grpc_service="unknown",)"
                       R"(grpc_method="unknown",grpc_code="Unimplemented")")),
            3)
      << text;
}

// Calls through a DependencyChannel are the process's client calls, by
// method and code, in every server's exposition; a dependency that is down
// is counted as Unavailable.
TEST_F(GrpcServerOperationsTest, CountsCallsToOtherServicesAsClientCalls) {
  Start(Options());
  const std::string list =
      R"(grpc_type="unary",grpc_service="antt.audit.v1.AuditService",)"
      R"(grpc_method="ListAuditRecords")";
  const std::string ok =
      Series("grpc_client_handled_total", list + R"(,grpc_code="OK")");
  const std::string unavailable =
      Series("grpc_client_handled_total", list + R"(,grpc_code="Unavailable")");
  // Counters of the whole process: other tests may have counted before.
  auto value = [](const Exposition& e, const std::string& series) {
    return std::max(0.0, e.Value(series));
  };
  const Exposition before = Scrape();

  EXPECT_EQ(ListAudit(DependencyChannel(Address(server_->port()),
                                        grpc::InsecureChannelCredentials())),
            grpc::StatusCode::OK);
  int closed = 0;  // a port nothing listens on any more: refused at once
  {
    HeldPort port;
    closed = port.port();
  }
  EXPECT_EQ(ListAudit(DependencyChannel(Address(closed),
                                        grpc::InsecureChannelCredentials())),
            grpc::StatusCode::UNAVAILABLE);

  const Exposition after = Scrape();
  EXPECT_EQ(after.types.at("grpc_client_handled_total"), "counter");
  EXPECT_EQ(after.types.at("grpc_client_handling_seconds"), "histogram");
  EXPECT_EQ(value(after, ok) - value(before, ok), 1);
  EXPECT_EQ(value(after, unavailable) - value(before, unavailable), 1);
  const std::string started = Series("grpc_client_started_total", list);
  EXPECT_EQ(value(after, started) - value(before, started), 2);
  const std::string count = Series("grpc_client_handling_seconds_count", list);
  EXPECT_EQ(value(after, count) - value(before, count), 2);
}

TEST(ProcessGaugesTest, DescribeThisProcess) {
  std::vector<GaugeSample> samples;
  AppendProcessGauges(&samples);
  std::map<std::string, const GaugeSample*> by_name;
  for (const GaugeSample& sample : samples) by_name[sample.name] = &sample;
  for (const char* name :
       {"process_cpu_seconds_total", "process_resident_memory_bytes",
        "process_virtual_memory_bytes", "process_start_time_seconds",
        "process_open_fds", "process_max_fds"}) {
    ASSERT_TRUE(by_name.count(name)) << name;
  }
  EXPECT_EQ(by_name["process_cpu_seconds_total"]->type, "counter");
  EXPECT_GE(by_name["process_cpu_seconds_total"]->value, 0);
  EXPECT_GT(by_name["process_resident_memory_bytes"]->value, 1 << 20);
  EXPECT_GT(by_name["process_virtual_memory_bytes"]->value,
            by_name["process_resident_memory_bytes"]->value);
  const double now = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  EXPECT_LE(by_name["process_start_time_seconds"]->value, now + 1);
  EXPECT_GT(by_name["process_start_time_seconds"]->value, now - 3600);
  // stdin, stdout, stderr at least; one more while a file is open.
  const double open = by_name["process_open_fds"]->value;
  EXPECT_GE(open, 3);
  {
    std::ifstream file("/proc/self/stat");
    ASSERT_TRUE(file.is_open());
    samples.clear();
    AppendProcessGauges(&samples);
    for (const GaugeSample& sample : samples) {
      if (sample.name == "process_open_fds") {
        EXPECT_GE(sample.value, open + 1);  // gRPC's threads may open more
      }
    }
  }
  EXPECT_GE(by_name["process_max_fds"]->value, open);
}

TEST(IsCompiledInMethodTest, KnowsTheMethodsOfGeneratedServices) {
  EXPECT_TRUE(
      IsCompiledInMethod("/antt.audit.v1.AuditService/ListAuditRecords"));
  EXPECT_TRUE(IsCompiledInMethod("/grpc.health.v1.Health/Check"));
  EXPECT_FALSE(IsCompiledInMethod("/antt.audit.v1.AuditService/DropAll"));
  EXPECT_FALSE(IsCompiledInMethod("/no.such.Service/Method"));
  EXPECT_FALSE(
      IsCompiledInMethod("antt.audit.v1.AuditService/ListAuditRecords"));
  EXPECT_FALSE(IsCompiledInMethod("/antt.audit.v1.AuditService"));
  EXPECT_FALSE(IsCompiledInMethod(""));
}

// A call still open (a health Watch stream) is in flight; once it ends, it
// is not.
TEST_F(GrpcServerOperationsTest, InFlightCountsACallStillOpen) {
  Start(Options());
  auto context = std::make_unique<grpc::ClientContext>();
  HealthCheckRequest request;
  auto stream = Health::NewStub(channel_)->Watch(context.get(), request);
  HealthCheckResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(Scrape().Value("antt_grpc_server_calls_in_flight"), 1);
  context->TryCancel();
  while (stream->Read(&response)) {
  }
  (void)stream->Finish();
  EXPECT_TRUE(PollUntil(std::chrono::seconds(5), [&] {
    return Scrape().Value("antt_grpc_server_calls_in_flight") == 0;
  }));
  // Counted as cancelled (gRPC's health service itself ends a cancelled
  // Watch with UNKNOWN "OnCancel()", which its caller never sees).
  EXPECT_EQ(Scrape().Value(Series(
                "grpc_server_handled_total",
                R"(grpc_type="server_stream",grpc_service="grpc.health.v1.)"
                R"(Health",grpc_method="Watch",grpc_code="Canceled")")),
            1);
}

TEST_F(GrpcServerOperationsTest, HealthPortServesOnlyHealthInPlaintext) {
  Start(Options());
  ASSERT_GT(server_->health_port(), 0);
  EXPECT_NE(server_->health_port(), server_->port());
  using Status = HealthCheckResponse::ServingStatus;
  EXPECT_EQ(std::get<Status>(Check(health_channel_, "")),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(std::get<Status>(Check(health_channel_, kService)),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(std::get<grpc::StatusCode>(Check(health_channel_, "no.Such")),
            grpc::StatusCode::NOT_FOUND);
  // Neither the server's own service nor reflection, which the main port
  // serves.
  EXPECT_EQ(ListAudit(health_channel_), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(CallWithEmptyRequest(health_channel_, kReflection),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(CallWithEmptyRequest(channel_, kReflection), grpc::StatusCode::OK);
}

// Drain: NOT_SERVING on both ports at once, calls still served during the
// drain delay, then both ports close.
TEST_F(GrpcServerOperationsTest,
       DrainReportsNotServingThenKeepsServingForTheDelay) {
  ServerOptions options = Options();
  options.drain_delay = absl::Seconds(2);
  options.drain_timeout = absl::Seconds(5);
  Start(options);
  using Status = HealthCheckResponse::ServingStatus;
  ASSERT_EQ(std::get<Status>(Check(health_channel_, "")),
            HealthCheckResponse::SERVING);

  const absl::Time drain_started = absl::Now();
  std::thread drain([&] { server_->Drain(); });
  EXPECT_TRUE(PollUntil(std::chrono::seconds(1), [&] {
    auto status = Check(health_channel_, kService);
    return std::holds_alternative<Status>(status) &&
           std::get<Status>(status) == HealthCheckResponse::NOT_SERVING;
  }));
  EXPECT_EQ(std::get<Status>(Check(health_channel_, "")),
            HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(std::get<Status>(Check(channel_, kService)),
            HealthCheckResponse::NOT_SERVING);
  // Within the delay, calls are still answered.
  EXPECT_EQ(ListAudit(channel_), grpc::StatusCode::OK);
  EXPECT_LT(absl::Now() - drain_started, absl::Seconds(2));
  drain.join();
  EXPECT_GE(absl::Now() - drain_started, absl::Seconds(2));

  // Both gRPC ports and the metrics port are closed.
  for (int port : {server_->port(), server_->health_port()}) {
    auto fresh =
        grpc::CreateChannel(Address(port), grpc::InsecureChannelCredentials());
    EXPECT_EQ(std::get<grpc::StatusCode>(Check(fresh, "")),
              grpc::StatusCode::UNAVAILABLE)
        << port;
  }
  httplib::Client client("127.0.0.1", server_->metrics_port());
  EXPECT_FALSE(client.Get("/metrics"));
}

TEST_F(GrpcServerOperationsTest, HealthPortWatchSeesNotServingOnShutdown) {
  Start(Options());
  grpc::ClientContext context;
  HealthCheckRequest request;
  request.set_service(kService);
  auto stream = Health::NewStub(health_channel_)->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  std::thread shutdown(
      [&] { server_->Shutdown(absl::Now() + absl::Seconds(5)); });
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  while (stream->Read(&response)) {
  }
  (void)stream->Finish();
  shutdown.join();
}

TEST_F(GrpcServerOperationsTest, HealthPortWatchOfAnotherServiceIsUnknown) {
  Start(Options());
  grpc::ClientContext context;
  HealthCheckRequest request;
  request.set_service("no.Such");
  auto stream = Health::NewStub(health_channel_)->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVICE_UNKNOWN);
  // The health protocol keeps the stream open (the name may become known).
  EXPECT_EQ(server_->open_streams(), 1);
  context.TryCancel();
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(GrpcServerOperationsTest, PortsNotAskedForAreNotOpened) {
  ServerOptions options = Options();
  options.metrics_listen = "";
  options.health_listen = "";
  Start(options);
  EXPECT_EQ(server_->metrics_port(), 0);
  EXPECT_EQ(server_->health_port(), 0);
  EXPECT_EQ(ListAudit(channel_), grpc::StatusCode::OK);
  // Calls are counted all the same.
  EXPECT_EQ(ParseExposition(server_->metrics().Render())
                .Value(Series("grpc_server_handled_total",
                              R"(grpc_type="unary",grpc_service="antt.audit.)"
                              R"(v1.AuditService",grpc_method=)"
                              R"("ListAuditRecords",grpc_code="OK")")),
            1);
}

TEST_F(GrpcServerOperationsTest, RefusesANegativeDrainDelay) {
  ServerOptions options = Options();
  options.drain_delay = absl::Seconds(-1);
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options, {service_.get()});
  EXPECT_CODE(server, absl::StatusCode::kInvalidArgument);
  if (!server.ok()) {
    EXPECT_NE(server.status().message().find("--drain_delay_seconds"),
              std::string::npos);
  }
}

TEST_F(GrpcServerOperationsTest, RefusesAMetricsAddressThatIsNotHostPort) {
  ServerOptions options = Options();
  options.metrics_listen = "9101";
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options, {service_.get()});
  EXPECT_CODE(server, absl::StatusCode::kInvalidArgument);
}

TEST_F(GrpcServerOperationsTest, RefusesAMetricsPortInUse) {
  HeldPort held;
  ServerOptions options = Options();
  options.metrics_listen = Address(held.port());
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options, {service_.get()});
  EXPECT_CODE(server, absl::StatusCode::kUnavailable);
}

TEST_F(GrpcServerOperationsTest, RefusesAHealthPortInUse) {
  HeldPort held;
  ServerOptions options = Options();
  options.health_listen = Address(held.port());
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options, {service_.get()});
  EXPECT_CODE(server, absl::StatusCode::kUnavailable);
  if (!server.ok()) {
    EXPECT_NE(server.status().message().find("--health_listen"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace antt
