// Streams against a real registry server on loopback: idle streams hold no
// thread (ordinary calls and health checks answer while hundreds are open,
// on the main port and on the health port), the limit of open streams, the
// idle timeout of an import, an import row that does not parse, and unknown
// fields that never reach the store.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/server_runner.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/registry/registry_service.h"
#include "services/registry/rocksdb_registry_store.h"
#include "tests/registry/fixtures.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::antt::registry::testing::Agency;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

std::unique_ptr<grpc::ClientContext> Context(
    std::chrono::milliseconds timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

class RegistryStreamsTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options) {
    auto store = RocksDbRegistryStore::Open(antt::testing::FreshTestDir());
    ASSERT_OK(store);
    store_ = *std::move(store);
    registry_ =
        std::make_unique<Registry>(&antt::testing::SourceAreas(), store_.get(),
                                   [] { return absl::CivilDay(2026, 11, 28); });
    service_ = std::make_unique<RegistryServiceImpl>(registry_.get(),
                                                     authenticator_.get());
    options.service_name = "antt.registry.v1.RegistryService";
    options.listen = "127.0.0.1:0";
    options.health_listen = "127.0.0.1:0";
    options.insecure = true;
    auto server = GrpcServer::Start(options, {service_.get()});
    ASSERT_OK(server);
    server_ = *std::move(server);
    address_ = absl::StrCat("127.0.0.1:", server_->port());
    health_address_ = absl::StrCat("127.0.0.1:", server_->health_port());
  }

  void TearDown() override {
    for (auto& context : contexts_) context->TryCancel();
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
    for (auto& queue : queues_) {
      queue->Shutdown();
      void* tag = nullptr;
      bool ok = false;
      while (queue->Next(&tag, &ok)) {
      }
    }
  }

  // A channel of its own (one connection each), so that streams are not
  // held back by the limit of streams per connection.
  std::shared_ptr<grpc::Channel> NewChannel(const std::string& address) {
    grpc::ChannelArguments args;
    args.SetInt("antt.test.connection", ++channels_);
    return grpc::CreateCustomChannel(address,
                                     grpc::InsecureChannelCredentials(), args);
  }

  grpc::CompletionQueue* Queue() {
    queues_.push_back(std::make_unique<grpc::CompletionQueue>());
    return queues_.back().get();
  }
  grpc::ClientContext* KeptContext() {
    contexts_.push_back(std::make_unique<grpc::ClientContext>());
    return contexts_.back().get();
  }

  // Opens `n` Watch streams on `address` over connections of 50 streams,
  // and never reads them.
  void OpenWatches(const std::string& address, int n) {
    grpc::CompletionQueue* queue = Queue();
    std::unique_ptr<Health::Stub> stub;
    for (int i = 0; i < n; ++i) {
      if (i % 50 == 0) stub = Health::NewStub(NewChannel(address));
      auto reader =
          stub->PrepareAsyncWatch(KeptContext(), HealthCheckRequest(), queue);
      reader->StartCall(nullptr);
      watches_.push_back(std::move(reader));
    }
  }

  // Opens `n` ImportUnits streams that never send a row.
  void OpenSilentImports(int n) {
    grpc::CompletionQueue* queue = Queue();
    std::unique_ptr<v1::RegistryService::Stub> stub;
    for (int i = 0; i < n; ++i) {
      if (i % 50 == 0) {
        stub = v1::RegistryService::NewStub(NewChannel(address_));
      }
      responses_.push_back(std::make_unique<v1::ImportUnitsResponse>());
      auto writer = stub->PrepareAsyncImportUnits(
          KeptContext(), responses_.back().get(), queue);
      writer->StartCall(nullptr);
      imports_.push_back(std::move(writer));
    }
  }

  bool WaitOpenStreams(int n) {
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (server_->open_streams() < n && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    return server_->open_streams() >= n;
  }

  grpc::Status Check(const std::string& address) {
    HealthCheckResponse response;
    return Health::NewStub(NewChannel(address))
        ->Check(Context(std::chrono::seconds(2)).get(), HealthCheckRequest(),
                &response);
  }

  std::unique_ptr<Authenticator> authenticator_ = Authenticator::Insecure();
  std::unique_ptr<RocksDbRegistryStore> store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<RegistryServiceImpl> service_;
  std::unique_ptr<GrpcServer> server_;
  std::string address_;
  std::string health_address_;
  int channels_ = 0;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts_;
  std::vector<std::unique_ptr<grpc::ClientAsyncReader<HealthCheckResponse>>>
      watches_;
  std::vector<std::unique_ptr<v1::ImportUnitsResponse>> responses_;
  std::vector<std::unique_ptr<grpc::ClientAsyncWriter<v1::ImportUnitsRequest>>>
      imports_;
};

TEST_F(RegistryStreamsTest, IdleStreamsHoldNoThreadOnEitherPort) {
  Start(ServerOptions());
  v1::CreateUnitRequest create;
  *create.mutable_unit() = Agency("Sở Tư pháp", "STP-01");
  v1::Unit unit;
  auto stub = v1::RegistryService::NewStub(NewChannel(address_));
  ASSERT_TRUE(
      stub->CreateUnit(Context(std::chrono::seconds(10)).get(), create, &unit)
          .ok());

  OpenWatches(address_, 300);
  OpenSilentImports(100);
  OpenWatches(health_address_, 300);
  ASSERT_TRUE(WaitOpenStreams(700)) << server_->open_streams();

  // Each answers at once, well inside its 2 s deadline.
  v1::GetUnitRequest get;
  get.set_id(unit.id());
  v1::Unit got;
  const absl::Time start = absl::Now();
  const grpc::Status status =
      stub->GetUnit(Context(std::chrono::seconds(2)).get(), get, &got);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.name(), "Sở Tư pháp");
  EXPECT_TRUE(Check(address_).ok());
  EXPECT_TRUE(Check(health_address_).ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST_F(RegistryStreamsTest, AStreamPastTheLimitIsRefused) {
  ServerOptions options;
  options.max_open_streams = 5;
  Start(options);
  OpenWatches(address_, 5);
  ASSERT_TRUE(WaitOpenStreams(5));

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  auto reader = Health::NewStub(NewChannel(address_))
                    ->Watch(&context, HealthCheckRequest());
  HealthCheckResponse response;
  EXPECT_FALSE(reader->Read(&response));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  // Ordinary calls are not streams and still answer.
  EXPECT_TRUE(Check(address_).ok());
}

TEST_F(RegistryStreamsTest, AnImportThatGoesSilentIsEndedAndKeepsItsRows) {
  ServerOptions options;
  options.stream_idle_timeout = absl::Seconds(1);
  Start(options);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  v1::ImportUnitsResponse response;
  auto stub = v1::RegistryService::NewStub(NewChannel(address_));
  auto writer = stub->ImportUnits(&context, &response);
  v1::ImportUnitsRequest row;
  *row.mutable_unit() = Agency("Sở Nội vụ", "SNV-01");
  ASSERT_TRUE(writer->Write(row));
  const absl::Time start = absl::Now();
  // Silent from here on; the server ends the stream, not the deadline.
  const grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();
  EXPECT_NE(status.error_message().find("idle"), std::string::npos)
      << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));

  v1::ListUnitsRequest list;
  v1::ListUnitsResponse units;
  ASSERT_TRUE(
      stub->ListUnits(Context(std::chrono::seconds(5)).get(), list, &units)
          .ok());
  ASSERT_EQ(units.units_size(), 1);
  EXPECT_EQ(units.units(0).external_id(), "SNV-01");
}

// The row's bytes, with "QQQ" in a text made into bytes that are not UTF-8:
// what a client sends when it takes Latin-1 for UTF-8.
std::string NotUtf8Row(const std::string& name_with_qqq) {
  v1::ImportUnitsRequest row;
  *row.mutable_unit() = Agency(name_with_qqq, "BAD-01");
  return absl::StrReplaceAll(row.SerializeAsString(),
                             {{"QQQ", std::string("\xe9\xff\xfe", 3)}});
}

TEST_F(RegistryStreamsTest, ARowThatDoesNotParseIsRejectedNotTakenForTheEnd) {
  Start(ServerOptions());
  grpc::GenericStub stub(NewChannel(address_));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(
      &context, "/antt.registry.v1.RegistryService/ImportUnits", &queue);
  int tag = 0;
  const auto await = [&] {
    void* got = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&got, &ok));
    return ok;
  };
  call->StartCall(&tag);
  ASSERT_TRUE(await());
  v1::ImportUnitsRequest first, third;
  *first.mutable_unit() = Agency("Sở Y tế", "SYT-01");
  *third.mutable_unit() = Agency("Sở Xây dựng", "SXD-01");
  for (const std::string& bytes :
       {first.SerializeAsString(), NotUtf8Row("Sở QQQ"),
        third.SerializeAsString()}) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, &tag);
    ASSERT_TRUE(await());
  }
  call->WritesDone(&tag);
  ASSERT_TRUE(await());
  grpc::ByteBuffer reply;
  call->Read(&reply, &tag);
  ASSERT_TRUE(await());
  grpc::Status status;
  call->Finish(&status, &tag);
  ASSERT_TRUE(await());
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(reply.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  v1::ImportUnitsResponse response;
  ASSERT_TRUE(response.ParseFromString(bytes));
  EXPECT_EQ(response.created(), 2);
  EXPECT_EQ(response.rejected(), 1);
  ASSERT_EQ(response.errors_size(), 1);
  EXPECT_EQ(response.errors(0).row(), 2);
  EXPECT_NE(response.errors(0).message().find("UTF-8"), std::string::npos)
      << response.errors(0).message();
}

TEST_F(RegistryStreamsTest, UnknownFieldsOfARequestAreNeverStored) {
  Start(ServerOptions());
  v1::CreateUnitRequest create;
  *create.mutable_unit() = Agency("Sở Công Thương", "SCT-01");
  // Field 1000 of the unit, 1 MiB long: not in the contract.
  std::string unit_bytes = create.unit().SerializeAsString();
  unit_bytes +=
      std::string("\xc2\x3e\x80\x80\x40", 5) + std::string(1 << 20, 'x');
  // CreateUnitRequest.unit is field 1 (length-delimited).
  std::string request;
  request.push_back('\x0a');
  uint64_t length = unit_bytes.size();
  while (length >= 0x80) {
    request.push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  request.push_back(static_cast<char>(length));
  request += unit_bytes;
  v1::CreateUnitRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(request));
  ASSERT_GT(parsed.unit()
                .GetReflection()
                ->GetUnknownFields(parsed.unit())
                .field_count(),
            0);

  grpc::GenericStub stub(NewChannel(address_));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  grpc::CompletionQueue queue;
  grpc::Slice slice(request);
  grpc::ByteBuffer buffer(&slice, 1);
  auto call = stub.PrepareUnaryCall(
      &context, "/antt.registry.v1.RegistryService/CreateUnit", buffer, &queue);
  call->StartCall();
  grpc::ByteBuffer reply;
  grpc::Status status;
  call->Finish(&reply, &status, nullptr);
  void* tag = nullptr;
  bool ok = false;
  ASSERT_TRUE(queue.Next(&tag, &ok));
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(reply.Length(), 4096u);

  // Read back: the stored unit is as small as the contract makes it.
  v1::ListUnitsRequest list;
  v1::ListUnitsResponse units;
  ASSERT_TRUE(
      v1::RegistryService::NewStub(NewChannel(address_))
          ->ListUnits(Context(std::chrono::seconds(5)).get(), list, &units)
          .ok());
  ASSERT_EQ(units.units_size(), 1);
  EXPECT_EQ(units.units(0)
                .GetReflection()
                ->GetUnknownFields(units.units(0))
                .field_count(),
            0);
  EXPECT_LT(units.units(0).ByteSizeLong(), 4096u);
}

}  // namespace
}  // namespace antt::registry
