#ifndef ANTT_SERVICES_AWARDS_AWARD_CATALOG_H_
#define ANTT_SERVICES_AWARDS_AWARD_CATALOG_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "antt/awards/v1/awards.pb.h"

namespace antt::awards {

// Inside antt::awards, v1 is antt::awards::v1 (the generated package).

// The conditions a unit must meet for an award type (SPEC section 3). A rule
// that is false or 0 is not applied.
struct CollectiveRules {
  bool active = false;  // the unit is ACTIVE (not dissolved)
  // Recognised ANTT-safe in every year first_year..last_year of the campaign.
  bool recognized_every_year = false;
  // Recognised in each of the last N years of the campaign, last_year-N+1 ..
  // last_year (whatever first_year is).
  int recognized_last_years = 0;
  // Classified EXCELLENT in the campaign's last_year.
  bool excellent_in_last_year = false;
};

// The conditions a person must meet for an award type (SPEC section 3). A
// rule that is false or 0 is not applied.
struct IndividualRules {
  bool active = false;  // the person is ACTIVE
  // The person's current unit recognised in each of the last N years.
  int unit_recognized_last_years = 0;
  // Years of service, up to 31 December of last_year: at least leader_years
  // in LEADER positions, or at least protection_team_years_{male,female} in
  // PROTECTION_TEAM positions by the person's gender. The service rule
  // applies when any of them is > 0; a path whose threshold is 0 is closed.
  double leader_years = 0;
  double protection_team_years_male = 0;
  double protection_team_years_female = 0;
  // Each period in a hardship_area position counts this many times: a whole
  // number >= 1, so that years, months and days multiply exactly.
  int hardship_multiplier = 1;
  // At least one earlier ISSUED award of any type.
  bool requires_prior_commendation = false;
  // Not for a holder of a police long-service medal.
  bool excludes_police_service_medal = false;
  // No disqualifying event in a unit the person led, in the campaign years
  // in which the person led it.
  bool no_event_in_period = false;

  [[nodiscard]] bool HasServiceRule() const {
    return leader_years > 0 || protection_team_years_male > 0 ||
           protection_team_years_female > 0;
  }
};

// The rule parameters of one award type: a block per recipient kind the type
// accepts (the other block stays all-off).
struct AwardRules {
  CollectiveRules collective;
  IndividualRules individual;
};

// The award-type catalogue (SPEC section 3, configurable), loaded once at
// start-up from one JSON file (data/awards/award_types.json) and immutable
// afterwards, so every method is thread-safe. Pointers it returns live as
// long as the catalog.
//
// The file: {"notes": [...], "award_types": [{"code", "name",
// "recipient_kinds": ["RECIPIENT_KIND_COLLECTIVE", ...], "authority",
// "once_per_person", "provisional", "notes": [...], "rules": {"collective":
// {...}, "individual": {...}}}, ...]}, the rule keys named as the fields of
// CollectiveRules and IndividualRules.
class AwardCatalog final {
 public:
  // Reads and validates `path`. NotFound when the file cannot be opened;
  // InvalidArgument naming the file and the problem otherwise, e.g.
  // "data/awards/award_types.json: award_types[2].code: \"BK_BCA\" appears
  // twice". Checks: at least one type; codes non-empty, of A-Z, 0-9 and "_",
  // unique; name and authority non-empty; recipient_kinds non-empty, known
  // and not repeated; a provisional type has notes; a rules block for every
  // recipient kind the type accepts and for no other, each applying at least
  // one rule; every threshold positive (hardship_multiplier >= 1 and only
  // with a service rule; both protection-team thresholds or neither);
  // unknown keys rejected at every level.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AwardCatalog>> Load(
      const std::string& path);

  // nullptr when no type has `code`.
  [[nodiscard]] const v1::AwardType* Find(absl::string_view code) const;

  // The rule parameters of `code`; nullptr when no type has it.
  [[nodiscard]] const AwardRules* Rules(absl::string_view code) const;

  // Every type, in file order.
  [[nodiscard]] std::vector<const v1::AwardType*> List() const;

  [[nodiscard]] size_t size() const { return entries_.size(); }
  [[nodiscard]] const std::string& source_file() const { return source_file_; }

 private:
  struct Entry {
    v1::AwardType type;
    AwardRules rules;
  };

  AwardCatalog() = default;

  // In file order; unique_ptr so the pointers handed out never move.
  std::vector<std::unique_ptr<Entry>> entries_;
  std::map<std::string, const Entry*, std::less<>> by_code_;
  std::string source_file_;
};

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_AWARD_CATALOG_H_
