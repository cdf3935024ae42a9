#include "common/health_service.h"

#include <chrono>
#include <optional>

#include "common/grpc_status.h"

namespace antt {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch stream: the status now, then every change, until the caller
// hangs up or the server stops. Deletes itself when gRPC is done with it.
class WatchCall final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                        public HealthState::Watcher {
 public:
  static grpc::ServerWriteReactor<grpc::ByteBuffer>* Run(
      HealthState* state, const ServiceCore* service,
      const ServiceCore::Route* route, grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* raw_request) {
    auto* call = new WatchCall(state, service, route, context);
    call->Start(raw_request);
    return call;
  }

  void Update(HealthState::ServingStatus status) override {
    absl::MutexLock lock(&mu_);
    latest_ = status;
    WriteLatestLocked();
  }
  // Ends the stream with OK once the latest status has gone out: a server
  // stopping reports NOT_SERVING and ends its watches at once, and a write
  // still in flight must not swallow that last status.
  void End() override {
    absl::MutexLock lock(&mu_);
    ending_ = true;
    WriteLatestLocked();
    if (!writing_) CloseLocked(grpc::Status::OK);
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) return;  // the stream is broken; OnCancel or OnDone follow
    WriteLatestLocked();
    if (ending_ && !writing_) CloseLocked(grpc::Status::OK);
  }
  void OnCancel() override {
    Close(grpc::Status(grpc::StatusCode::CANCELLED, "the caller hung up"));
  }
  void OnDone() override {
    if (watching_) state_->Remove(this);
    record_.Report(status_);
    if (slot_) service_->env()->streams->Close();
    delete this;
  }

 private:
  WatchCall(HealthState* state, const ServiceCore* service,
            const ServiceCore::Route* route,
            grpc::CallbackServerContext* context)
      : state_(state),
        service_(service),
        context_(context),
        record_(service->env(), route->path, route->stats, context),
        method_(route->method->name()) {}

  void Start(const grpc::ByteBuffer* raw_request) {
    grpc::ByteBuffer raw(*raw_request);
    HealthCheckRequest request;
    if (!grpc::SerializationTraits<HealthCheckRequest>::Deserialize(&raw,
                                                                    &request)
             .ok()) {
      Close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                         "the request is not a valid "
                         "grpc.health.v1.HealthCheckRequest"));
      return;
    }
    absl::StatusOr<Principal> caller =
        service_->access().Admit(*context_, method_);
    if (!caller.ok()) {
      record_.set_caller("unauthenticated");
      Close(ToGrpcStatus(caller.status()));
      return;
    }
    record_.set_caller(caller->name);
    if (!service_->env()->streams->TryOpen()) {
      Close(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          "the server holds as many open streams as it allows; retry later"));
      return;
    }
    slot_ = true;
    watching_ = true;
    // Tells this call the status at once (or ends it, when stopping).
    state_->Add(this, request.service());
  }

  // Sends the latest status unless a write is in flight or it went out
  // already. gRPC runs a reactor's callbacks from its completion queue,
  // never inside StartWrite or Finish, so they may be called under mu_.
  void WriteLatestLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (closed_ || writing_ || !latest_.has_value() || latest_ == sent_) {
      return;
    }
    HealthCheckResponse response;
    response.set_status(*latest_);
    bool own_buffer = false;
    if (!grpc::SerializationTraits<HealthCheckResponse>::Serialize(
             response, &out_, &own_buffer)
             .ok()) {
      return;
    }
    writing_ = true;
    sent_ = latest_;
    StartWrite(&out_);
  }

  void Close(const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    CloseLocked(status);
  }
  void CloseLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (closed_) return;
    closed_ = true;
    status_ = status;
    record_.Report(status_);
    Finish(status);
  }

  HealthState* state_;
  const ServiceCore* service_;
  grpc::CallbackServerContext* context_;
  CallRecord record_;
  const std::string method_;
  bool slot_ = false;
  bool watching_ = false;

  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool ending_ ABSL_GUARDED_BY(mu_) = false;  // End() called
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<HealthState::ServingStatus> latest_ ABSL_GUARDED_BY(mu_);
  std::optional<HealthState::ServingStatus> sent_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer out_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_;  // set once, by Close; read in OnDone
};

}  // namespace

const AccessPolicy& HealthAccessPolicy() {
  static const AccessPolicy* const policy = new AccessPolicy(
      Health::service_full_name(), {{"Check", kReaders}, {"Watch", kReaders}});
  return *policy;
}

void HealthState::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  serving_ = serving;
  for (auto& [watcher, service] : watchers_) {
    watcher->Update(StatusOfLocked(service));
  }
}

void HealthState::EndWatches() {
  absl::MutexLock lock(&mu_);
  ended_ = true;
  for (auto& [watcher, service] : watchers_) watcher->End();
}

HealthState::ServingStatus HealthState::StatusOf(
    const std::string& service) const {
  absl::ReaderMutexLock lock(&mu_);
  return StatusOfLocked(service);
}

HealthState::ServingStatus HealthState::StatusOfLocked(
    const std::string& service) const {
  if (!service.empty() && service != service_name_) {
    return HealthCheckResponse::SERVICE_UNKNOWN;
  }
  return serving_ ? HealthCheckResponse::SERVING
                  : HealthCheckResponse::NOT_SERVING;
}

void HealthState::Add(Watcher* watcher, const std::string& service) {
  absl::MutexLock lock(&mu_);
  watchers_.emplace(watcher, service);
  // An unknown name is told so once, and the stream stays open, as the
  // health protocol asks.
  watcher->Update(StatusOfLocked(service));
  if (ended_) watcher->End();
}

void HealthState::Remove(Watcher* watcher) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(watcher);
}

HealthService::HealthService(HealthState* state,
                             const Authenticator* authenticator)
    : CallbackService(authenticator, &HealthAccessPolicy()), state_(state) {
  Unary<HealthCheckRequest>(
      [this](const Principal&, const HealthCheckRequest& request)
          -> absl::StatusOr<HealthCheckResponse> {
        HealthCheckResponse response;
        const HealthState::ServingStatus status =
            state_->StatusOf(request.service());
        // gRPC's own health service answers NOT_FOUND for a name it does
        // not know.
        if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
          return absl::NotFoundError("unknown service");
        }
        response.set_status(status);
        return response;
      });
  ServerStreaming<HealthCheckRequest, HealthCheckResponse>(
      [this](const Route* route, grpc::CallbackServerContext* context,
             const grpc::ByteBuffer* request) {
        return WatchCall::Run(state_, this, route, context, request);
      });
}

}  // namespace antt
