#ifndef ANTT_COMMON_DEPENDENCY_H_
#define ANTT_COMMON_DEPENDENCY_H_

// Calls from one ANTT service to another: a channel that comes back quickly
// after the other side restarts, per-call deadlines that never outlive the
// call being served, answers fetched without waiting when a use case runs in
// a FetchScope (common/fetch_scope.h), and one translation of the other
// side's errors into ours.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/fetch_scope.h"

namespace antt {

// A channel to `address` with `credentials` (ServerSecurity's dependency
// credentials: mutual TLS and the service's token, or plaintext in insecure
// mode) whose reconnect backoff stays short (at most two seconds, not
// gRPC's two minutes), so calls work again soon after the dependency comes
// back, without a restart. Every call on it is counted in the process's
// grpc_client_* metrics (ClientCalls(), common/metrics.h).
[[nodiscard]] std::shared_ptr<grpc::Channel> DependencyChannel(
    const std::string& address,
    std::shared_ptr<grpc::ChannelCredentials> credentials);

// The dependency's NotFound and InvalidArgument stay as they are (with their
// details); DeadlineExceeded when `call_deadline`, the deadline of the call
// being served, has passed; anything else — not reachable, too slow,
// failing — is Unavailable for our caller, naming `service` and `address`.
[[nodiscard]] absl::Status DependencyError(const grpc::Status& status,
                                           absl::string_view service,
                                           absl::string_view address,
                                           absl::Time call_deadline);

// One other ANTT service, as its clients call it. Thread-safe.
class Dependency final {
 public:
  // `service` names it in errors ("registry"); each call gets `deadline`.
  Dependency(std::string service, std::string address, absl::Duration deadline,
             std::shared_ptr<grpc::ChannelCredentials> credentials)
      : service_(std::move(service)),
        address_(std::move(address)),
        deadline_(deadline),
        channel_(DependencyChannel(address_, std::move(credentials))) {}

  [[nodiscard]] const std::shared_ptr<grpc::Channel>& channel() const {
    return channel_;
  }

  // Calls `method` with `request` through `async_call(context, request,
  // response, done)` — a stub's async() method, e.g.
  //   [stub](auto... a) { stub->async()->GetUnit(a...); }
  // Inside a FetchScope: the answer fetched for this very request, or
  // PendingFetchError() after noting it as wanted. Outside one: the call,
  // waited for (a thread of our own, never a gRPC callback thread).
  template <typename Response, typename Request, typename AsyncCall>
  [[nodiscard]] absl::StatusOr<Response> Call(absl::string_view method,
                                              const Request& request,
                                              AsyncCall async_call) const;

 private:
  const std::string service_;
  const std::string address_;
  const absl::Duration deadline_;
  const std::shared_ptr<grpc::Channel> channel_;
};

template <typename Response, typename Request, typename AsyncCall>
absl::StatusOr<Response> Dependency::Call(absl::string_view method,
                                          const Request& request,
                                          AsyncCall async_call) const {
  FetchScope* scope = FetchScope::Current();
  const absl::Time call_deadline =
      scope != nullptr ? scope->deadline() : absl::InfiniteFuture();
  // Starts the call; the request and response live until it answers.
  FetchScope::Start start = [this, request, async_call, call_deadline](
                                grpc::ClientContext* context,
                                std::function<void(FetchScope::Answer)> done) {
    auto owned_request = std::make_shared<Request>(request);
    auto response = std::make_shared<Response>();
    async_call(
        context, owned_request.get(), response.get(),
        [this, owned_request, response, call_deadline,
         done = std::move(done)](grpc::Status status) {
          if (!status.ok()) {
            done(DependencyError(status, service_, address_, call_deadline));
          } else {
            done(std::shared_ptr<const google::protobuf::Message>(response));
          }
        });
  };
  const FetchScope::Answer* answer = nullptr;
  FetchScope::Answer waited;
  if (scope != nullptr) {
    answer =
        scope->Lookup(absl::StrCat(method, "\n", request.SerializeAsString()),
                      deadline_, std::move(start));
    if (answer == nullptr) return PendingFetchError();
  } else {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    absl::Notification answered;
    start(&context, [&](FetchScope::Answer a) {
      waited = std::move(a);
      answered.Notify();
    });
    answered.WaitForNotification();
    answer = &waited;
  }
  if (!answer->ok()) return answer->status();
  return static_cast<const Response&>(***answer);
}

}  // namespace antt

#endif  // ANTT_COMMON_DEPENDENCY_H_
