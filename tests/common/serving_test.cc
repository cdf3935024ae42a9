// The serving layer (common/callback_service.h) through real gRPC on
// loopback, with a small test service on the audit API whose use cases the
// tests choose: requests parsed here, blocking work on the executor and its
// bounded queue, and use cases that call another service in rounds of
// fetching (common/fetch_scope.h) — answered, down, hung, cancelled.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "antt/audit/v1/audit.grpc.pb.h"
#include "common/callback_service.h"
#include "common/dependency.h"
#include "common/field_violations.h"
#include "common/grpc_status.h"
#include "common/request_limits.h"
#include "common/server_runner.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using audit::v1::AuditService;
using audit::v1::ListAuditRecordsRequest;
using audit::v1::ListAuditRecordsResponse;
using audit::v1::VerifyAuditChainRequest;
using audit::v1::VerifyAuditChainResponse;

using ListFn = std::function<absl::StatusOr<ListAuditRecordsResponse>(
    const ListAuditRecordsRequest&)>;
using VerifyFn = std::function<absl::StatusOr<VerifyAuditChainResponse>(
    const VerifyAuditChainRequest&)>;

const AccessPolicy& TestPolicy() {
  static const AccessPolicy* const policy = new AccessPolicy(
      AuditService::service_full_name(), {{"ListAuditRecords", kReaders},
                                          {"VerifyAuditChain", kReaders},
                                          {"VerifyRecords", kReaders}});
  return *policy;
}

// ListAuditRecords inline, VerifyAuditChain on the executor; each does what
// the test sets.
class TestService final : public CallbackService<AuditService> {
 public:
  TestService(const Authenticator* authenticator, ListFn list, VerifyFn verify)
      : CallbackService(authenticator, &TestPolicy()),
        list_(std::move(list)),
        verify_(std::move(verify)) {
    Unary<ListAuditRecordsRequest>(
        [this](const Principal&, const ListAuditRecordsRequest& request) {
          return list_(request);
        });
    UnaryBlocking<VerifyAuditChainRequest>(
        [this](const Principal&, const VerifyAuditChainRequest& request) {
          return verify_(request);
        });
    // Routed because every method must be; no test calls it.
    Unary<audit::v1::VerifyRecordsRequest>(
        [](const Principal&, const audit::v1::VerifyRecordsRequest&) {
          return absl::StatusOr<audit::v1::VerifyRecordsResponse>(
              absl::UnimplementedError("not part of the test service"));
        });
  }

 private:
  ListFn list_;
  VerifyFn verify_;
};

ListAuditRecordsResponse Records(uint64_t sequence) {
  ListAuditRecordsResponse response;
  response.add_records()->set_sequence(sequence);
  return response;
}

std::unique_ptr<grpc::ClientContext> Context(
    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

// A server with one TestService.
struct TestServer {
  TestServer(ListFn list, VerifyFn verify = nullptr,
             ServerOptions options = {}) {
    authenticator = Authenticator::Insecure();
    service = std::make_unique<TestService>(authenticator.get(),
                                            std::move(list), std::move(verify));
    options.service_name = "antt.audit.v1.AuditService";
    options.listen = "127.0.0.1:0";
    options.insecure = true;
    options.authenticator = authenticator.get();
    auto started = GrpcServer::Start(options, {service.get()});
    EXPECT_TRUE(started.ok()) << started.status();
    if (started.ok()) server = *std::move(started);
  }
  std::string address() const {
    return absl::StrCat("127.0.0.1:", server->port());
  }
  std::unique_ptr<AuditService::Stub> Stub() const {
    return AuditService::NewStub(
        grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<TestService> service;
  std::unique_ptr<GrpcServer> server;
};

// Sends `bytes` as the request of `method` and returns the status.
grpc::Status CallRaw(const std::string& address, const std::string& method,
                     const std::string& bytes) {
  grpc::GenericStub stub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  auto context = Context();
  grpc::CompletionQueue queue;
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  auto call = stub.PrepareUnaryCall(context.get(), method, request, &queue);
  call->StartCall();
  grpc::Status status;
  call->Finish(&response, &status, nullptr);
  void* tag = nullptr;
  bool ok = false;
  EXPECT_TRUE(queue.Next(&tag, &ok));
  return status;
}

constexpr char kList[] = "/antt.audit.v1.AuditService/ListAuditRecords";

TEST(ServingTest, ARequestThatDoesNotParseIsInvalidArgumentNamingItsType) {
  std::atomic<int> runs{0};
  TestServer server([&](const ListAuditRecordsRequest&) {
    ++runs;
    return Records(1);
  });
  // Field 2 (page_token, a string) holding bytes that are not UTF-8.
  const grpc::Status status =
      CallRaw(server.address(), kList, std::string("\x12\x02\xff\xfe", 4));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_NE(
      status.error_message().find("antt.audit.v1.ListAuditRecordsRequest"),
      std::string::npos)
      << status.error_message();
  EXPECT_EQ(runs, 0);
}

TEST(ServingTest, ARequestOverTheLimitsIsInvalidArgumentNamingTheField) {
  std::atomic<int> runs{0};
  TestServer server([&](const ListAuditRecordsRequest&) {
    ++runs;
    return Records(1);
  });
  ListAuditRecordsRequest request;
  request.set_page_token(std::string(kMaxTextBytes + 1, 'a'));
  const grpc::Status status =
      CallRaw(server.address(), kList, request.SerializeAsString());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  const auto violations = FieldViolationsOf(FromGrpcStatus(status));
  ASSERT_EQ(violations.size(), 1u) << status.error_message();
  EXPECT_EQ(violations[0].first, "page_token");
  EXPECT_EQ(runs, 0);
}

TEST(ServingTest, BlockingWorkQueuesBoundedAndInlineCallsGoOn) {
  absl::Notification running, release;
  std::atomic<int> started{0};
  ServerOptions options;
  options.blocking_threads = 1;
  options.blocking_queue = 1;
  TestServer server([](const ListAuditRecordsRequest&) { return Records(42); },
                    [&](const VerifyAuditChainRequest&)
                        -> absl::StatusOr<VerifyAuditChainResponse> {
                      if (++started == 1) running.Notify();
                      release.WaitForNotification();
                      VerifyAuditChainResponse response;
                      response.set_intact(true);
                      return response;
                    },
                    options);
  auto stub = server.Stub();

  struct Pending {
    std::unique_ptr<grpc::ClientContext> context = Context();
    VerifyAuditChainRequest request;
    VerifyAuditChainResponse response;
    absl::Notification done;
    grpc::Status status;
  };
  Pending first, second, third;
  const auto send = [&](Pending* p) {
    stub->async()->VerifyAuditChain(p->context.get(), &p->request, &p->response,
                                    [p](grpc::Status status) {
                                      p->status = std::move(status);
                                      p->done.Notify();
                                    });
  };
  send(&first);
  ASSERT_TRUE(running.WaitForNotificationWithTimeout(absl::Seconds(10)));
  send(&second);  // waits in the queue of one
  // Until the second sits in the queue, the third could take its place.
  absl::SleepFor(absl::Milliseconds(300));
  send(&third);
  ASSERT_TRUE(third.done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(third.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << third.status.error_message();

  // The executor's thread is busy; the inline method is not held up.
  ListAuditRecordsResponse records;
  const grpc::Status inline_status =
      stub->ListAuditRecords(Context(std::chrono::seconds(2)).get(),
                             ListAuditRecordsRequest(), &records);
  ASSERT_TRUE(inline_status.ok()) << inline_status.error_message();
  EXPECT_EQ(records.records(0).sequence(), 42u);

  release.Notify();
  ASSERT_TRUE(first.done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  ASSERT_TRUE(second.done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_TRUE(second.status.ok()) << second.status.error_message();
  EXPECT_TRUE(second.response.intact());
  EXPECT_EQ(started, 2);
}

// A use case of server A that asks server B (through a Dependency) to
// verify from `after_sequence`, and answers with B's records_checked + 1.
struct CallingServer {
  CallingServer(const std::string& b_address, absl::Duration deadline,
                std::atomic<int>* runs)
      : dependency("b", b_address, deadline,
                   grpc::InsecureChannelCredentials()),
        stub(AuditService::NewStub(dependency.channel())),
        a([this, runs](const ListAuditRecordsRequest& request)
              -> absl::StatusOr<ListAuditRecordsResponse> {
          ++*runs;
          VerifyAuditChainRequest question;
          question.set_anchor_sequence(request.after_sequence());
          absl::StatusOr<VerifyAuditChainResponse> from_b =
              dependency.Call<VerifyAuditChainResponse>(
                  "VerifyAuditChain", question, [this](auto... call) {
                    stub->async()->VerifyAuditChain(call...);
                  });
          if (!from_b.ok()) return from_b.status();
          return Records(from_b->records_checked() + 1);
        }) {}

  Dependency dependency;
  std::unique_ptr<AuditService::Stub> stub;
  TestServer a;
};

// Server B answering VerifyAuditChain with anchor_sequence × 10.
struct AnsweringServer {
  AnsweringServer()
      : server([](const ListAuditRecordsRequest&) { return Records(0); },
               [this](const VerifyAuditChainRequest& request)
                   -> absl::StatusOr<VerifyAuditChainResponse> {
                 ++calls;
                 VerifyAuditChainResponse response;
                 response.set_records_checked(request.anchor_sequence() * 10);
                 return response;
               }) {}
  std::atomic<int> calls{0};
  TestServer server;
};

// Server B that takes every VerifyAuditChain and never answers it (until
// the test ends): a dependency that hangs.
struct HungServer {
  HungServer()
      : server([](const ListAuditRecordsRequest&) { return Records(0); },
               [this](const VerifyAuditChainRequest&)
                   -> absl::StatusOr<VerifyAuditChainResponse> {
                 release.WaitForNotification();
                 return absl::UnavailableError("released at the test's end");
               }) {}
  ~HungServer() {
    if (!release.HasBeenNotified()) release.Notify();
  }
  absl::Notification release;
  TestServer server;
};

TEST(ServingTest, AUseCaseGetsAnotherServicesAnswerOnItsSecondRun) {
  AnsweringServer b;
  std::atomic<int> runs{0};
  CallingServer calling(b.server.address(), absl::Seconds(5), &runs);
  ListAuditRecordsRequest request;
  request.set_after_sequence(4);
  ListAuditRecordsResponse response;
  const grpc::Status status =
      calling.a.Stub()->ListAuditRecords(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.records(0).sequence(), 41u);
  EXPECT_EQ(runs, 2);  // once to ask, once with the answer
  EXPECT_EQ(b.calls, 1);
}

TEST(ServingTest, ADependencyThatIsDownIsUnavailableAtOnce) {
  // A port nobody listens on: bound, then closed.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  const int port = ntohs(addr.sin_port);
  close(fd);

  std::atomic<int> runs{0};
  CallingServer calling(absl::StrCat("127.0.0.1:", port), absl::Seconds(5),
                        &runs);
  ListAuditRecordsResponse response;
  const absl::Time start = absl::Now();
  const grpc::Status status = calling.a.Stub()->ListAuditRecords(
      Context().get(), ListAuditRecordsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_NE(status.error_message().find("the b at 127.0.0.1:"),
            std::string::npos)
      << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));
}

TEST(ServingTest, AHungDependencyFailsTheCallWithinTheDependencyDeadline) {
  HungServer hung;
  std::atomic<int> runs{0};
  CallingServer calling(hung.server.address(), absl::Milliseconds(500), &runs);
  ListAuditRecordsResponse response;
  const absl::Time start = absl::Now();
  const grpc::Status status = calling.a.Stub()->ListAuditRecords(
      Context().get(), ListAuditRecordsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_EQ(runs, 2);
}

TEST(ServingTest, TheCallersDeadlineEndsAFetchSoonerThanItsOwn) {
  HungServer hung;
  std::atomic<int> runs{0};
  CallingServer calling(hung.server.address(), absl::Seconds(30), &runs);
  ListAuditRecordsResponse response;
  const absl::Time start = absl::Now();
  const grpc::Status status = calling.a.Stub()->ListAuditRecords(
      Context(std::chrono::milliseconds(400)).get(), ListAuditRecordsRequest(),
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  // The server ends the call too: nothing stays in flight.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (absl::Now() < give_up &&
         calling.a.server->metrics().Render().find(
             "antt_grpc_server_calls_in_flight 0") == std::string::npos) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_NE(calling.a.server->metrics().Render().find(
                "antt_grpc_server_calls_in_flight 0"),
            std::string::npos);
}

TEST(ServingTest, ACallerThatHangsUpCancelsTheFetchesOfItsCall) {
  HungServer hung;
  std::atomic<int> runs{0};
  CallingServer calling(hung.server.address(), absl::Seconds(30), &runs);
  auto stub = calling.a.Stub();
  auto context = Context(std::chrono::seconds(30));
  ListAuditRecordsRequest request;
  ListAuditRecordsResponse response;
  absl::Notification done;
  grpc::Status status;
  stub->async()->ListAuditRecords(context.get(), &request, &response,
                                  [&](grpc::Status s) {
                                    status = std::move(s);
                                    done.Notify();
                                  });
  // Once the use case ran and its fetch is in flight, hang up.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (runs == 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  absl::SleepFor(absl::Milliseconds(100));
  context->TryCancel();
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);
  // The server's call ends at once, not after the fetch's 30 s.
  const absl::Time until = absl::Now() + absl::Seconds(5);
  bool drained = false;
  while (!drained && absl::Now() < until) {
    drained = calling.a.server->metrics().Render().find(
                  "antt_grpc_server_calls_in_flight 0") != std::string::npos;
    if (!drained) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(drained) << calling.a.server->metrics().Render();
}

TEST(ServingTest, AnEndlessChainOfQuestionsIsInternal) {
  std::atomic<int> b_calls{0};
  TestServer b([&](const ListAuditRecordsRequest&) {
    ++b_calls;
    return Records(1);
  });
  Dependency dependency("b", b.address(), absl::Seconds(5),
                        grpc::InsecureChannelCredentials());
  auto stub = AuditService::NewStub(dependency.channel());
  std::atomic<int> runs{0};
  // Each run asks a question it never asked before.
  TestServer a([&](const ListAuditRecordsRequest&)
                   -> absl::StatusOr<ListAuditRecordsResponse> {
    ListAuditRecordsRequest question;
    question.set_after_sequence(++runs);
    absl::StatusOr<ListAuditRecordsResponse> answer =
        dependency.Call<ListAuditRecordsResponse>(
            "ListAuditRecords", question,
            [&](auto... call) { stub->async()->ListAuditRecords(call...); });
    if (!answer.ok()) return answer.status();
    return Records(0);
  });
  ListAuditRecordsResponse response;
  const grpc::Status status = a.Stub()->ListAuditRecords(
      Context().get(), ListAuditRecordsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL)
      << status.error_message();
  EXPECT_EQ(runs, kMaxFetchRounds + 1);
  EXPECT_EQ(b_calls, kMaxFetchRounds);
}

// A method left unrouted would be served by gRPC's synchronous default
// (UNIMPLEMENTED, on a thread pool): such a service is refused at start.
class HalfRoutedService final : public CallbackService<AuditService> {
 public:
  explicit HalfRoutedService(const Authenticator* authenticator)
      : CallbackService(authenticator, &TestPolicy()) {
    Unary<ListAuditRecordsRequest>(
        [](const Principal&, const ListAuditRecordsRequest&)
            -> absl::StatusOr<ListAuditRecordsResponse> { return Records(1); });
  }
};

TEST(ServingTest, AServiceWithAMethodLeftUnroutedDoesNotStart) {
  auto authenticator = Authenticator::Insecure();
  HalfRoutedService service(authenticator.get());
  ServerOptions options;
  options.service_name = "antt.audit.v1.AuditService";
  options.listen = "127.0.0.1:0";
  options.insecure = true;
  auto server = GrpcServer::Start(options, {&service});
  EXPECT_CODE(server, absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(server.status().message().find("VerifyAuditChain"),
            std::string::npos)
      << server.status();
}

TEST(ServingTest, OutsideAServedCallADependencyIsCalledAndWaitedFor) {
  TestServer b([](const ListAuditRecordsRequest& request) {
    return Records(request.after_sequence() + 100);
  });
  Dependency dependency("b", b.address(), absl::Seconds(5),
                        grpc::InsecureChannelCredentials());
  auto stub = AuditService::NewStub(dependency.channel());
  ListAuditRecordsRequest request;
  request.set_after_sequence(5);
  absl::StatusOr<ListAuditRecordsResponse> answer =
      dependency.Call<ListAuditRecordsResponse>(
          "ListAuditRecords", request,
          [&](auto... call) { stub->async()->ListAuditRecords(call...); });
  ASSERT_OK(answer);
  EXPECT_EQ(answer->records(0).sequence(), 105u);
}

}  // namespace
}  // namespace antt
