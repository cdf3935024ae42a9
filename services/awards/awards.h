#ifndef ANTT_SERVICES_AWARDS_AWARDS_H_
#define ANTT_SERVICES_AWARDS_AWARDS_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "antt/awards/v1/awards.pb.h"
#include "services/awards/award_catalog.h"
#include "services/awards/awards_store.h"
#include "services/awards/dependencies.h"
#include "services/awards/eligibility.h"

namespace antt::awards {

// The awards use cases, one method per RPC (SPEC section 3): validate, gather
// the facts eligibility is decided from (registry, scoring, awards history),
// apply the stage rules, call the store. No gRPC server code. Thread-safe.
class Awards final {
 public:
  struct Dependencies {
    const AwardCatalog* catalog = nullptr;
    AwardsStore* store = nullptr;
    RegistryClient* registry = nullptr;
    ScoringClient* scoring = nullptr;
    std::function<absl::CivilDay()> today;  // Vietnam's date; a test seam
  };

  explicit Awards(Dependencies deps);

  [[nodiscard]] absl::StatusOr<v1::ListAwardTypesResponse> ListAwardTypes(
      const v1::ListAwardTypesRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::Campaign> CreateCampaign(
      const v1::CreateCampaignRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Campaign> GetCampaign(
      const v1::GetCampaignRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListCampaignsResponse> ListCampaigns(
      const v1::ListCampaignsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Campaign> CloseCampaign(
      const v1::CloseCampaignRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> Nominate(
      const v1::NominateRequest& request);
  [[nodiscard]] absl::StatusOr<v1::BatchNominateResponse> BatchNominate(
      const v1::BatchNominateRequest& request);
  [[nodiscard]] absl::StatusOr<v1::CheckEligibilityResponse> CheckEligibility(
      const v1::CheckEligibilityRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> ApproveNomination(
      const v1::ApproveNominationRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> RejectNomination(
      const v1::RejectNominationRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> DeferNomination(
      const v1::DeferNominationRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Decision> IssueDecision(
      const v1::IssueDecisionRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> RevokeAward(
      const v1::RevokeAwardRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListNominationsResponse> ListNominations(
      const v1::ListNominationsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::GetCampaignSummaryResponse>
  GetCampaignSummary(const v1::GetCampaignSummaryRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListRecipientAwardsResponse>
  ListRecipientAwards(const v1::ListRecipientAwardsRequest& request);

 private:
  struct Checked {
    std::vector<v1::RuleResult> results;
    bool eligible = false;
    std::string recipient_name;
  };

  // The nomination's own fields: campaign id, a known award type that takes
  // the recipient's kind, exactly one recipient, achievements text (stored
  // NFC and trimmed).
  [[nodiscard]] absl::Status ValidateNomination(
      v1::Nomination* nomination, const std::string& prefix) const;
  // Eligibility from fresh facts of the registry, scoring and awards history.
  [[nodiscard]] absl::StatusOr<Checked> Check(const v1::Campaign& campaign,
                                              const v1::Nomination& n);
  // Moves a nomination from one of `from` stages to `to`, with `reason`.
  [[nodiscard]] absl::StatusOr<v1::Nomination> Move(
      const std::string& id, const std::string& etag,
      std::vector<v1::NominationStage> from, v1::NominationStage to,
      const std::string& reason);

  Dependencies deps_;
};

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_AWARDS_H_
