#ifndef ANTT_SERVICES_AWARDS_ELIGIBILITY_H_
#define ANTT_SERVICES_AWARDS_ELIGIBILITY_H_

#include <map>
#include <string>
#include <vector>

#include "antt/awards/v1/awards.pb.h"
#include "antt/registry/v1/registry.pb.h"
#include "antt/scoring/v1/scoring.pb.h"
#include "services/awards/award_catalog.h"

namespace antt::awards {

// Inside antt::awards, registry::v1 and scoring::v1 are antt::registry::v1
// and antt::scoring::v1.

// Everything eligibility is decided from, gathered by the caller from the
// registry, scoring and the awards store. Plain data: Evaluate() calls
// nothing.
struct EligibilityFacts {
  // The campaign period, both years inclusive.
  int first_year = 0;
  int last_year = 0;

  v1::RecipientKind recipient_kind = v1::RECIPIENT_KIND_UNSPECIFIED;

  // COLLECTIVE: the nominated unit.
  registry::v1::Unit unit;
  // INDIVIDUAL: the nominated person.
  registry::v1::Person person;

  // GetUnitHistory (up to last_year) of the nominated unit (COLLECTIVE) or of
  // the person's current unit, person.unit_id (INDIVIDUAL).
  scoring::v1::GetUnitHistoryResponse unit_history;

  // INDIVIDUAL: unit_id → GetUnitHistory (up to last_year) of every unit the
  // person held a LEADER position in during the period. A led unit missing
  // here fails the no-event rule (it cannot be checked).
  std::map<std::string, scoring::v1::GetUnitHistoryResponse> led_unit_histories;

  // The recipient's awards from earlier campaigns. Only ISSUED ones count;
  // REVOKED (and any other stage) are ignored.
  std::vector<v1::Nomination> prior_awards;
};

// Evaluates every rule of `type` (with its parameters `rules`) for the
// recipient in `facts`, one RuleResult per rule, in a fixed order. Rule ids
// are "<code>.<rule>":
//   any:         campaign_period (only when last_year < first_year, alone),
//                recipient_kind (only when the type does not accept the
//                recipient kind, alone);
//   COLLECTIVE:  unit_active, recognized_every_year, recognized_last_years,
//                excellent_in_last_year;
//   INDIVIDUAL:  person_active, once_per_person (type.once_per_person),
//                service_years, prior_commendation, police_service_medal,
//                no_event_in_period, unit_recognized_last_years.
// Only the rules `rules` applies are reported. Each detail names the figures
// or years that decided it, e.g. "not recognised in 2016 (no assessment)",
// "leader 9.9 years (hardship counted double), needs 10". Pure: the same
// inputs give the same results.
[[nodiscard]] std::vector<v1::RuleResult> Evaluate(
    const v1::AwardType& type, const AwardRules& rules,
    const EligibilityFacts& facts);

// True when every result passed (and there is at least one).
[[nodiscard]] bool AllPassed(const std::vector<v1::RuleResult>& results);

// Years `person` served in positions of `role` up to 31 December of
// `last_year`: days (both ends inclusive; an empty end_date is ongoing; a
// position with an invalid start or end date counts nothing) / 365.25, a day in
// a hardship_area position counting `hardship_multiplier` times. A day covered
// by several positions of the role counts once, at the largest weight.
// (The service rule compares days: a threshold of N years is met by
// floor(N × 365.25) weighted days, so N whole calendar years always count as
// N although they may hold only N × 365 + floor(N / 4) days.)
[[nodiscard]] double ServiceYears(const registry::v1::Person& person,
                                  registry::v1::PositionRole role,
                                  int last_year, double hardship_multiplier);

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_ELIGIBILITY_H_
