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
  std::unique_ptr<ChildProcess> Start() {
    log_ = absl::StrCat(dir_, "/server-", ++starts_, ".log");
    auto child = std::make_unique<ChildProcess>(
        BinDir() + "/antt-registry",
        std::vector<std::string>{"--db_path=" + dir_ + "/db",
                                 "--listen=127.0.0.1:0", "--insecure"},
        log_);
    address_ =
        absl::StrCat("127.0.0.1:", antt::testing::WaitForListeningPort(log_));
    EXPECT_TRUE(WaitServing()) << Log();
    channel_ =
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    stub_ = v1::RegistryService::NewStub(channel_);
    return child;
  }

  // Polls the health service until SERVING, for at most 20 seconds.
  bool WaitServing() {
    for (int attempt = 0; attempt < 200; ++attempt) {
      // A fresh channel each time: a channel that failed to connect backs off
      // for seconds before it tries again.
      auto health = grpc::health::v1::Health::NewStub(
          grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(100));
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
      if (health->Check(&context, request, &response).ok() &&
          response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
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

}  // namespace
}  // namespace antt::registry
