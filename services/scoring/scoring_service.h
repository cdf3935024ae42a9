#ifndef ANTT_SERVICES_SCORING_SCORING_SERVICE_H_
#define ANTT_SERVICES_SCORING_SCORING_SERVICE_H_

#include "antt/scoring/v1/scoring.grpc.pb.h"
#include "common/auth.h"
#include "services/scoring/scoring.h"

namespace antt::scoring {

// Which roles may call each ScoringService method (README, "Roles"): every
// role reads and scores; ADMIN and OFFICER submit, review and recognise.
[[nodiscard]] const AccessPolicy& ScoringAccessPolicy();

// The gRPC adapter: each handler admits the caller, calls Scoring and maps its
// status. Sync API with a bounded pool, as the registry (README, "Threading
// model").
class ScoringServiceImpl final : public v1::ScoringService::Service {
 public:
  // Neither is owned; both must outlive the service.
  ScoringServiceImpl(Scoring* scoring, const Authenticator* authenticator)
      : scoring_(scoring), access_{authenticator, &ScoringAccessPolicy()} {}

  grpc::Status ListCriteriaSets(
      grpc::ServerContext* context, const v1::ListCriteriaSetsRequest* request,
      v1::ListCriteriaSetsResponse* response) override;
  grpc::Status GetCriteriaSet(grpc::ServerContext* context,
                              const v1::GetCriteriaSetRequest* request,
                              v1::CriteriaSet* response) override;
  grpc::Status Score(grpc::ServerContext* context,
                     const v1::ScoreRequest* request,
                     v1::ScoreResult* response) override;
  grpc::Status SubmitAssessment(grpc::ServerContext* context,
                                const v1::SubmitAssessmentRequest* request,
                                v1::Assessment* response) override;
  grpc::Status ReviewAssessment(grpc::ServerContext* context,
                                const v1::ReviewAssessmentRequest* request,
                                v1::Assessment* response) override;
  grpc::Status RecognizeAssessments(
      grpc::ServerContext* context,
      const v1::RecognizeAssessmentsRequest* request,
      v1::RecognizeAssessmentsResponse* response) override;
  grpc::Status GetAssessment(grpc::ServerContext* context,
                             const v1::GetAssessmentRequest* request,
                             v1::Assessment* response) override;
  grpc::Status ListAssessments(grpc::ServerContext* context,
                               const v1::ListAssessmentsRequest* request,
                               v1::ListAssessmentsResponse* response) override;
  grpc::Status GetSafetyStats(grpc::ServerContext* context,
                              const v1::GetSafetyStatsRequest* request,
                              v1::GetSafetyStatsResponse* response) override;
  grpc::Status GetUnitHistory(grpc::ServerContext* context,
                              const v1::GetUnitHistoryRequest* request,
                              v1::GetUnitHistoryResponse* response) override;

 private:
  Scoring* scoring_;
  AccessControl access_;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_SCORING_SERVICE_H_
