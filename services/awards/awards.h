#ifndef ANTT_SERVICES_AWARDS_AWARDS_H_
#define ANTT_SERVICES_AWARDS_AWARDS_H_

#include <functional>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "antt/awards/v1/awards.pb.h"
#include "common/principal.h"
#include "services/awards/award_catalog.h"
#include "services/awards/awards_store.h"
#include "services/awards/dependencies.h"
#include "services/awards/eligibility.h"

namespace antt::awards {

// The awards use cases, one method per RPC (SPEC section 3): validate, gather
// the facts eligibility is decided from (registry, scoring, awards history),
// apply the stage rules, call the store. No gRPC server code. Thread-safe.
//
// The caller's role was checked by the service's AccessPolicy; the use cases
// check the rest, before anything is written (PERMISSION_DENIED):
// - an override_justification (approving an ineligible nomination) is for an
//   ADMIN only;
// - an OFFICER limited to an area acts only on recipients in that area: a
//   unit filed under it, or a person whose current unit is (a person without
//   a current unit is outside every area), fetched from the registry. In a
//   BatchNominate an item outside the area is that item's error, like any
//   other refused item; the others are still made. Such an officer lists
//   nominations only by a unit_id or person_id in its area, and may not
//   create, close or summarise campaigns, which span every area. Its calls
//   read the recipient from the registry first (Unavailable when it is down);
//   a caller without an area limit costs no extra call.
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
      const Principal& caller, const v1::CreateCampaignRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Campaign> GetCampaign(
      const v1::GetCampaignRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListCampaignsResponse> ListCampaigns(
      const v1::ListCampaignsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Campaign> CloseCampaign(
      const Principal& caller, const v1::CloseCampaignRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> Nominate(
      const Principal& caller, const v1::NominateRequest& request);
  [[nodiscard]] absl::StatusOr<v1::BatchNominateResponse> BatchNominate(
      const Principal& caller, const v1::BatchNominateRequest& request);
  [[nodiscard]] absl::StatusOr<v1::CheckEligibilityResponse> CheckEligibility(
      const Principal& caller, const v1::CheckEligibilityRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> ApproveNomination(
      const Principal& caller, const v1::ApproveNominationRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> RejectNomination(
      const Principal& caller, const v1::RejectNominationRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> DeferNomination(
      const Principal& caller, const v1::DeferNominationRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Decision> IssueDecision(
      const Principal& caller, const v1::IssueDecisionRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> RevokeAward(
      const Principal& caller, const v1::RevokeAwardRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListNominationsResponse> ListNominations(
      const Principal& caller, const v1::ListNominationsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::GetCampaignSummaryResponse>
  GetCampaignSummary(const Principal& caller,
                     const v1::GetCampaignSummaryRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListRecipientAwardsResponse>
  ListRecipientAwards(const Principal& caller,
                      const v1::ListRecipientAwardsRequest& request);

 private:
  struct Checked {
    std::vector<v1::RuleResult> results;
    bool eligible = false;
    std::string recipient_name;
  };

  // What a caller may see of the units an eligibility names
  // (RuleResult.unit_ids): everything, for a caller without an area limit;
  // for one limited to an area, only the facts of units found inside it. A
  // rule naming any other unit (outside, unknown, or not looked up) is shown
  // with its verdict and a detail saying it depends on units outside the
  // caller's area.
  struct UnitsInView {
    bool limited = false;
    absl::flat_hash_set<std::string> inside;

    [[nodiscard]] bool Hides(const v1::RuleResult& result) const;
    void Redact(v1::RuleResult* result) const;
    void Redact(v1::Nomination* nomination) const;
  };
  // Looks up every unit of `unit_ids` for `caller`, all in one round of
  // fetching (common/fetch_scope.h), before anything is written.
  [[nodiscard]] absl::StatusOr<UnitsInView> ViewOf(
      const Principal& caller,
      const absl::flat_hash_set<std::string>& unit_ids);

  // A nomination checked and ready to store, or the stored answer to a
  // retried request (`stored`), which writes nothing; `view` is what the
  // caller may see of it.
  struct Prepared {
    v1::Nomination nomination;
    std::string request_key;
    bool stored = false;
    UnitsInView view;
  };
  // Everything Nominate checks and decides before it writes.
  [[nodiscard]] absl::StatusOr<Prepared> PrepareNomination(
      const Principal& caller, const v1::NominateRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Nomination> StoreNomination(
      Prepared prepared);

  // The nomination's own fields: campaign id, a known award type that takes
  // the recipient's kind, exactly one recipient, achievements text (stored
  // NFC and trimmed).
  [[nodiscard]] absl::Status ValidateNomination(
      v1::Nomination* nomination, const std::string& prefix) const;
  // Eligibility from fresh facts of the registry, scoring and awards history.
  [[nodiscard]] absl::StatusOr<Checked> Check(const v1::Campaign& campaign,
                                              const v1::Nomination& n);
  // PERMISSION_DENIED unless the unit, the person (by their current unit)
  // or the nomination's recipient lies in `caller`'s area; OK at once for a
  // caller without an area limit. NotFound for an unknown recipient. The
  // refusal names `what` (default: the unit or person asked about), never
  // a unit the caller did not name itself; a stored nomination's refusal
  // names the nomination, not its recipient.
  [[nodiscard]] absl::Status CheckUnitIdInScope(const Principal& caller,
                                                const std::string& unit_id,
                                                absl::string_view what = "");
  [[nodiscard]] absl::Status CheckPersonIdInScope(const Principal& caller,
                                                  const std::string& person_id,
                                                  absl::string_view what = "");
  [[nodiscard]] absl::Status CheckRecipientInScope(const Principal& caller,
                                                   const v1::Nomination& n);
  // Moves a nomination from one of `from` stages to `to`, with `reason`.
  [[nodiscard]] absl::StatusOr<v1::Nomination> Move(
      const Principal& caller, const std::string& id, const std::string& etag,
      std::vector<v1::NominationStage> from, v1::NominationStage to,
      const std::string& reason);

  Dependencies deps_;
};

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_AWARDS_H_
