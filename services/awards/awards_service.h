#ifndef ANTT_SERVICES_AWARDS_AWARDS_SERVICE_H_
#define ANTT_SERVICES_AWARDS_AWARDS_SERVICE_H_

#include "antt/awards/v1/awards.grpc.pb.h"
#include "common/auth.h"
#include "common/callback_service.h"
#include "services/awards/awards.h"

namespace antt::awards {

// Which roles may call each AwardsService method (README, "Roles"): reads
// for every role, writes for ADMIN and OFFICER. Area scope and the
// ADMIN-only override are checked by Awards.
[[nodiscard]] const AccessPolicy& AwardsAccessPolicy();

// The gRPC adapter: each method routed to its Awards use case
// (common/callback_service.h), inline on gRPC's callback threads. Use cases
// that need the registry's and scoring's facts do not wait for them: the
// call fetches what they ask for with the async stubs and runs them again
// (common/fetch_scope.h). IssueDecision writes a whole decision with fsync,
// so it runs on the server's executor.
class AwardsServiceImpl final : public CallbackService<v1::AwardsService> {
 public:
  // Neither is owned; both must outlive the service.
  AwardsServiceImpl(Awards* awards, const Authenticator* authenticator);

 private:
  Awards* awards_;
};

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_AWARDS_SERVICE_H_
