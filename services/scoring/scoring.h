#ifndef ANTT_SERVICES_SCORING_SCORING_H_
#define ANTT_SERVICES_SCORING_SCORING_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "antt/scoring/v1/scoring.pb.h"
#include "services/registry/area_catalog.h"
#include "services/scoring/criteria_catalog.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/scoring_store.h"
#include "services/scoring/settings.h"

namespace antt::scoring {

// The scoring use cases, one method per RPC (SPEC section 2): validate, apply
// the rules, check units with the registry, call the store. No gRPC server
// code here. Thread-safe.
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
      const v1::ScoreRequest& request);

  [[nodiscard]] absl::StatusOr<v1::Assessment> SubmitAssessment(
      const v1::SubmitAssessmentRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Assessment> ReviewAssessment(
      const v1::ReviewAssessmentRequest& request);
  [[nodiscard]] absl::StatusOr<v1::RecognizeAssessmentsResponse>
  RecognizeAssessments(const v1::RecognizeAssessmentsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::Assessment> GetAssessment(
      const v1::GetAssessmentRequest& request);
  [[nodiscard]] absl::StatusOr<v1::ListAssessmentsResponse> ListAssessments(
      const v1::ListAssessmentsRequest& request);

  [[nodiscard]] absl::StatusOr<v1::GetSafetyStatsResponse> GetSafetyStats(
      const v1::GetSafetyStatsRequest& request);
  [[nodiscard]] absl::StatusOr<v1::GetUnitHistoryResponse> GetUnitHistory(
      const v1::GetUnitHistoryRequest& request);

 private:
  // The registry's unit `unit_id`, which must be ACTIVE, in scope and
  // established by the end of `year` to be assessed for it.
  [[nodiscard]] absl::StatusOr<registry::v1::Unit> AssessableUnit(
      const std::string& unit_id, int year);

  Dependencies deps_;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_SCORING_H_
