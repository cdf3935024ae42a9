#ifndef ANTT_SERVICES_AWARDS_ELIGIBILITY_H_
#define ANTT_SERVICES_AWARDS_ELIGIBILITY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
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

  // INDIVIDUAL: unit_id → dissolve date of every DISSOLVED unit a position
  // of the person refers to. A position ends at the latest on its unit's
  // dissolve date, for the years of service and for the years the person led
  // the unit.
  std::map<std::string, google::type::Date> unit_dissolve_dates;

  // The recipient's awards from earlier campaigns. Only ISSUED ones decided
  // on or before 31 December of last_year count; REVOKED (and any other
  // stage) are ignored.
  std::vector<v1::Nomination> prior_awards;
};

// A length of service in whole calendar years, months and days.
struct ServiceLength {
  int years = 0;
  int months = 0;  // 0..11: twelve months carry into a year
  // Days are added as days and never carried into months: a month has no
  // fixed number of days.
  int days = 0;

  ServiceLength& operator+=(const ServiceLength& other);
  // The length counted `times` times (each part multiplied, exactly).
  [[nodiscard]] ServiceLength Times(int times) const;
  // Whether it reaches `threshold_years`; a fraction of a year is counted in
  // whole months (2.5 years: 2 years and 6 months), days never round up.
  [[nodiscard]] bool AtLeast(double threshold_years) const;
  // "9 năm 11 tháng 30 ngày", leaving out parts that are 0 ("10 năm");
  // "0 ngày" when there is no service at all.
  [[nodiscard]] std::string Text() const;

  friend bool operator==(const ServiceLength& a, const ServiceLength& b) {
    return a.years == b.years && a.months == b.months && a.days == b.days;
  }
};

// The length of the period from `first` to `last`, both days included: N
// whole years when the same day N years after `first` is at most the day
// after `last`, then whole months the same way, then the days left. A day
// the target month lacks runs on into the next month (29 February + 1 year
// is 1 March), so a year or a month is never counted before it has passed. 1
// January 2010 to 31 December 2019 is 10 năm; 2 January 2011 to 31 December
// 2020 is 9 năm 11 tháng 30 ngày.
[[nodiscard]] ServiceLength LengthOf(absl::CivilDay first, absl::CivilDay last);

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
// "leader 9 năm 11 tháng 30 ngày (hardship counted double), needs 10 năm".
// Pure: the same
// inputs give the same results.
[[nodiscard]] std::vector<v1::RuleResult> Evaluate(
    const v1::AwardType& type, const AwardRules& rules,
    const EligibilityFacts& facts);

// True when every result passed (and there is at least one).
[[nodiscard]] bool AllPassed(const std::vector<v1::RuleResult>& results);

// The service of `person` in positions of `role` up to 31 December of
// `last_year`. A position runs from its start_date to its end_date (both
// included; an empty end_date is ongoing), ending at the latest on the
// dissolve date of its unit (`unit_dissolve_dates`); one with an invalid
// start or end date counts nothing. A day covered by several positions of
// the role counts once, in a hardship_area position if any covering one is.
// Each run of consecutive days is one period, measured by LengthOf, whatever
// kind its days are (so a change of kind loses no day); each run of
// consecutive hardship days is then added `hardship_multiplier` - 1 more
// times; the periods add up as ServiceLength does.
[[nodiscard]] ServiceLength CountService(
    const registry::v1::Person& person, registry::v1::PositionRole role,
    int last_year, int hardship_multiplier,
    const std::map<std::string, google::type::Date>& unit_dissolve_dates);

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_ELIGIBILITY_H_
