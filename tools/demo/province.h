#ifndef ANTT_TOOLS_DEMO_PROVINCE_H_
#define ANTT_TOOLS_DEMO_PROVINCE_H_

// The demo province: a deterministic, seeded model of legacy province 45
// (Tỉnh Quảng Trị, edition 2025-06) that scripts/demo loads into the real
// services through anttctl — its units, their leaders and protection-team
// members, what each unit's assessment is in every year of the period, the
// decisions that recognise them, and the nominations of two award
// campaigns.
//
// Everything is plain data computed from the seed and the official area
// lists; nothing here talks to a service. The model also says what the
// services should answer (which years a unit is recognised, which
// nominations are eligible), so the demo and its test can check the real
// answers against it.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "antt/registry/v1/registry.pb.h"
#include "services/registry/area_catalog.h"

namespace antt::demo {

struct ProvinceOptions {
  uint64_t seed = 45;
  // Communes taken from each district, in code order (0: all of them).
  int communes_per_district = 0;
  int enterprises = 1500;
  int first_year = 2014;  // the campaign period, both years inclusive
  int last_year = 2019;
};

// What happens to a unit's assessment in one year.
enum class Outcome {
  kRecognized,    // submitted, approved, recognised by the decision
  kFailed,        // a disqualifying event: reviewed, then not recognised
  kNotSubmitted,  // no self-assessment that year
};

struct PlannedYear {
  int year = 0;
  Outcome outcome = Outcome::kRecognized;
  int points_total = 0;  // EXCELLENT from 90, GOOD from 70, AVERAGE from 50
  // kFailed: the event (a type of the 2012 criteria sets) and its date.
  std::string event_type;
  absl::CivilDay event_date;
  std::string event_description;
};

struct DemoUnit {
  registry::v1::Unit unit;  // client-settable fields; external_id always set
  // One entry per year of the period the unit existed in; empty for a unit
  // out of scope.
  std::vector<PlannedYear> years;
};

struct DemoPerson {
  std::string full_name;
  registry::v1::Gender gender = registry::v1::GENDER_UNSPECIFIED;
  int birth_year = 0;
  int unit = -1;  // index into DemoProvince::units: workplace and position
  registry::v1::PositionRole role = registry::v1::POSITION_ROLE_UNSPECIFIED;
  std::string title;
  absl::CivilDay since;
  bool hardship = false;  // the position is in a hardship area
  bool police_medal = false;
};

enum class Campaign {
  kPrior,   // the yearly campaign of first_year: earlier commendations
  kReview,  // the five-year review of the whole period
};

struct DemoNomination {
  Campaign campaign = Campaign::kReview;
  std::string award_type;  // KNC_ANTQ, BK_BCA, BK_UBND_TINH, GK_CAT
  int unit = -1;           // a collective: index into units
  int person = -1;         // an individual: index into persons
  std::string achievements;
  bool eligible = true;  // what the awards service should decide
  std::string why_not;   // when not eligible: the rule that fails
};

// One decision of the provincial People's Committee recognising a year's
// units of one legacy district (a decision holds at most 1,000).
struct Decision {
  int year = 0;
  std::string district_code;  // edition 2025-06
  std::string district_name;
  std::string number;  // "2103/QĐ-UBND"
  absl::CivilDay date;
  std::string authority;
};

struct DemoProvince {
  ProvinceOptions options;
  std::vector<DemoUnit> units;
  std::vector<DemoPerson> persons;
  std::vector<DemoNomination> nominations;
  std::vector<Decision> decisions;
};

// The figures the services should report for one year of the period.
struct YearFigures {
  int year = 0;
  int in_scope = 0;
  int assessed = 0;
  int recognized = 0;
};

// Builds the province from `options` and the legacy edition of `areas`.
// The same options and areas always give the same province. Fails when the
// options leave too few units for the award campaigns.
[[nodiscard]] absl::StatusOr<DemoProvince> GenerateProvince(
    const registry::AreaCatalog& areas, const ProvinceOptions& options);

[[nodiscard]] std::vector<YearFigures> ExpectedFigures(
    const DemoProvince& province);

// The award counts the five-year review should end with: eligible
// nominations issued, by award type and recipient kind.
struct AwardFigures {
  int knc_individuals = 0;          // KNC_ANTQ
  int certificate_collectives = 0;  // BK_BCA, BK_UBND_TINH, GK_CAT
  int certificate_individuals = 0;
  int refused = 0;  // ineligible nominations of the review
};
[[nodiscard]] AwardFigures ExpectedAwards(const DemoProvince& province);

}  // namespace antt::demo

#endif  // ANTT_TOOLS_DEMO_PROVINCE_H_
