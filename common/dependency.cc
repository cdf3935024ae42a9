#include "common/dependency.h"

#include <grpcpp/support/client_interceptor.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/metrics.h"

namespace antt {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Counts every call on a dependency channel in ClientCalls(): started when
// its initial metadata goes out, finished with the status its caller gets.
class ClientCallInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit ClientCallInterceptor(grpc::experimental::ClientRpcInfo* info)
      : stats_(ClientCalls().ForMethod(info->method())), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      stats_->Started();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_STATUS)) {
      stats_->Record(methods->GetRecvStatus()->error_code(),
                     absl::Now() - start_);
    }
    methods->Proceed();
  }

 private:
  CallCounters::MethodStats* const stats_;
  const absl::Time start_;
};

class ClientCallInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new ClientCallInterceptor(info);
  }
};

}  // namespace

std::shared_ptr<grpc::Channel> DependencyChannel(
    const std::string& address,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<ClientCallInterceptorFactory>());
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, std::move(credentials), args, std::move(interceptors));
}

absl::Status DependencyError(const grpc::Status& status,
                             absl::string_view service,
                             absl::string_view address,
                             absl::Time call_deadline) {
  // Our own caller's deadline ran out while we waited: say so, not that the
  // dependency is unreachable.
  if ((status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
       status.error_code() == grpc::StatusCode::CANCELLED) &&
      absl::Now() >= call_deadline) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the call's deadline passed while waiting for the ", service));
  }
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
      return FromGrpcStatus(status);
    // Our own credentials were refused: a configuration error the operator
    // must see as such, not an outage.
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return absl::InternalError(absl::StrCat(
          "the ", service, " at ", address,
          " refused this service's credentials: ", status.error_message()));
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::UnavailableError(
          absl::StrCat("the ", service, " at ", address,
                       " cannot be reached: ", status.error_message()));
    default:
      return absl::UnavailableError(
          absl::StrCat("the ", service, " at ", address,
                       " failed: ", status.error_message()));
  }
}

}  // namespace antt
