// The real antt-registry binary: an acknowledged write survives kill -9, and
// SIGTERM drains, closes the store and exits 0.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/credentials.h"
#include "tests/testing/grpc_test_util.h"
#include "tests/testing/process.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::antt::testing::BinDir;
using ::antt::testing::ChildProcess;

class RegistryProcessTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = antt::testing::FreshTestDir(); }

  // Starts the server on a port of its choosing (no race with other tests
  // for a port picked in advance) and waits until it serves.
  // With `security` flags (default: --insecure) and `credentials` to match.
  std::unique_ptr<ChildProcess> Start(
      std::vector<std::string> security = {"--insecure"},
      std::shared_ptr<grpc::ChannelCredentials> credentials =
          grpc::InsecureChannelCredentials()) {
    log_ = absl::StrCat(dir_, "/server-", ++starts_, ".log");
    std::vector<std::string> args = {"--db_path=" + dir_ + "/db",
                                     "--listen=127.0.0.1:0",
                                     "--metrics_listen=", "--health_listen="};
    args.insert(args.end(), security.begin(), security.end());
    auto child =
        std::make_unique<ChildProcess>(BinDir() + "/antt-registry", args, log_);
    address_ =
        absl::StrCat("127.0.0.1:", antt::testing::WaitForListeningPort(log_));
    EXPECT_TRUE(antt::testing::WaitServing(address_, credentials)) << Log();
    channel_ = grpc::CreateChannel(address_, credentials);
    stub_ = v1::RegistryService::NewStub(channel_);
    return child;
  }

  std::string Log() {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  std::string dir_;
  std::string log_;
  int starts_ = 0;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

TEST_F(RegistryProcessTest, AcknowledgedWritesSurviveKill9) {
  std::vector<std::string> ids;
  {
    auto server = Start();
    for (int i = 0; i < 20; ++i) {
      v1::CreateUnitRequest request;
      *request.mutable_unit() =
          testing::Agency(absl::StrCat("Sở số ", i), absl::StrCat("A", i));
      v1::Unit unit;
      grpc::Status status = stub_->CreateUnit(Context().get(), request, &unit);
      ASSERT_TRUE(status.ok()) << status.error_message();
      ids.push_back(unit.id());
    }
    EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  }
  auto server = Start();
  for (const std::string& id : ids) {
    v1::GetUnitRequest request;
    request.set_id(id);
    v1::Unit unit;
    grpc::Status status = stub_->GetUnit(Context().get(), request, &unit);
    EXPECT_TRUE(status.ok()) << id << ": " << status.error_message();
  }
  // New ids continue after the last acknowledged one.
  v1::CreateUnitRequest request;
  *request.mutable_unit() = testing::Agency("Sở mới");
  v1::Unit unit;
  ASSERT_TRUE(stub_->CreateUnit(Context().get(), request, &unit).ok());
  EXPECT_EQ(unit.id(), "U0000000021");
  // Hang up first: an idle connected client would hold the drain for a while.
  stub_.reset();
  channel_.reset();
  EXPECT_EQ(server->Stop(SIGTERM), 0) << Log();
}

TEST_F(RegistryProcessTest, SigtermDrainsClosesTheStoreAndExitsZero) {
  auto server = Start();
  v1::GetUnitRequest request;
  request.set_id("U0000000001");
  v1::Unit unit;
  EXPECT_EQ(stub_->GetUnit(Context().get(), request, &unit).error_code(),
            grpc::StatusCode::NOT_FOUND);
  stub_.reset();  // hang up, as in the test above
  channel_.reset();
  EXPECT_EQ(server->Stop(SIGTERM), 0);
  const std::string log = Log();
  // One JSON line per call, with method and code; then an orderly shutdown.
  EXPECT_NE(
      log.find("\"method\":\"/antt.registry.v1.RegistryService/GetUnit\""),
      std::string::npos)
      << log;
  EXPECT_NE(log.find("\"code\":5"), std::string::npos) << log;
  EXPECT_NE(log.find("\"msg\":\"store closed\""), std::string::npos) << log;
}

TEST_F(RegistryProcessTest, RefusesToStartWithoutTransportChoice) {
  log_ = dir_ + "/server.log";
  ChildProcess server(BinDir() + "/antt-registry",
                      {"--db_path=" + dir_ + "/db", "--listen=127.0.0.1:0"},
                      log_);
  EXPECT_EQ(server.WaitExit(20), 1) << Log();
  EXPECT_NE(Log().find("--insecure"), std::string::npos) << Log();
}

TEST_F(RegistryProcessTest, InsecureModeWarnsAtStartAndOnEveryHealthCheck) {
  auto server = Start();
  stub_.reset();
  channel_.reset();
  EXPECT_EQ(server->Stop(SIGTERM), 0);
  std::istringstream lines(Log());
  std::string line;
  int health_checks = 0;
  bool start_warning = false;
  while (std::getline(lines, line)) {
    if (line.find("\"msg\":\"INSECURE MODE") != std::string::npos) {
      start_warning = true;
    }
    if (line.find("/grpc.health.v1.Health/Check") != std::string::npos) {
      ++health_checks;
      EXPECT_NE(line.find("\"warning\":\"INSECURE MODE"), std::string::npos)
          << line;
      EXPECT_NE(line.find("\"level\":\"warning\""), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(start_warning) << Log();
  EXPECT_GT(health_checks, 0) << Log();
}

TEST_F(RegistryProcessTest, RefusesInsecureTogetherWithTls) {
  log_ = dir_ + "/server.log";
  ChildProcess server(BinDir() + "/antt-registry",
                      {"--db_path=" + dir_ + "/db", "--listen=127.0.0.1:0",
                       "--insecure", "--tls_cert=" + dir_ + "/server.crt"},
                      log_);
  EXPECT_EQ(server.WaitExit(20), 1) << Log();
  EXPECT_NE(Log().find("--insecure cannot be combined"), std::string::npos)
      << Log();
}

TEST_F(RegistryProcessTest, RefusesInsecureOnAnInterfaceOtherThanLoopback) {
  log_ = dir_ + "/server.log";
  ChildProcess server(
      BinDir() + "/antt-registry",
      {"--db_path=" + dir_ + "/db", "--listen=0.0.0.0:0", "--insecure"}, log_);
  EXPECT_EQ(server.WaitExit(20), 1) << Log();
  EXPECT_NE(Log().find("loopback only"), std::string::npos) << Log();
}

TEST_F(RegistryProcessTest, RefusesTlsWithoutAPrincipalsFile) {
  antt::testing::TestPki pki(dir_ + "/pki");
  pki.IssueCert("registry");
  log_ = dir_ + "/server.log";
  ChildProcess server(BinDir() + "/antt-registry",
                      {"--db_path=" + dir_ + "/db", "--listen=127.0.0.1:0",
                       "--tls_cert=" + pki.cert("registry"),
                       "--tls_key=" + pki.key("registry")},
                      log_);
  EXPECT_EQ(server.WaitExit(20), 1) << Log();
  EXPECT_NE(Log().find("--principals_file is required"), std::string::npos)
      << Log();
}

// A new token for a principal is in force after SIGHUP, without a restart;
// a broken principals file is refused and the previous one stays in force.
TEST_F(RegistryProcessTest, SighupReloadsPrincipals) {
  antt::testing::TestPki pki(dir_ + "/pki");
  pki.IssueCert("registry");
  pki.IssueCert("client");
  const std::string old_token = pki.IssueToken("officer", "OFFICER");
  // Every call on the TLS port needs a token, the health check too.
  const std::string monitor = pki.IssueToken("monitor", "VIEWER");
  auto server =
      Start(pki.ServerFlags("registry"), pki.Credentials("client", monitor));
  const auto call = [&](const std::string& token) {
    auto stub = v1::RegistryService::NewStub(
        grpc::CreateChannel(address_, pki.Credentials("client", token)));
    v1::GetAreaRequest request;
    request.set_edition("2025-06");
    request.set_code("45");
    v1::Area area;
    return stub->GetArea(Context().get(), request, &area).error_code();
  };
  ASSERT_EQ(call(old_token), grpc::StatusCode::OK) << Log();

  const std::string new_token = pki.IssueToken("officer", "OFFICER");
  EXPECT_EQ(call(new_token), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(kill(server->pid(), SIGHUP), 0);
  EXPECT_TRUE(antt::testing::PollUntil(std::chrono::seconds(10), [&] {
    return call(new_token) == grpc::StatusCode::OK;
  })) << Log();
  EXPECT_EQ(call(old_token), grpc::StatusCode::UNAUTHENTICATED);

  std::ofstream(pki.principals()) << "{not json";
  ASSERT_EQ(kill(server->pid(), SIGHUP), 0);
  EXPECT_TRUE(antt::testing::PollUntil(std::chrono::seconds(10), [&] {
    return Log().find("principals not reloaded") != std::string::npos;
  })) << Log();
  EXPECT_EQ(call(new_token), grpc::StatusCode::OK);

  stub_.reset();
  channel_.reset();
  EXPECT_EQ(server->Stop(SIGTERM), 0) << Log();
  const std::string log = Log();
  // Callers are logged by name; their tokens never.
  EXPECT_NE(log.find("\"caller\":\"officer\""), std::string::npos) << log;
  EXPECT_EQ(log.find(old_token), std::string::npos);
  EXPECT_EQ(log.find(new_token), std::string::npos);
  EXPECT_NE(log.find("\"transport\":\"mutual tls\""), std::string::npos);
}

}  // namespace
}  // namespace antt::registry
