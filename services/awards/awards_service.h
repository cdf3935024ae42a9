#ifndef ANTT_SERVICES_AWARDS_AWARDS_SERVICE_H_
#define ANTT_SERVICES_AWARDS_AWARDS_SERVICE_H_

#include "antt/awards/v1/awards.grpc.pb.h"
#include "common/auth.h"
#include "services/awards/awards.h"

namespace antt::awards {

// Which roles may call each AwardsService method (README, "Roles"): reads
// for every role, writes for ADMIN and OFFICER. Area scope and the
// ADMIN-only override are checked by Awards.
[[nodiscard]] const AccessPolicy& AwardsAccessPolicy();

// The gRPC adapter: each handler admits the caller, calls Awards and maps its
// status. Sync API with a bounded pool, as the other services (README,
// "Threading model").
class AwardsServiceImpl final : public v1::AwardsService::Service {
 public:
  // `awards` and `authenticator` are not owned and must outlive the service.
  AwardsServiceImpl(Awards* awards, const Authenticator* authenticator)
      : awards_(awards), access_{authenticator, &AwardsAccessPolicy()} {}

  grpc::Status ListAwardTypes(grpc::ServerContext* context,
                              const v1::ListAwardTypesRequest* request,
                              v1::ListAwardTypesResponse* response) override;
  grpc::Status CreateCampaign(grpc::ServerContext* context,
                              const v1::CreateCampaignRequest* request,
                              v1::Campaign* response) override;
  grpc::Status GetCampaign(grpc::ServerContext* context,
                           const v1::GetCampaignRequest* request,
                           v1::Campaign* response) override;
  grpc::Status ListCampaigns(grpc::ServerContext* context,
                             const v1::ListCampaignsRequest* request,
                             v1::ListCampaignsResponse* response) override;
  grpc::Status CloseCampaign(grpc::ServerContext* context,
                             const v1::CloseCampaignRequest* request,
                             v1::Campaign* response) override;
  grpc::Status Nominate(grpc::ServerContext* context,
                        const v1::NominateRequest* request,
                        v1::Nomination* response) override;
  grpc::Status BatchNominate(grpc::ServerContext* context,
                             const v1::BatchNominateRequest* request,
                             v1::BatchNominateResponse* response) override;
  grpc::Status CheckEligibility(
      grpc::ServerContext* context, const v1::CheckEligibilityRequest* request,
      v1::CheckEligibilityResponse* response) override;
  grpc::Status ApproveNomination(grpc::ServerContext* context,
                                 const v1::ApproveNominationRequest* request,
                                 v1::Nomination* response) override;
  grpc::Status RejectNomination(grpc::ServerContext* context,
                                const v1::RejectNominationRequest* request,
                                v1::Nomination* response) override;
  grpc::Status DeferNomination(grpc::ServerContext* context,
                               const v1::DeferNominationRequest* request,
                               v1::Nomination* response) override;
  grpc::Status IssueDecision(grpc::ServerContext* context,
                             const v1::IssueDecisionRequest* request,
                             v1::Decision* response) override;
  grpc::Status RevokeAward(grpc::ServerContext* context,
                           const v1::RevokeAwardRequest* request,
                           v1::Nomination* response) override;
  grpc::Status ListNominations(grpc::ServerContext* context,
                               const v1::ListNominationsRequest* request,
                               v1::ListNominationsResponse* response) override;
  grpc::Status GetCampaignSummary(
      grpc::ServerContext* context,
      const v1::GetCampaignSummaryRequest* request,
      v1::GetCampaignSummaryResponse* response) override;
  grpc::Status ListRecipientAwards(
      grpc::ServerContext* context,
      const v1::ListRecipientAwardsRequest* request,
      v1::ListRecipientAwardsResponse* response) override;

 private:
  Awards* awards_;
  AccessControl access_;
};

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_AWARDS_SERVICE_H_
