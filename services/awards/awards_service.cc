#include "services/awards/awards_service.h"

namespace antt::awards {

const AccessPolicy& AwardsAccessPolicy() {
  static const AccessPolicy* const policy =
      new AccessPolicy(v1::AwardsService::service_full_name(),
                       {
                           {"ListAwardTypes", kReaders},
                           {"GetCampaign", kReaders},
                           {"ListCampaigns", kReaders},
                           {"CheckEligibility", kReaders},
                           {"ListNominations", kReaders},
                           {"GetCampaignSummary", kReaders},
                           {"ListRecipientAwards", kReaders},
                           {"CreateCampaign", kWriters},
                           {"CloseCampaign", kWriters},
                           {"Nominate", kWriters},
                           {"BatchNominate", kWriters},
                           {"ApproveNomination", kWriters},
                           {"RejectNomination", kWriters},
                           {"DeferNomination", kWriters},
                           {"IssueDecision", kWriters},
                           {"RevokeAward", kWriters},
                       });
  return *policy;
}

AwardsServiceImpl::AwardsServiceImpl(Awards* awards,
                                     const Authenticator* authenticator)
    : CallbackService(authenticator, &AwardsAccessPolicy()), awards_(awards) {
  Unary<v1::ListAwardTypesRequest>(
      [this](const Principal&, const v1::ListAwardTypesRequest& request) {
        return awards_->ListAwardTypes(request);
      });
  Unary<v1::CreateCampaignRequest>(
      [this](const Principal& caller,
             const v1::CreateCampaignRequest& request) {
        return awards_->CreateCampaign(caller, request);
      });
  Unary<v1::GetCampaignRequest>(
      [this](const Principal&, const v1::GetCampaignRequest& request) {
        return awards_->GetCampaign(request);
      });
  Unary<v1::ListCampaignsRequest>(
      [this](const Principal&, const v1::ListCampaignsRequest& request) {
        return awards_->ListCampaigns(request);
      });
  Unary<v1::CloseCampaignRequest>(
      [this](const Principal& caller, const v1::CloseCampaignRequest& request) {
        return awards_->CloseCampaign(caller, request);
      });
  Unary<v1::NominateRequest>(
      [this](const Principal& caller, const v1::NominateRequest& request) {
        return awards_->Nominate(caller, request);
      });
  Unary<v1::BatchNominateRequest>(
      [this](const Principal& caller, const v1::BatchNominateRequest& request) {
        return awards_->BatchNominate(caller, request);
      });
  Unary<v1::CheckEligibilityRequest>(
      [this](const Principal& caller,
             const v1::CheckEligibilityRequest& request) {
        return awards_->CheckEligibility(caller, request);
      });
  Unary<v1::ApproveNominationRequest>(
      [this](const Principal& caller,
             const v1::ApproveNominationRequest& request) {
        return awards_->ApproveNomination(caller, request);
      });
  Unary<v1::RejectNominationRequest>(
      [this](const Principal& caller,
             const v1::RejectNominationRequest& request) {
        return awards_->RejectNomination(caller, request);
      });
  Unary<v1::DeferNominationRequest>(
      [this](const Principal& caller,
             const v1::DeferNominationRequest& request) {
        return awards_->DeferNomination(caller, request);
      });
  UnaryBlocking<v1::IssueDecisionRequest>(
      [this](const Principal& caller, const v1::IssueDecisionRequest& request) {
        return awards_->IssueDecision(caller, request);
      });
  Unary<v1::RevokeAwardRequest>(
      [this](const Principal& caller, const v1::RevokeAwardRequest& request) {
        return awards_->RevokeAward(caller, request);
      });
  Unary<v1::ListNominationsRequest>(
      [this](const Principal& caller,
             const v1::ListNominationsRequest& request) {
        return awards_->ListNominations(caller, request);
      });
  Unary<v1::GetCampaignSummaryRequest>(
      [this](const Principal& caller,
             const v1::GetCampaignSummaryRequest& request) {
        return awards_->GetCampaignSummary(caller, request);
      });
  Unary<v1::ListRecipientAwardsRequest>(
      [this](const Principal& caller,
             const v1::ListRecipientAwardsRequest& request) {
        return awards_->ListRecipientAwards(caller, request);
      });
}

}  // namespace antt::awards
