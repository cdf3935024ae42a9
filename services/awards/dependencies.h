#ifndef ANTT_SERVICES_AWARDS_DEPENDENCIES_H_
#define ANTT_SERVICES_AWARDS_DEPENDENCIES_H_

// What awards needs from the registry and from scoring, behind interfaces so
// unit tests hand in fakes. Implementations are thread-safe. Errors: NotFound
// for an unknown id; Unavailable when the service cannot be reached or does
// not answer in time (the caller stores nothing then).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "antt/registry/v1/registry.pb.h"
#include "antt/scoring/v1/scoring.pb.h"

namespace grpc {
class ChannelCredentials;
}  // namespace grpc

namespace antt::awards {

class RegistryClient {
 public:
  virtual ~RegistryClient() = default;
  [[nodiscard]] virtual absl::StatusOr<registry::v1::Unit> GetUnit(
      absl::string_view id) = 0;
  [[nodiscard]] virtual absl::StatusOr<registry::v1::Person> GetPerson(
      absl::string_view id) = 0;
};

class ScoringClient {
 public:
  virtual ~ScoringClient() = default;
  [[nodiscard]] virtual absl::StatusOr<scoring::v1::GetUnitHistoryResponse>
  GetUnitHistory(absl::string_view unit_id, int up_to_year) = 0;
};

// Over gRPC with `credentials` (ServerSecurity's dependency credentials: this
// service's certificate and token), each call with `deadline`.
[[nodiscard]] std::unique_ptr<RegistryClient> NewGrpcRegistryClient(
    const std::string& address, absl::Duration deadline,
    std::shared_ptr<grpc::ChannelCredentials> credentials);
[[nodiscard]] std::unique_ptr<ScoringClient> NewGrpcScoringClient(
    const std::string& address, absl::Duration deadline,
    std::shared_ptr<grpc::ChannelCredentials> credentials);

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_DEPENDENCIES_H_
