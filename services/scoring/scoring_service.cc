#include "services/scoring/scoring_service.h"

#include "common/grpc_handler.h"

namespace antt::scoring {

grpc::Status ScoringServiceImpl::ListCriteriaSets(
    grpc::ServerContext* context, const v1::ListCriteriaSetsRequest* request,
    v1::ListCriteriaSetsResponse* response) {
  return Handle(*context, response,
                [&] { return scoring_->ListCriteriaSets(*request); });
}

grpc::Status ScoringServiceImpl::GetCriteriaSet(
    grpc::ServerContext* context, const v1::GetCriteriaSetRequest* request,
    v1::CriteriaSet* response) {
  return Handle(*context, response,
                [&] { return scoring_->GetCriteriaSet(*request); });
}

grpc::Status ScoringServiceImpl::Score(grpc::ServerContext* context,
                                       const v1::ScoreRequest* request,
                                       v1::ScoreResult* response) {
  return Handle(*context, response, [&] { return scoring_->Score(*request); });
}

grpc::Status ScoringServiceImpl::SubmitAssessment(
    grpc::ServerContext* context, const v1::SubmitAssessmentRequest* request,
    v1::Assessment* response) {
  return Handle(*context, response,
                [&] { return scoring_->SubmitAssessment(*request); });
}

grpc::Status ScoringServiceImpl::ReviewAssessment(
    grpc::ServerContext* context, const v1::ReviewAssessmentRequest* request,
    v1::Assessment* response) {
  return Handle(*context, response,
                [&] { return scoring_->ReviewAssessment(*request); });
}

grpc::Status ScoringServiceImpl::RecognizeAssessments(
    grpc::ServerContext* context,
    const v1::RecognizeAssessmentsRequest* request,
    v1::RecognizeAssessmentsResponse* response) {
  return Handle(*context, response,
                [&] { return scoring_->RecognizeAssessments(*request); });
}

grpc::Status ScoringServiceImpl::GetAssessment(
    grpc::ServerContext* context, const v1::GetAssessmentRequest* request,
    v1::Assessment* response) {
  return Handle(*context, response,
                [&] { return scoring_->GetAssessment(*request); });
}

grpc::Status ScoringServiceImpl::ListAssessments(
    grpc::ServerContext* context, const v1::ListAssessmentsRequest* request,
    v1::ListAssessmentsResponse* response) {
  return Handle(*context, response,
                [&] { return scoring_->ListAssessments(*request); });
}

grpc::Status ScoringServiceImpl::GetSafetyStats(
    grpc::ServerContext* context, const v1::GetSafetyStatsRequest* request,
    v1::GetSafetyStatsResponse* response) {
  return Handle(*context, response,
                [&] { return scoring_->GetSafetyStats(*request); });
}

grpc::Status ScoringServiceImpl::GetUnitHistory(
    grpc::ServerContext* context, const v1::GetUnitHistoryRequest* request,
    v1::GetUnitHistoryResponse* response) {
  return Handle(*context, response,
                [&] { return scoring_->GetUnitHistory(*request); });
}

}  // namespace antt::scoring
