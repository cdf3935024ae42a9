#include "services/awards/awards_service.h"

#include "common/grpc_handler.h"

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

grpc::Status AwardsServiceImpl::ListAwardTypes(
    grpc::ServerContext* context, const v1::ListAwardTypesRequest* request,
    v1::ListAwardTypesResponse* response) {
  return Handle(access_, *context, *request, response,
                [&] { return awards_->ListAwardTypes(*request); });
}

grpc::Status AwardsServiceImpl::CreateCampaign(
    grpc::ServerContext* context, const v1::CreateCampaignRequest* request,
    v1::Campaign* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->CreateCampaign(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::GetCampaign(
    grpc::ServerContext* context, const v1::GetCampaignRequest* request,
    v1::Campaign* response) {
  return Handle(access_, *context, *request, response,
                [&] { return awards_->GetCampaign(*request); });
}

grpc::Status AwardsServiceImpl::ListCampaigns(
    grpc::ServerContext* context, const v1::ListCampaignsRequest* request,
    v1::ListCampaignsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&] { return awards_->ListCampaigns(*request); });
}

grpc::Status AwardsServiceImpl::CloseCampaign(
    grpc::ServerContext* context, const v1::CloseCampaignRequest* request,
    v1::Campaign* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->CloseCampaign(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::Nominate(grpc::ServerContext* context,
                                         const v1::NominateRequest* request,
                                         v1::Nomination* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->Nominate(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::BatchNominate(
    grpc::ServerContext* context, const v1::BatchNominateRequest* request,
    v1::BatchNominateResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->BatchNominate(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::CheckEligibility(
    grpc::ServerContext* context, const v1::CheckEligibilityRequest* request,
    v1::CheckEligibilityResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->CheckEligibility(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::ApproveNomination(
    grpc::ServerContext* context, const v1::ApproveNominationRequest* request,
    v1::Nomination* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->ApproveNomination(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::RejectNomination(
    grpc::ServerContext* context, const v1::RejectNominationRequest* request,
    v1::Nomination* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->RejectNomination(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::DeferNomination(
    grpc::ServerContext* context, const v1::DeferNominationRequest* request,
    v1::Nomination* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->DeferNomination(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::IssueDecision(
    grpc::ServerContext* context, const v1::IssueDecisionRequest* request,
    v1::Decision* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->IssueDecision(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::RevokeAward(
    grpc::ServerContext* context, const v1::RevokeAwardRequest* request,
    v1::Nomination* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->RevokeAward(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::ListNominations(
    grpc::ServerContext* context, const v1::ListNominationsRequest* request,
    v1::ListNominationsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->ListNominations(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::GetCampaignSummary(
    grpc::ServerContext* context, const v1::GetCampaignSummaryRequest* request,
    v1::GetCampaignSummaryResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->GetCampaignSummary(caller, *request);
                });
}

grpc::Status AwardsServiceImpl::ListRecipientAwards(
    grpc::ServerContext* context, const v1::ListRecipientAwardsRequest* request,
    v1::ListRecipientAwardsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return awards_->ListRecipientAwards(caller, *request);
                });
}

}  // namespace antt::awards
