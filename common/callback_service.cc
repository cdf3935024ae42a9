#include "common/callback_service.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/audit_call.h"
#include "common/grpc_status.h"
#include "common/log.h"
#include "common/request_limits.h"

namespace antt {
namespace {

// gRPC's callback context hands metadata over as string_refs.
absl::string_view View(grpc::string_ref ref) {
  return absl::string_view(ref.data(), ref.size());
}

}  // namespace

std::string MethodPath(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

bool OpenStreams::TryOpen() {
  int open = open_.load(std::memory_order_relaxed);
  do {
    if (open >= max_open_) return false;
  } while (
      !open_.compare_exchange_weak(open, open + 1, std::memory_order_relaxed));
  return true;
}

CallRecord::CallRecord(const ServingEnvironment* env, std::string path,
                       CallMetrics::MethodStats* stats,
                       const grpc::CallbackServerContext* context)
    : env_(env),
      path_(std::move(path)),
      stats_(stats),
      context_(context),
      start_(absl::Now()) {
  if (env_->metrics != nullptr) env_->metrics->CallStarted();
  if (stats_ != nullptr) stats_->Started();
  const auto& metadata = context_->client_metadata();
  if (auto it = metadata.find("x-request-id"); it != metadata.end()) {
    request_id_ = std::string(View(it->second));
  }
}

void CallRecord::Report(const grpc::Status& status) {
  if (reported_) return;
  reported_ = true;
  if (env_->metrics == nullptr) return;
  const absl::Duration latency = absl::Now() - start_;
  // A call cancelled before its status went out — by its caller, its
  // deadline, or shutdown past the drain time — ended for its caller
  // without that status, whatever the handler answered.
  const bool cancelled = context_->IsCancelled();
  const grpc::StatusCode code =
      cancelled ? grpc::StatusCode::CANCELLED : status.error_code();
  if (stats_ != nullptr) stats_->Record(code, latency);
  env_->metrics->CallEnded();
  // Whoever watches health checks must see that this port is open.
  const bool warn = env_->insecure && absl::StartsWith(path_, "/grpc.health.");
  LogLine line(warn ? LogLevel::kWarning : LogLevel::kInfo, "call");
  line.Add("method", path_)
      .Add("code", static_cast<int>(code))
      .Add("latency_ms", absl::ToDoubleMilliseconds(latency))
      .Add("caller", caller_)
      .Add("peer", context_->peer());
  if (!request_id_.empty()) line.Add("request_id", request_id_);
  if (cancelled) {
    line.Add("error",
             absl::StrCat("cancelled before its status (",
                          StatusCodeName(status.error_code()), ") was sent"));
  } else if (!status.ok()) {
    line.Add("error", status.error_message());
  }
  if (warn) line.Add("warning", kInsecureWarning);
  line.Emit();
}

ServiceCore::ServiceCore(const google::protobuf::ServiceDescriptor* service,
                         const Authenticator* authenticator,
                         const AccessPolicy* policy)
    : service_(service), access_{authenticator, policy} {
  // A service that is not linked in is a programming error.
  if (service_ == nullptr) {
    std::fputs("ServiceCore: service descriptor not found\n", stderr);
    std::abort();
  }
  routes_.resize(service_->method_count());
}

ServiceCore::Route* ServiceCore::AddRoute(
    const google::protobuf::Descriptor* request,
    const google::protobuf::Descriptor* response, Streaming streaming,
    bool blocking, int* index) {
  const google::protobuf::MethodDescriptor* method = nullptr;
  int matches = 0;
  for (int i = 0; i < service_->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* m = service_->method(i);
    if (m->input_type() == request && m->output_type() == response &&
        m->client_streaming() == (streaming == Streaming::kClient) &&
        m->server_streaming() == (streaming == Streaming::kServer)) {
      method = m;
      ++matches;
    }
  }
  if (matches != 1 || routes_[method->index()] != nullptr) {
    std::fprintf(stderr,
                 "ServiceCore: %s has %d methods (%s) returns (%s), or it is "
                 "routed twice\n",
                 service_->full_name().c_str(), matches,
                 request->full_name().c_str(), response->full_name().c_str());
    std::abort();
  }
  auto route = std::make_unique<Route>();
  route->method = method;
  route->path = MethodPath(*method);
  route->audit_method =
      absl::StrCat(service_->full_name(), "/", method->name());
  route->blocking = blocking;
  const google::protobuf::FieldDescriptor* request_id =
      request->FindFieldByName("request_id");
  if (request_id != nullptr &&
      request_id->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
      !request_id->is_repeated()) {
    route->request_id = request_id;
  }
  *index = method->index();
  routes_[method->index()] = std::move(route);
  return routes_[method->index()].get();
}

void ServiceCore::Attach(const ServingEnvironment* env) {
  env_ = env;
  for (auto& route : routes_) {
    if (route == nullptr) continue;
    route->stats = env->metrics == nullptr
                       ? nullptr
                       : env->metrics->ForMethod(route->path);
  }
}

absl::Status ServiceCore::CheckRouted() const {
  std::vector<std::string> missing;
  for (int i = 0; i < service_->method_count(); ++i) {
    if (routes_[i] == nullptr) missing.push_back(service_->method(i)->name());
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      service_->full_name(),
      " has methods without a route: ", absl::StrJoin(missing, ", ")));
}

std::vector<std::string> ServiceCore::RoutedPaths() const {
  std::vector<std::string> paths;
  for (const auto& route : routes_) {
    if (route != nullptr) paths.push_back(route->path);
  }
  return paths;
}

UnaryCallBase::UnaryCallBase(const ServiceCore* service,
                             const ServiceCore::Route* route,
                             grpc::CallbackServerContext* context,
                             const grpc::ByteBuffer* raw_request,
                             grpc::ByteBuffer* raw_response)
    : service_(service),
      route_(route),
      context_(context),
      raw_request_(raw_request),
      raw_response_(raw_response),
      record_(service->env(), route->path, route->stats, context),
      fetch_(absl::FromChrono(context->deadline())) {}

void UnaryCallBase::Start() {
  // An answer nobody waits for any more is not worth computing.
  if (context_->deadline() <= std::chrono::system_clock::now()) {
    Reply(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                       "the call's deadline passed"));
    return;
  }
  grpc::ByteBuffer raw(*raw_request_);  // shares the slices, copies nothing
  if (!ParseRequest(&raw)) {
    Reply(grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("the request is not a valid ",
                     route_->method->input_type()->full_name(),
                     " (every string field must be valid UTF-8)")));
    return;
  }
  if (absl::Status limits =
          CheckRequestLimits(request(), raw_request_->Length());
      !limits.ok()) {
    Reply(limits);
    return;
  }
  if (route_->request_id != nullptr) {
    record_.set_request_id(request().GetReflection()->GetStringReference(
        request(), route_->request_id, nullptr));
  }
  absl::StatusOr<Principal> caller =
      service_->access().Admit(*context_, route_->method->name());
  if (!caller.ok()) {
    record_.set_caller("unauthenticated");
    Reply(caller.status());
    return;
  }
  caller_ = *std::move(caller);
  record_.set_caller(caller_.name);
  Continue();
}

void UnaryCallBase::Continue() {
  if (!route_->blocking) {
    Attempt();
    return;
  }
  if (!service_->env()->blocking->TrySchedule([this] { Attempt(); })) {
    Reply(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                       absl::StrCat("the server's queue for long-running "
                                    "work (",
                                    service_->env()->blocking->name(),
                                    ") is full; retry later")));
  }
}

void UnaryCallBase::Attempt() {
  absl::Status status;
  {
    const FetchScope::Activation fetching(&fetch_);
    const ScopedAuditCall audit(
        AuditCall{caller_.name, route_->audit_method, "", &request()});
    status = RunUseCase(caller_);
  }
  if (!fetch_.has_wanted()) {
    Reply(status);
    return;
  }
  if (fetch_.rounds() >= kMaxFetchRounds) {
    Reply(absl::InternalError(
        absl::StrCat(route_->path, " asked other services for more than ",
                     kMaxFetchRounds, " rounds of answers")));
    return;
  }
  // The answers come back on gRPC's threads; the next run goes where the
  // route runs its use case.
  fetch_.FetchWanted([this] { Continue(); });
}

void UnaryCallBase::Reply(const absl::Status& status) {
  Reply(ToGrpcStatus(status));
}

void UnaryCallBase::Reply(const grpc::Status& status) {
  status_ = status;
  if (status_.ok()) status_ = SerializeResponse(raw_response_);
  // Counted before the status goes out, so a caller that sees the call end
  // also sees it in the metrics.
  record_.Report(status_);
  Finish(status_);
}

void UnaryCallBase::OnDone() {
  record_.Report(status_);
  delete this;
}

}  // namespace antt
