#ifndef ANTT_SERVICES_SCORING_SCORING_SERVICE_H_
#define ANTT_SERVICES_SCORING_SCORING_SERVICE_H_

#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "common/auth.h"
#include "common/callback_service.h"
#include "services/scoring/scoring.h"

namespace antt::scoring {

// Which roles may call each ScoringService method (README, "Roles"): every
// role reads and scores; ADMIN and OFFICER submit, review and recognise.
[[nodiscard]] const AccessPolicy& ScoringAccessPolicy();

// The gRPC adapter: each method routed to its Scoring use case
// (common/callback_service.h), inline on gRPC's callback threads. A use case
// that asks the registry for a unit does not wait for it: the call fetches
// the unit with the async stub and runs the use case again
// (common/fetch_scope.h). RecognizeAssessments writes a whole decision with
// fsync, so it runs on the server's executor.
class ScoringServiceImpl final : public CallbackService<v1::ScoringService> {
 public:
  // Neither is owned; both must outlive the service.
  ScoringServiceImpl(Scoring* scoring, const Authenticator* authenticator);

 private:
  Scoring* scoring_;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_SCORING_SERVICE_H_
