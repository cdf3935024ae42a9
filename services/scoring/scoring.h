#ifndef ANTT_SERVICES_SCORING_SCORING_H_
#define ANTT_SERVICES_SCORING_SCORING_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "antt/scoring/v1/scoring.pb.h"
#include "common/principal.h"
#include "services/registry/area_catalog.h"
#include "services/scoring/criteria_catalog.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/scoring_store.h"
#include "services/scoring/settings.h"

namespace antt::scoring {

// The scoring use cases, one method per RPC (SPEC section 2): validate, apply
// the rules, check units with the registry, call the store. No gRPC server
// code here. Thread-safe.
//
// Area scope (SPEC section 4): the use cases taking a `caller` refuse, with
// PERMISSION_DENIED and before writing anything, a caller limited to an area
// acting on a unit outside it (the unit's current areas, as the registry
// holds them) or filtering by an area outside it. Callers without an area
// limit are never refused, and cost no extra registry call; for a limited
// caller the unit is read from the registry, so those calls are UNAVAILABLE
// while the registry is down.
class Scoring final {
 public:
  struct Dependencies {
    const CriteriaCatalog* criteria = nullptr;
    const ScoringSettings* settings = nullptr;
    const registry::AreaCatalog* areas = nullptr;
    ScoringStore* store = nullptr;
    RegistryClient* registry = nullptr;
    std::function<absl::Time()> now = absl::Now;  // a seam for tests
  };

  explicit Scoring(Dependencies deps);

  [[nodiscard]] absl::StatusOr<v1::ListCriteriaSetsResponse> ListCriteriaSets(
      const v1::ListCriteriaSetsRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::CriteriaSet> GetCriteriaSet(
      const v1::GetCriteriaSetRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::ScoreResult> Score(
      const Principal& caller, const v1::ScoreRequest& request);

  [[nodiscard]] absl::StatusOr<v1::Assessment> SubmitAssessment(
      const Principal& caller, const v1::SubmitAssessmentRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Assessment> ReviewAssessment(
      const Principal& caller, const v1::ReviewAssessmentRequest& request);
  // Every assessment's unit must be in the caller's scope, or nothing is
  // written.
  [[nodiscard]] absl::StatusOr<v1::RecognizeAssessmentsResponse>
  RecognizeAssessments(const Principal& caller,
                       const v1::RecognizeAssessmentsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Assessment> GetAssessment(
      const Principal& caller, const v1::GetAssessmentRequest& request);
  // With a unit_id, that unit must be in scope; without one, the area filter
  // (a caller limited to an area must give one inside it).
  [[nodiscard]] absl::StatusOr<v1::ListAssessmentsResponse> ListAssessments(
      const Principal& caller, const v1::ListAssessmentsRequest& request);

  // The area filter must be in scope, as for ListAssessments.
  [[nodiscard]] absl::StatusOr<v1::GetSafetyStatsResponse> GetSafetyStats(
      const Principal& caller, const v1::GetSafetyStatsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::GetUnitHistoryResponse> GetUnitHistory(
      const Principal& caller, const v1::GetUnitHistoryRequest& request);

 private:
  // The registry's unit `unit_id`, which must lie in `caller`'s area, and be
  // ACTIVE, in scope of the law and established by the end of `year` to be
  // assessed for it.
  [[nodiscard]] absl::StatusOr<registry::v1::Unit> AssessableUnit(
      const Principal& caller, const std::string& unit_id, int year);
  // OK when `caller` may act on unit `unit_id`: at once for a caller without
  // an area limit; otherwise the registry's unit must lie in its area
  // (NotFound for an unknown unit, Unavailable when the registry is down).
  // `what` names the thing acted on in the refusal.
  [[nodiscard]] absl::Status CheckUnitScope(const Principal& caller,
                                            const std::string& unit_id,
                                            absl::string_view what);
  // The same for the unit of each stored assessment of `ids` (NotFound for
  // an unknown id).
  [[nodiscard]] absl::Status CheckAssessmentsScope(
      const Principal& caller, const std::vector<std::string>& ids);

  Dependencies deps_;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_SCORING_H_
