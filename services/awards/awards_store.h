#ifndef ANTT_SERVICES_AWARDS_AWARDS_STORE_H_
#define ANTT_SERVICES_AWARDS_AWARDS_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "antt/awards/v1/awards.pb.h"

namespace antt::awards {

struct NominationQuery {
  std::string campaign_id;
  std::string award_type;
  v1::NominationStage stage = v1::NOMINATION_STAGE_UNSPECIFIED;
  std::string unit_id;
  std::string person_id;
  std::string after_id;
  int page_size = 100;
};

struct NominationPage {
  std::vector<v1::Nomination> nominations;
  bool more = false;
  int total_size = 0;
};

using CampaignMutator = std::function<absl::Status(v1::Campaign*)>;
using NominationMutator = std::function<absl::Status(v1::Nomination*)>;

// Durable storage of campaigns, nominations and decisions, with the indexes
// and summary counters kept in the same write.
//
// Contract for every method:
// - Thread-safe; writes are serialized and each call is one atomic write.
// - OK means in the WAL; IssueDecision is also synced before it returns.
// - A write made while a call is served (common/audit.h) carries that call's
//   audit record in the same atomic write; a refused write leaves none.
// - NotFound for an unknown id; the store assigns ids, etags and times.
// The most nominations one campaign holds (a whole country's campaign is a
// few tens of thousands): every list, summary and decision of a campaign
// stays bounded.
inline constexpr int64_t kMaxCampaignNominations = 100000;

class AwardsStore {
 public:
  virtual ~AwardsStore() = default;

  // With a request id seen before: the first result, nothing written.
  [[nodiscard]] virtual absl::StatusOr<v1::Campaign> CreateCampaign(
      v1::Campaign campaign, absl::string_view request_id) = 0;
  [[nodiscard]] virtual absl::StatusOr<v1::Campaign> GetCampaign(
      absl::string_view id) = 0;
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::Campaign>> ListCampaigns(
      absl::string_view after_id, int page_size, bool* more) = 0;
  [[nodiscard]] virtual absl::StatusOr<v1::Campaign> UpdateCampaign(
      absl::string_view id, const CampaignMutator& mutate) = 0;

  // Creates a nomination (stage PROPOSED). AlreadyExists when the recipient
  // already has a nomination of the same award type in the campaign that
  // was not rejected; FailedPrecondition when the campaign already holds
  // kMaxCampaignNominations. With a request id seen before: the first result.
  [[nodiscard]] virtual absl::StatusOr<v1::Nomination> CreateNomination(
      v1::Nomination nomination, absl::string_view request_id) = 0;
  // The nomination first created with `request_id`, if any (a retry).
  [[nodiscard]] virtual absl::StatusOr<std::optional<v1::Nomination>>
  FindNominationByRequest(absl::string_view request_id) = 0;
  [[nodiscard]] virtual absl::StatusOr<v1::Nomination> GetNomination(
      absl::string_view id) = 0;
  [[nodiscard]] virtual absl::StatusOr<v1::Nomination> UpdateNomination(
      absl::string_view id, const NominationMutator& mutate) = 0;

  // All or nothing: records `decision` (AlreadyExists when its number is
  // taken) and applies `mutate` to each nomination; NotFound for an unknown
  // id or the first error of `mutate` writes nothing. Synced.
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::Nomination>>
  IssueDecision(const v1::Decision& decision,
                const std::vector<std::string>& ids,
                const NominationMutator& mutate) = 0;

  // The decision numbered `number`; NotFound when there is none.
  [[nodiscard]] virtual absl::StatusOr<v1::Decision> GetDecision(
      absl::string_view number) = 0;

  [[nodiscard]] virtual absl::StatusOr<NominationPage> ListNominations(
      const NominationQuery& query) = 0;
  // Every nomination of a recipient ("u:<unit id>" or "p:<person id>").
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::Nomination>>
  RecipientNominations(absl::string_view recipient_key) = 0;
  // Counts by award type × recipient kind × stage, from counters.
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::SummaryRow>> Summary(
      absl::string_view campaign_id) = 0;
};

// "u:<unit id>" or "p:<person id>".
[[nodiscard]] std::string RecipientKey(const v1::Nomination& nomination);

// INDIVIDUAL for a person, COLLECTIVE for a unit.
[[nodiscard]] v1::RecipientKind RecipientKindOf(
    const v1::Nomination& nomination);

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_AWARDS_STORE_H_
