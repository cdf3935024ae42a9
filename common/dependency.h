#ifndef ANTT_COMMON_DEPENDENCY_H_
#define ANTT_COMMON_DEPENDENCY_H_

// Calls from one ANTT service to another: a channel that comes back quickly
// after the other side restarts, per-call deadlines, and one translation of
// the other side's errors into ours.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace antt {

// A channel to `address` with `credentials` (ServerSecurity's dependency
// credentials: mutual TLS and the service's token, or plaintext in insecure
// mode) whose reconnect backoff stays short (at most two seconds, not
// gRPC's two minutes), so calls work again soon after the dependency comes
// back, without a restart.
[[nodiscard]] std::shared_ptr<grpc::Channel> DependencyChannel(
    const std::string& address,
    std::shared_ptr<grpc::ChannelCredentials> credentials);

// A client context with `deadline` from now, or the deadline of the call
// this thread is serving when that comes first.
[[nodiscard]] std::unique_ptr<grpc::ClientContext> DependencyContext(
    absl::Duration deadline);

// The dependency's NotFound and InvalidArgument stay as they are (with their
// details); DeadlineExceeded when the deadline of the call being served ran
// out; anything else — not reachable, too slow, failing — is Unavailable for
// our caller, naming `service` and `address`.
[[nodiscard]] absl::Status DependencyError(const grpc::Status& status,
                                           absl::string_view service,
                                           absl::string_view address);

}  // namespace antt

#endif  // ANTT_COMMON_DEPENDENCY_H_
