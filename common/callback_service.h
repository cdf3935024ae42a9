#ifndef ANTT_COMMON_CALLBACK_SERVICE_H_
#define ANTT_COMMON_CALLBACK_SERVICE_H_

// How every ANTT service serves its methods on gRPC's callback API. A
// service derives from CallbackService<v1::XService> and routes each method
// to its use case once, in its constructor:
//
//   Unary<v1::GetUnitRequest>([this](const Principal& caller,
//                                    const v1::GetUnitRequest& request) {
//     return registry_->GetUnit(caller, request);
//   });
//
// Every call then goes the same way, on the thread gRPC hands it to:
// refused at once when its deadline has passed or it was cancelled; its
// request parsed here (a message that does not parse is INVALID_ARGUMENT,
// not gRPC's bare UNIMPLEMENTED); its caller admitted
// (AccessControl: UNAUTHENTICATED, PERMISSION_DENIED); the use case run
// with the call's audit context and FetchScope; its answer or error sent;
// and when the call is done, one JSON log line and its metrics.
//
// Threads (README, "Threading model"): gRPC runs the callbacks of every
// call on two threads per process on this machine, so a use case runs
// inline only when it is short (RocksDB reads, writes without fsync, rule
// evaluation). A use case that calls another service never waits for it: it
// runs in a FetchScope (common/fetch_scope.h), and the call fetches what it
// asked for with the async stubs and runs it again when the answers are in.
// Work that can block for long (backups, the walk of a whole audit chain,
// decisions written with fsync) is routed with UnaryBlocking and runs on the
// server's Executor instead; when its queue is full the call is
// RESOURCE_EXHAUSTED at once.

#include <grpcpp/alarm.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/audit_call.h"
#include "common/auth.h"
#include "common/executor.h"
#include "common/fetch_scope.h"
#include "common/grpc_status.h"
#include "common/metrics.h"
#include "common/request_limits.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace antt {

// What every log line about a plaintext, unauthenticated port says.
inline constexpr char kInsecureWarning[] =
    "INSECURE MODE: plaintext gRPC, no authentication. Local demo only; "
    "never expose this port.";

// The streams a server holds open (health Watch, ImportUnits), bounded in
// number, and how long a client stream may stay silent. Thread-safe.
class OpenStreams final {
 public:
  OpenStreams(int max_open, absl::Duration idle_timeout)
      : max_open_(max_open), idle_timeout_(idle_timeout) {}

  // Takes a slot for a new stream; false when `max_open` are open.
  [[nodiscard]] bool TryOpen();
  void Close() { open_.fetch_sub(1, std::memory_order_relaxed); }

  [[nodiscard]] int open() const {
    return open_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] int max_open() const { return max_open_; }
  [[nodiscard]] absl::Duration idle_timeout() const { return idle_timeout_; }

 private:
  const int max_open_;
  const absl::Duration idle_timeout_;
  std::atomic<int> open_{0};
};

// What a GrpcServer lends the services it serves. Set before the server
// starts; outlives every call.
struct ServingEnvironment {
  // Where finished calls are counted and logged; nullptr: neither (the
  // plaintext health port, which only probes call).
  CallMetrics* metrics = nullptr;
  // Plaintext without authentication: every health-check line warns so.
  bool insecure = false;
  Executor* blocking = nullptr;  // for UnaryBlocking routes
  OpenStreams* streams = nullptr;
};

// What a long-running use case may ask of its call: whether its caller is
// still waiting for the answer.
class CallControl final {
 public:
  explicit CallControl(const grpc::CallbackServerContext* context)
      : context_(context) {}
  [[nodiscard]] bool IsCancelled() const { return context_->IsCancelled(); }

 private:
  const grpc::CallbackServerContext* context_;
};

// The full gRPC path of `method` ("/antt.registry.v1.RegistryService/GetUnit").
[[nodiscard]] std::string MethodPath(
    const google::protobuf::MethodDescriptor& method);

// One call as it will be logged and counted: who, from where, with which
// request id, how it ended and how long it took.
class CallRecord final {
 public:
  CallRecord(const ServingEnvironment* env, std::string path,
             CallMetrics::MethodStats* stats,
             const grpc::CallbackServerContext* context);
  CallRecord(const CallRecord&) = delete;
  CallRecord& operator=(const CallRecord&) = delete;

  void set_caller(std::string caller) { caller_ = std::move(caller); }
  // The request id of the call: its x-request-id header, or else the
  // request's own `request_id` field.
  void set_request_id(absl::string_view request_id) {
    if (request_id_.empty()) request_id_ = std::string(request_id);
  }

  // Logs and counts the call, which ends with `status` — or, when the call
  // was cancelled before its status went out, as CANCELLED. Called just
  // before the status is sent (so a caller that sees the call end sees it
  // counted), and again when gRPC is done with the call, for a call that
  // never got that far; only the first counts.
  void Report(const grpc::Status& status);

 private:
  const ServingEnvironment* env_;
  const std::string path_;
  CallMetrics::MethodStats* stats_;
  const grpc::CallbackServerContext* context_;
  const absl::Time start_;
  std::string caller_;
  std::string request_id_;
  bool reported_ = false;
};

// What every ANTT service shares, whatever its methods: the routes of its
// methods, who may call them, and the environment of the server serving it.
class ServiceCore {
 public:
  // How a method is served.
  struct Route {
    const google::protobuf::MethodDescriptor* method = nullptr;
    std::string path;          // "/antt.registry.v1.RegistryService/GetUnit"
    std::string audit_method;  // "antt.registry.v1.RegistryService/GetUnit"
    bool blocking = false;     // runs on the Executor
    // The request's string field `request_id`, when it has one.
    const google::protobuf::FieldDescriptor* request_id = nullptr;
    CallMetrics::MethodStats* stats = nullptr;  // set by Attach
  };

  virtual ~ServiceCore() = default;

  // Called by GrpcServer before the server starts.
  void Attach(const ServingEnvironment* env);
  // FailedPrecondition naming each method of the service that has no route
  // (it would be served by gRPC's synchronous default, UNIMPLEMENTED).
  [[nodiscard]] absl::Status CheckRouted() const;
  // The paths of the methods routed.
  [[nodiscard]] std::vector<std::string> RoutedPaths() const;

  [[nodiscard]] const ServingEnvironment* env() const { return env_; }
  [[nodiscard]] const AccessControl& access() const { return access_; }

 protected:
  enum class Streaming { kNone, kClient, kServer };

  ServiceCore(const google::protobuf::ServiceDescriptor* service,
              const Authenticator* authenticator, const AccessPolicy* policy);

  // The route of the one method taking `request`, giving `response` and
  // streaming as `streaming` says; aborts when the service has none, a
  // programming error tests catch at once.
  Route* AddRoute(const google::protobuf::Descriptor* request,
                  const google::protobuf::Descriptor* response,
                  Streaming streaming, bool blocking, int* index);

 private:
  const google::protobuf::ServiceDescriptor* service_;
  AccessControl access_;
  std::vector<std::unique_ptr<Route>> routes_;  // by method index
  const ServingEnvironment* env_ = nullptr;
};

// The parts of a unary call that do not depend on its message types: the
// checks before the use case, the rounds of fetching, the blocking
// executor, the answer, and the record. Deletes itself when gRPC is done
// with the call.
class UnaryCallBase : public grpc::ServerUnaryReactor {
 public:
  void OnCancel() override { fetch_.Cancel(); }
  void OnDone() override;
  // OnCancel and OnDone are short and never block (a cancel flag and a few
  // TryCancel calls; a delete), so gRPC may run them inline instead of
  // handing each to its executor thread: one thread switch less per call.
  // gRPC calls this "not API"; removing it would only cost that switch.
  bool InternalInlineable() override { return true; }

 protected:
  UnaryCallBase(const ServiceCore* service, const ServiceCore::Route* route,
                grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* raw_request,
                grpc::ByteBuffer* raw_response);
  ~UnaryCallBase() override = default;

  // Runs the whole call; returns once it is finished or handed on.
  void Start();
  [[nodiscard]] CallControl control() const { return CallControl(context_); }

 private:
  // Parses the raw request into the typed message. Unknown fields are kept
  // until a store encodes a record (RocksDb::EncodeRecord drops them): a
  // request's own are harmless, and dropping them from every request would
  // walk every message by reflection.
  [[nodiscard]] virtual bool ParseRequest(grpc::ByteBuffer* raw) = 0;
  [[nodiscard]] virtual const google::protobuf::Message& request() const = 0;
  // Runs the use case for `caller`; fills the response when OK.
  [[nodiscard]] virtual absl::Status RunUseCase(const Principal& caller) = 0;
  [[nodiscard]] virtual grpc::Status SerializeResponse(
      grpc::ByteBuffer* out) = 0;

  // One run of the use case, and what follows it: another round of
  // fetching, or the answer.
  void Attempt();
  // Runs Attempt now (inline routes) or on the executor.
  void Continue();
  void Reply(const absl::Status& status);
  void Reply(const grpc::Status& status);

  const ServiceCore* service_;
  const ServiceCore::Route* route_;
  grpc::CallbackServerContext* context_;
  const grpc::ByteBuffer* raw_request_;
  grpc::ByteBuffer* raw_response_;
  CallRecord record_;
  FetchScope fetch_;
  Principal caller_;
  grpc::Status status_;  // what the call finished with
};

template <typename Request, typename Response, typename UseCase>
class UnaryCall final : public UnaryCallBase {
 public:
  // Starts the call; the object lives on until gRPC is done with it.
  static grpc::ServerUnaryReactor* Run(const ServiceCore* service,
                                       const ServiceCore::Route* route,
                                       const UseCase* use_case,
                                       grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* raw_request,
                                       grpc::ByteBuffer* raw_response) {
    auto* call = new UnaryCall(service, route, use_case, context, raw_request,
                               raw_response);
    call->Start();
    return call;
  }

 private:
  UnaryCall(const ServiceCore* service, const ServiceCore::Route* route,
            const UseCase* use_case, grpc::CallbackServerContext* context,
            const grpc::ByteBuffer* raw_request, grpc::ByteBuffer* raw_response)
      : UnaryCallBase(service, route, context, raw_request, raw_response),
        use_case_(use_case) {}

  bool ParseRequest(grpc::ByteBuffer* raw) override {
    return grpc::SerializationTraits<Request>::Deserialize(raw, &request_).ok();
  }
  const google::protobuf::Message& request() const override { return request_; }
  absl::Status RunUseCase(const Principal& caller) override {
    absl::StatusOr<Response> result = [&] {
      if constexpr (std::is_invocable_v<const UseCase&, const Principal&,
                                        const Request&, const CallControl&>) {
        return (*use_case_)(caller, request_, control());
      } else {
        return (*use_case_)(caller, request_);
      }
    }();
    if (!result.ok()) return result.status();
    response_ = *std::move(result);
    return absl::OkStatus();
  }
  grpc::Status SerializeResponse(grpc::ByteBuffer* out) override {
    bool own_buffer = false;
    return grpc::SerializationTraits<Response>::Serialize(response_, out,
                                                          &own_buffer);
  }

  const UseCase* use_case_;
  Request request_;
  Response response_;
};

// A client-streaming call: each message is handed to `on_message` as it
// arrives, in order, with its 1-based number — or, for a message that does
// not parse as Request or breaks the request limits (request_limits.h), the
// InvalidArgument error saying why: the use case decides what that means
// for it;
// an error from it ends the call with that error. The end of the stream
// sends the response with OK. A stream silent for longer than the server's
// stream idle timeout is ended with DEADLINE_EXCEEDED, and a stream over the
// server's limit of open streams is refused with RESOURCE_EXHAUSTED.
template <typename Request, typename Response, typename OnMessage>
class ClientStreamCall final
    : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  static grpc::ServerReadReactor<grpc::ByteBuffer>* Run(
      const ServiceCore* service, const ServiceCore::Route* route,
      const OnMessage* on_message, grpc::CallbackServerContext* context,
      grpc::ByteBuffer* raw_response) {
    auto* call =
        new ClientStreamCall(service, route, on_message, context, raw_response);
    call->Start();
    return call;
  }

  void OnReadDone(bool ok) override;
  void OnCancel() override {}
  void OnDone() override {
    record_.Report(status_);
    if (slot_) service_->env()->streams->Close();
    bool cancel = false;
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      cancel = alarm_pending_;
    }
    // A pending idle check answers soon, not fired. Outside the lock, in
    // case gRPC runs it inline; the call stays alive until released_.
    if (cancel) idle_alarm_.Cancel();
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      released_ = true;
      last = TakeDeletionLocked();
    }
    if (last) delete this;
  }

 private:
  ClientStreamCall(const ServiceCore* service, const ServiceCore::Route* route,
                   const OnMessage* on_message,
                   grpc::CallbackServerContext* context,
                   grpc::ByteBuffer* raw_response)
      : service_(service),
        route_(route),
        on_message_(on_message),
        context_(context),
        raw_response_(raw_response),
        record_(service->env(), route->path, route->stats, context) {}

  void Start();
  // Ends the call with `status` (the response goes with OK); once.
  void End(const grpc::Status& status);
  // Checks every half idle timeout whether the stream has gone silent.
  void ArmIdleCheckLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnIdleCheck(bool fired);
  // Whether this thread is to delete the call: OnDone has released it and no
  // idle check is pending. True once only; whoever of OnDone and the last
  // idle check comes last deletes, and touches nothing after.
  bool TakeDeletionLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!released_ || alarm_pending_ || deleting_) return false;
    deleting_ = true;
    return true;
  }

  const ServiceCore* service_;
  const ServiceCore::Route* route_;
  const OnMessage* on_message_;
  grpc::CallbackServerContext* context_;
  grpc::ByteBuffer* raw_response_;
  CallRecord record_;
  Principal caller_;
  grpc::ByteBuffer buffer_;
  Request request_;
  Response response_;
  std::atomic<int> messages_{0};
  bool slot_ = false;
  grpc::Status status_;  // set once, by End
  grpc::Alarm idle_alarm_;

  absl::Mutex mu_;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool alarm_pending_ ABSL_GUARDED_BY(mu_) = false;
  bool released_ ABSL_GUARDED_BY(mu_) = false;  // OnDone is through with it
  bool deleting_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_message_ ABSL_GUARDED_BY(mu_);
};

// What a use case returns: absl::StatusOr<Response>, whether or not it takes
// a CallControl.
template <typename UseCase, typename Request, typename = void>
struct UseCaseResultOf {
  using type =
      std::invoke_result_t<const UseCase&, const Principal&, const Request&>;
};
template <typename UseCase, typename Request>
struct UseCaseResultOf<
    UseCase, Request,
    std::enable_if_t<std::is_invocable_v<const UseCase&, const Principal&,
                                         const Request&, const CallControl&>>> {
  using type = std::invoke_result_t<const UseCase&, const Principal&,
                                    const Request&, const CallControl&>;
};
template <typename UseCase, typename Request>
using UseCaseResult = typename UseCaseResultOf<UseCase, Request>::type;

// The base of an ANTT service: `Api` is the generated service class
// (v1::RegistryService), whose synchronous Service it derives from only to
// re-route every method to the callback API.
template <typename Api>
class CallbackService : public Api::Service, public ServiceCore {
 protected:
  CallbackService(const Authenticator* authenticator,
                  const AccessPolicy* policy)
      : ServiceCore(google::protobuf::DescriptorPool::generated_pool()
                        ->FindServiceByName(Api::service_full_name()),
                    authenticator, policy) {}

  // Serves the method taking Request with `use_case(const Principal&, const
  // Request&) -> absl::StatusOr<Response>`, inline on gRPC's thread.
  template <typename Request, typename UseCase>
  void Unary(UseCase use_case) {
    RouteUnary<Request>(std::move(use_case), /*blocking=*/false);
  }
  // The same on the server's Executor, for work that can block for long.
  template <typename Request, typename UseCase>
  void UnaryBlocking(UseCase use_case) {
    RouteUnary<Request>(std::move(use_case), /*blocking=*/true);
  }
  // Serves the client-streaming method taking Request with
  // `on_message(const Principal&, int number,
  // absl::StatusOr<const Request*> request, Response* response)
  // -> absl::Status` (ClientStreamCall).
  template <typename Request, typename Response, typename OnMessage>
  void ClientStreaming(OnMessage on_message) {
    int index = 0;
    const Route* route = AddRoute(Request::descriptor(), Response::descriptor(),
                                  Streaming::kClient, false, &index);
    auto* handler = new OnMessage(std::move(on_message));
    handlers_.emplace_back(handler,
                           [](void* p) { delete static_cast<OnMessage*>(p); });
    this->MarkMethodRawCallback(
        index,
        new grpc::internal::CallbackClientStreamingHandler<grpc::ByteBuffer,
                                                           grpc::ByteBuffer>(
            [this, route, handler](grpc::CallbackServerContext* context,
                                   grpc::ByteBuffer* response) {
              return ClientStreamCall<Request, Response, OnMessage>::Run(
                  this, route, handler, context, response);
            }));
  }

  // Serves the server-streaming method taking Request with the reactor
  // `start(route, context, raw_request)` returns.
  template <typename Request, typename Response, typename StartStream>
  void ServerStreaming(StartStream start) {
    int index = 0;
    const Route* route = AddRoute(Request::descriptor(), Response::descriptor(),
                                  Streaming::kServer, false, &index);
    this->MarkMethodRawCallback(
        index,
        new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer,
                                                           grpc::ByteBuffer>(
            [route, start = std::move(start)](
                grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* request) {
              return start(route, context, request);
            }));
  }

 private:
  template <typename Request, typename UseCase>
  void RouteUnary(UseCase use_case, bool blocking) {
    using Response = typename UseCaseResult<UseCase, Request>::value_type;
    int index = 0;
    const Route* route = AddRoute(Request::descriptor(), Response::descriptor(),
                                  Streaming::kNone, blocking, &index);
    auto* handler = new UseCase(std::move(use_case));
    handlers_.emplace_back(handler,
                           [](void* p) { delete static_cast<UseCase*>(p); });
    this->MarkMethodRawCallback(
        index, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                        grpc::ByteBuffer>(
                   [this, route, handler](grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) {
                     return UnaryCall<Request, Response, UseCase>::Run(
                         this, route, handler, context, request, response);
                   }));
  }

  std::vector<std::unique_ptr<void, void (*)(void*)>> handlers_;
};

// ---- ClientStreamCall ----

template <typename Request, typename Response, typename OnMessage>
void ClientStreamCall<Request, Response, OnMessage>::Start() {
  if (context_->deadline() <= std::chrono::system_clock::now()) {
    End(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                     "the call's deadline passed"));
    return;
  }
  absl::StatusOr<Principal> caller =
      service_->access().Admit(*context_, route_->method->name());
  if (!caller.ok()) {
    record_.set_caller("unauthenticated");
    End(ToGrpcStatus(caller.status()));
    return;
  }
  caller_ = *std::move(caller);
  record_.set_caller(caller_.name);
  if (!service_->env()->streams->TryOpen()) {
    End(grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        "the server holds as many open streams as it allows; retry later"));
    return;
  }
  slot_ = true;
  absl::MutexLock lock(&mu_);
  last_message_ = absl::Now();
  ArmIdleCheckLocked();
  if (!ended_) StartRead(&buffer_);
}

template <typename Request, typename Response, typename OnMessage>
void ClientStreamCall<Request, Response, OnMessage>::OnReadDone(bool ok) {
  if (!ok) {
    // The end of the stream (or a cancelled call, which sends nothing).
    bool own_buffer = false;
    grpc::Status serialized = grpc::SerializationTraits<Response>::Serialize(
        response_, raw_response_, &own_buffer);
    End(serialized);
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    if (ended_) return;
    last_message_ = absl::Now();
  }
  const int number = messages_.fetch_add(1, std::memory_order_relaxed) + 1;
  request_.Clear();
  const size_t encoded_size = buffer_.Length();
  absl::StatusOr<const Request*> request = &request_;
  if (!grpc::SerializationTraits<Request>::Deserialize(&buffer_, &request_)
           .ok()) {
    request = absl::InvalidArgumentError(absl::StrCat(
        "the message is not a valid ", Request::descriptor()->full_name(),
        " (every string field must be valid UTF-8)"));
  } else if (absl::Status limits = CheckRequestLimits(request_, encoded_size);
             !limits.ok()) {
    request = std::move(limits);
  }
  absl::Status status;
  {
    const ScopedAuditCall audit(AuditCall{caller_.name, route_->audit_method,
                                          "",
                                          request.ok() ? &request_ : nullptr});
    status = (*on_message_)(caller_, number, std::move(request), &response_);
  }
  if (!status.ok()) {
    End(ToGrpcStatus(status));
    return;
  }
  if (context_->deadline() <= std::chrono::system_clock::now()) {
    End(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                     "the call's deadline passed"));
    return;
  }
  // Under the lock, so an idle check cannot end the call in between. gRPC
  // runs a reactor's callbacks from its completion queue, never inside
  // StartRead or Finish, so holding the lock there cannot deadlock.
  absl::MutexLock lock(&mu_);
  if (!ended_) StartRead(&buffer_);
}

template <typename Request, typename Response, typename OnMessage>
void ClientStreamCall<Request, Response, OnMessage>::End(
    const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  if (ended_) return;
  ended_ = true;
  status_ = status;
  record_.Report(status_);
  Finish(status);
}

template <typename Request, typename Response, typename OnMessage>
void ClientStreamCall<Request, Response, OnMessage>::ArmIdleCheckLocked() {
  // Under mu_, so that it cannot race OnDone's Cancel. gRPC runs the
  // callback on its executor, and the deadline is in the future, so Set
  // never calls it inline.
  alarm_pending_ = true;
  idle_alarm_.Set(
      absl::ToChronoTime(absl::Now() +
                         service_->env()->streams->idle_timeout() / 2),
      [this](bool fired) { OnIdleCheck(fired); });
}

template <typename Request, typename Response, typename OnMessage>
void ClientStreamCall<Request, Response, OnMessage>::OnIdleCheck(bool fired) {
  // alarm_pending_ stays true until the end, so OnDone cannot delete the
  // call while this check still uses it.
  bool idle = false;
  {
    absl::MutexLock lock(&mu_);
    idle =
        fired && !done_ && !ended_ &&
        absl::Now() - last_message_ >= service_->env()->streams->idle_timeout();
  }
  if (idle) {
    End(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                     absl::StrCat("no message for ",
                                  absl::FormatDuration(
                                      service_->env()->streams->idle_timeout()),
                                  ": the stream was idle and is closed; ",
                                  messages_.load(std::memory_order_relaxed),
                                  " messages were taken")));
  }
  bool last = false;
  {
    absl::MutexLock lock(&mu_);
    alarm_pending_ = false;
    if (fired && !done_ && !ended_) {
      ArmIdleCheckLocked();
    } else {
      last = TakeDeletionLocked();
    }
  }
  if (last) delete this;
}

}  // namespace antt

#endif  // ANTT_COMMON_CALLBACK_SERVICE_H_
