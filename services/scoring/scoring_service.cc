#include "services/scoring/scoring_service.h"

namespace antt::scoring {

const AccessPolicy& ScoringAccessPolicy() {
  static const AccessPolicy* const policy =
      new AccessPolicy(v1::ScoringService::service_full_name(),
                       {
                           {"ListCriteriaSets", kReaders},
                           {"GetCriteriaSet", kReaders},
                           {"Score", kReaders},
                           {"SubmitAssessment", kWriters},
                           {"ReviewAssessment", kWriters},
                           {"RecognizeAssessments", kWriters},
                           {"GetAssessment", kReaders},
                           {"ListAssessments", kReaders},
                           {"GetSafetyStats", kReaders},
                           {"GetUnitHistory", kReaders},
                       });
  return *policy;
}

ScoringServiceImpl::ScoringServiceImpl(Scoring* scoring,
                                       const Authenticator* authenticator)
    : CallbackService(authenticator, &ScoringAccessPolicy()),
      scoring_(scoring) {
  Unary<v1::ListCriteriaSetsRequest>(
      [this](const Principal&, const v1::ListCriteriaSetsRequest& request) {
        return scoring_->ListCriteriaSets(request);
      });
  Unary<v1::GetCriteriaSetRequest>(
      [this](const Principal&, const v1::GetCriteriaSetRequest& request) {
        return scoring_->GetCriteriaSet(request);
      });
  Unary<v1::ScoreRequest>(
      [this](const Principal& caller, const v1::ScoreRequest& request) {
        return scoring_->Score(caller, request);
      });
  Unary<v1::SubmitAssessmentRequest>(
      [this](const Principal& caller,
             const v1::SubmitAssessmentRequest& request) {
        return scoring_->SubmitAssessment(caller, request);
      });
  Unary<v1::ReviewAssessmentRequest>(
      [this](const Principal& caller,
             const v1::ReviewAssessmentRequest& request) {
        return scoring_->ReviewAssessment(caller, request);
      });
  UnaryBlocking<v1::RecognizeAssessmentsRequest>(
      [this](const Principal& caller,
             const v1::RecognizeAssessmentsRequest& request) {
        return scoring_->RecognizeAssessments(caller, request);
      });
  Unary<v1::GetAssessmentRequest>(
      [this](const Principal& caller, const v1::GetAssessmentRequest& request) {
        return scoring_->GetAssessment(caller, request);
      });
  Unary<v1::ListAssessmentsRequest>(
      [this](const Principal& caller,
             const v1::ListAssessmentsRequest& request) {
        return scoring_->ListAssessments(caller, request);
      });
  Unary<v1::GetSafetyStatsRequest>(
      [this](const Principal& caller,
             const v1::GetSafetyStatsRequest& request) {
        return scoring_->GetSafetyStats(caller, request);
      });
  Unary<v1::GetUnitHistoryRequest>(
      [this](const Principal& caller,
             const v1::GetUnitHistoryRequest& request) {
        return scoring_->GetUnitHistory(caller, request);
      });
}

}  // namespace antt::scoring
