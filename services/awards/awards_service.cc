#include "services/awards/awards_service.h"

#include "common/grpc_handler.h"

namespace antt::awards {

grpc::Status AwardsServiceImpl::ListAwardTypes(
    grpc::ServerContext* context, const v1::ListAwardTypesRequest* request,
    v1::ListAwardTypesResponse* response) {
  return Handle(*context, response,
                [&] { return awards_->ListAwardTypes(*request); });
}

grpc::Status AwardsServiceImpl::CreateCampaign(
    grpc::ServerContext* context, const v1::CreateCampaignRequest* request,
    v1::Campaign* response) {
  return Handle(*context, response,
                [&] { return awards_->CreateCampaign(*request); });
}

grpc::Status AwardsServiceImpl::GetCampaign(
    grpc::ServerContext* context, const v1::GetCampaignRequest* request,
    v1::Campaign* response) {
  return Handle(*context, response,
                [&] { return awards_->GetCampaign(*request); });
}

grpc::Status AwardsServiceImpl::ListCampaigns(
    grpc::ServerContext* context, const v1::ListCampaignsRequest* request,
    v1::ListCampaignsResponse* response) {
  return Handle(*context, response,
                [&] { return awards_->ListCampaigns(*request); });
}

grpc::Status AwardsServiceImpl::CloseCampaign(
    grpc::ServerContext* context, const v1::CloseCampaignRequest* request,
    v1::Campaign* response) {
  return Handle(*context, response,
                [&] { return awards_->CloseCampaign(*request); });
}

grpc::Status AwardsServiceImpl::Nominate(grpc::ServerContext* context,
                                         const v1::NominateRequest* request,
                                         v1::Nomination* response) {
  return Handle(*context, response,
                [&] { return awards_->Nominate(*request); });
}

grpc::Status AwardsServiceImpl::BatchNominate(
    grpc::ServerContext* context, const v1::BatchNominateRequest* request,
    v1::BatchNominateResponse* response) {
  return Handle(*context, response,
                [&] { return awards_->BatchNominate(*request); });
}

grpc::Status AwardsServiceImpl::CheckEligibility(
    grpc::ServerContext* context, const v1::CheckEligibilityRequest* request,
    v1::CheckEligibilityResponse* response) {
  return Handle(*context, response,
                [&] { return awards_->CheckEligibility(*request); });
}

grpc::Status AwardsServiceImpl::ApproveNomination(
    grpc::ServerContext* context, const v1::ApproveNominationRequest* request,
    v1::Nomination* response) {
  return Handle(*context, response,
                [&] { return awards_->ApproveNomination(*request); });
}

grpc::Status AwardsServiceImpl::RejectNomination(
    grpc::ServerContext* context, const v1::RejectNominationRequest* request,
    v1::Nomination* response) {
  return Handle(*context, response,
                [&] { return awards_->RejectNomination(*request); });
}

grpc::Status AwardsServiceImpl::DeferNomination(
    grpc::ServerContext* context, const v1::DeferNominationRequest* request,
    v1::Nomination* response) {
  return Handle(*context, response,
                [&] { return awards_->DeferNomination(*request); });
}

grpc::Status AwardsServiceImpl::IssueDecision(
    grpc::ServerContext* context, const v1::IssueDecisionRequest* request,
    v1::Decision* response) {
  return Handle(*context, response,
                [&] { return awards_->IssueDecision(*request); });
}

grpc::Status AwardsServiceImpl::RevokeAward(
    grpc::ServerContext* context, const v1::RevokeAwardRequest* request,
    v1::Nomination* response) {
  return Handle(*context, response,
                [&] { return awards_->RevokeAward(*request); });
}

grpc::Status AwardsServiceImpl::ListNominations(
    grpc::ServerContext* context, const v1::ListNominationsRequest* request,
    v1::ListNominationsResponse* response) {
  return Handle(*context, response,
                [&] { return awards_->ListNominations(*request); });
}

grpc::Status AwardsServiceImpl::GetCampaignSummary(
    grpc::ServerContext* context, const v1::GetCampaignSummaryRequest* request,
    v1::GetCampaignSummaryResponse* response) {
  return Handle(*context, response,
                [&] { return awards_->GetCampaignSummary(*request); });
}

grpc::Status AwardsServiceImpl::ListRecipientAwards(
    grpc::ServerContext* context, const v1::ListRecipientAwardsRequest* request,
    v1::ListRecipientAwardsResponse* response) {
  return Handle(*context, response,
                [&] { return awards_->ListRecipientAwards(*request); });
}

}  // namespace antt::awards
