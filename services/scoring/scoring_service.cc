#include "services/scoring/scoring_service.h"

#include "common/grpc_handler.h"

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

grpc::Status ScoringServiceImpl::ListCriteriaSets(
    grpc::ServerContext* context, const v1::ListCriteriaSetsRequest* request,
    v1::ListCriteriaSetsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&] { return scoring_->ListCriteriaSets(*request); });
}

grpc::Status ScoringServiceImpl::GetCriteriaSet(
    grpc::ServerContext* context, const v1::GetCriteriaSetRequest* request,
    v1::CriteriaSet* response) {
  return Handle(access_, *context, *request, response,
                [&] { return scoring_->GetCriteriaSet(*request); });
}

grpc::Status ScoringServiceImpl::Score(grpc::ServerContext* context,
                                       const v1::ScoreRequest* request,
                                       v1::ScoreResult* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->Score(caller, *request);
                });
}

grpc::Status ScoringServiceImpl::SubmitAssessment(
    grpc::ServerContext* context, const v1::SubmitAssessmentRequest* request,
    v1::Assessment* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->SubmitAssessment(caller, *request);
                });
}

grpc::Status ScoringServiceImpl::ReviewAssessment(
    grpc::ServerContext* context, const v1::ReviewAssessmentRequest* request,
    v1::Assessment* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->ReviewAssessment(caller, *request);
                });
}

grpc::Status ScoringServiceImpl::RecognizeAssessments(
    grpc::ServerContext* context,
    const v1::RecognizeAssessmentsRequest* request,
    v1::RecognizeAssessmentsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->RecognizeAssessments(caller, *request);
                });
}

grpc::Status ScoringServiceImpl::GetAssessment(
    grpc::ServerContext* context, const v1::GetAssessmentRequest* request,
    v1::Assessment* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->GetAssessment(caller, *request);
                });
}

grpc::Status ScoringServiceImpl::ListAssessments(
    grpc::ServerContext* context, const v1::ListAssessmentsRequest* request,
    v1::ListAssessmentsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->ListAssessments(caller, *request);
                });
}

grpc::Status ScoringServiceImpl::GetSafetyStats(
    grpc::ServerContext* context, const v1::GetSafetyStatsRequest* request,
    v1::GetSafetyStatsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->GetSafetyStats(caller, *request);
                });
}

grpc::Status ScoringServiceImpl::GetUnitHistory(
    grpc::ServerContext* context, const v1::GetUnitHistoryRequest* request,
    v1::GetUnitHistoryResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return scoring_->GetUnitHistory(caller, *request);
                });
}

}  // namespace antt::scoring
