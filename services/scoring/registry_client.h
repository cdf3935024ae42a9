#ifndef ANTT_SERVICES_SCORING_REGISTRY_CLIENT_H_
#define ANTT_SERVICES_SCORING_REGISTRY_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "antt/registry/v1/registry.pb.h"

namespace grpc {
class ChannelCredentials;
}  // namespace grpc

namespace antt::scoring {

// What scoring needs from the registry. Implementations are thread-safe.
// Errors: NotFound for an unknown unit; Unavailable when the registry cannot
// be reached or does not answer in time (the caller stores nothing then).
class RegistryClient {
 public:
  virtual ~RegistryClient() = default;

  [[nodiscard]] virtual absl::StatusOr<registry::v1::Unit> GetUnit(
      absl::string_view id) = 0;
  // The change feed after `after_sequence`; an implementation may also
  // return the units the page touches (units), which the follower then
  // applies without asking for each.
  [[nodiscard]] virtual absl::StatusOr<registry::v1::ListChangesResponse>
  ListChanges(uint64_t after_sequence, int page_size) = 0;
};

struct GrpcRegistryClientOptions {
  std::string address;                         // host:port
  absl::Duration deadline = absl::Seconds(3);  // per call
  // Required: mutual TLS and this service's token
  // (ServerSecurity::dependency_credentials), or plaintext in insecure mode.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

// The registry over gRPC with `options.credentials`. The channel reconnects
// by itself with a short backoff, so calls work again soon after the registry
// comes back, without a restart.
[[nodiscard]] std::unique_ptr<RegistryClient> NewGrpcRegistryClient(
    const GrpcRegistryClientOptions& options);

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_REGISTRY_CLIENT_H_
