#include "services/awards/eligibility.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/date.h"

namespace antt::awards {
namespace {

using registry::v1::Person;
using registry::v1::Position;
using registry::v1::PositionRole;
using scoring::v1::GetUnitHistoryResponse;
using scoring::v1::HistoryYear;

constexpr double kDaysPerYear = 365.25;

// Collects the results of one evaluation; every rule id is "<code>.<rule>".
class Results final {
 public:
  explicit Results(absl::string_view code) : code_(code) {}

  // `unit_ids`: the units whose facts `detail` states (RuleResult.unit_ids).
  void Add(absl::string_view rule, bool passed, std::string detail,
           const std::vector<std::string>& unit_ids = {}) {
    v1::RuleResult& r = results_.emplace_back();
    r.set_rule(absl::StrCat(code_, ".", rule));
    r.set_passed(passed);
    r.set_detail(std::move(detail));
    for (const std::string& id : unit_ids) r.add_unit_ids(id);
  }

  std::vector<v1::RuleResult> Take() { return std::move(results_); }

 private:
  std::string code_;
  std::vector<v1::RuleResult> results_;
};

// "STAGE_NOT_RECOGNIZED" → "NOT_RECOGNIZED".
std::string WithoutPrefix(const std::string& name, absl::string_view prefix) {
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

// "2014-2016, 2018" for {2014, 2015, 2016, 2018}.
std::string YearRanges(const std::set<int>& years) {
  std::vector<std::string> parts;
  for (auto it = years.begin(); it != years.end();) {
    const int first = *it;
    int last = first;
    for (++it; it != years.end() && *it == last + 1; ++it) last = *it;
    parts.push_back(first == last ? absl::StrCat(first)
                                  : absl::StrCat(first, "-", last));
  }
  return absl::StrJoin(parts, ", ");
}

std::string Period(int first, int last) {
  return first == last ? absl::StrCat(first) : absl::StrCat(first, "-", last);
}

// Years to one decimal, rounded, except that a figure that fails its
// threshold is never shown as reaching it (9.96 → "9.9", not "10.0").
std::string FormatYears(double years, double threshold, bool passed) {
  double shown = std::round(years * 10) / 10;
  if (!passed && shown >= threshold) shown = std::floor(years * 10) / 10;
  return absl::StrFormat("%.1f", shown);
}

std::string FormatThreshold(double threshold) {
  return absl::StrFormat("%g", threshold);
}

const HistoryYear* FindYear(const GetUnitHistoryResponse& history, int year) {
  for (const HistoryYear& y : history.years()) {
    if (y.year() == year) return &y;
  }
  return nullptr;
}

// Why `year` is not recognised ("2016 (no assessment)"); empty when it is.
std::string NotRecognizedReason(const GetUnitHistoryResponse& history,
                                int year) {
  const HistoryYear* y = FindYear(history, year);
  if (y == nullptr) return absl::StrCat(year, " (no assessment)");
  if (y->stage() == scoring::v1::STAGE_RECOGNIZED) return "";
  return absl::StrCat(
      year, " (stage ",
      WithoutPrefix(scoring::v1::Stage_Name(y->stage()), "STAGE_"), ")");
}

// Passed when every year first..last is recognised; the detail names each
// year that is not, e.g. "not recognised in 2016 (no assessment)".
std::pair<bool, std::string> RecognizedIn(const GetUnitHistoryResponse& history,
                                          int first, int last,
                                          absl::string_view subject) {
  std::vector<std::string> missing;
  for (int year = first; year <= last; ++year) {
    std::string reason = NotRecognizedReason(history, year);
    if (!reason.empty()) missing.push_back(std::move(reason));
  }
  if (!missing.empty()) {
    return {false, absl::StrCat(subject, "not recognised in ",
                                absl::StrJoin(missing, ", "))};
  }
  if (first == last) {
    return {true, absl::StrCat(subject, "recognised in ", first)};
  }
  return {true, absl::StrCat(subject, "recognised in every year ",
                             Period(first, last))};
}

bool ParseDay(const google::type::Date& date, absl::CivilDay* out) {
  if (!CheckDate(date).ok()) return false;
  *out = absl::CivilDay(date.year(), date.month(), date.day());
  return true;
}

// The days [start, end] of a position up to `cutoff`; false when it has no
// valid dates or starts after the cutoff.
bool PositionDays(const Position& p, absl::CivilDay cutoff,
                  absl::CivilDay* start, absl::CivilDay* end) {
  if (!ParseDay(p.start_date(), start)) return false;
  if (IsEmptyDate(p.end_date())) {
    *end = cutoff;
  } else if (!ParseDay(p.end_date(), end)) {
    return false;
  }
  *end = std::min(*end, cutoff);
  return *start <= *end;
}

struct Service {
  double days = 0;  // weighted
  double years = 0;
  bool hardship = false;  // some counted day was in a hardship area
};

// N years are served with floor(N × 365.25) days: N whole calendar years hold
// at least N × 365 + floor(N / 4) days, so they always count as N (10 years
// from 1/1/2010 to 31/12/2019 are 3652 days, 9.9986 × 365.25).
bool Meets(const Service& service, double threshold_years) {
  return service.days >= std::floor(threshold_years * kDaysPerYear);
}

Service CountService(const Person& person, PositionRole role, int last_year,
                     double hardship_multiplier) {
  const absl::CivilDay cutoff(last_year, 12, 31);
  struct Span {
    absl::CivilDay begin;  // inclusive
    absl::CivilDay end;    // exclusive
    double weight;
  };
  std::vector<Span> spans;
  std::vector<absl::CivilDay> bounds;
  Service service;
  for (const Position& p : person.positions()) {
    if (p.role() != role) continue;
    absl::CivilDay start;
    absl::CivilDay end;
    if (!PositionDays(p, cutoff, &start, &end)) continue;
    const double weight =
        p.hardship_area() ? std::max(1.0, hardship_multiplier) : 1.0;
    if (p.hardship_area()) service.hardship = true;
    spans.push_back({start, end + 1, weight});
    bounds.push_back(start);
    bounds.push_back(end + 1);
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  double weighted_days = 0;
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    double weight = 0;
    for (const Span& s : spans) {
      if (s.begin <= bounds[i] && bounds[i + 1] <= s.end) {
        weight = std::max(weight, s.weight);
      }
    }
    weighted_days += weight * static_cast<double>(bounds[i + 1] - bounds[i]);
  }
  service.days = weighted_days;
  service.years = weighted_days / kDaysPerYear;
  return service;
}

std::string HardshipNote(const Service& service, double multiplier) {
  if (!service.hardship || multiplier <= 1) return "";
  if (multiplier == 2) return " (hardship counted double)";
  return absl::StrFormat(" (hardship counted x%g)", multiplier);
}

std::string AwardRef(const v1::Nomination& n) {
  return n.decision_number().empty()
             ? absl::StrCat(n.award_type(), " (nomination ", n.id(), ")")
             : absl::StrCat(n.award_type(), " (decision ", n.decision_number(),
                            ")");
}

int CountRevoked(const std::vector<v1::Nomination>& awards,
                 absl::string_view code) {
  int revoked = 0;
  for (const v1::Nomination& n : awards) {
    if (n.stage() == v1::NOMINATION_STAGE_REVOKED &&
        (code.empty() || n.award_type() == code)) {
      ++revoked;
    }
  }
  return revoked;
}

std::string RevokedNote(int revoked) {
  if (revoked == 0) return "";
  return absl::StrCat(" (", revoked,
                      revoked == 1 ? " revoked award" : " revoked awards",
                      " not counted)");
}

// ------------------------------------------------------------- Collectives

void EvaluateCollective(const CollectiveRules& rules,
                        const EligibilityFacts& facts, Results* out) {
  const registry::v1::Unit& unit = facts.unit;
  if (rules.active) {
    if (unit.status() == registry::v1::UNIT_STATUS_ACTIVE) {
      out->Add("unit_active", true, "unit is ACTIVE");
    } else if (unit.status() == registry::v1::UNIT_STATUS_DISSOLVED) {
      std::string detail = "unit is DISSOLVED";
      if (!IsEmptyDate(unit.dissolve_date())) {
        absl::StrAppend(&detail, " since ", FormatDate(unit.dissolve_date()));
      }
      if (!unit.dissolve_reason().empty()) {
        absl::StrAppend(&detail, ": ", unit.dissolve_reason());
      }
      out->Add("unit_active", false, std::move(detail));
    } else {
      out->Add("unit_active", false, "unit status is not recorded");
    }
  }
  if (rules.recognized_every_year) {
    auto [passed, detail] =
        RecognizedIn(facts.unit_history, facts.first_year, facts.last_year, "");
    out->Add("recognized_every_year", passed, std::move(detail));
  }
  if (rules.recognized_last_years > 0) {
    auto [passed, detail] = RecognizedIn(
        facts.unit_history, facts.last_year - rules.recognized_last_years + 1,
        facts.last_year, "");
    out->Add("recognized_last_years", passed, std::move(detail));
  }
  if (rules.excellent_in_last_year) {
    const HistoryYear* y = FindYear(facts.unit_history, facts.last_year);
    if (y == nullptr) {
      out->Add("excellent_in_last_year", false,
               absl::StrCat("no assessment in ", facts.last_year,
                            ", needs EXCELLENT"));
    } else if (y->classification() == scoring::v1::CLASSIFICATION_EXCELLENT) {
      out->Add("excellent_in_last_year", true,
               absl::StrCat("classified EXCELLENT in ", facts.last_year));
    } else {
      const std::string cls =
          y->classification() == scoring::v1::CLASSIFICATION_UNSPECIFIED
              ? std::string("not classified")
              : absl::StrCat("classified ",
                             WithoutPrefix(scoring::v1::Classification_Name(
                                               y->classification()),
                                           "CLASSIFICATION_"));
      out->Add("excellent_in_last_year", false,
               absl::StrCat(cls, " in ", facts.last_year, ", needs EXCELLENT"));
    }
  }
}

// ------------------------------------------------------------- Individuals

void AddServiceYears(const IndividualRules& rules,
                     const EligibilityFacts& facts, Results* out) {
  const Person& person = facts.person;
  std::vector<std::string> parts;
  bool passed = false;
  if (rules.leader_years > 0) {
    const Service leader =
        CountService(person, registry::v1::POSITION_ROLE_LEADER,
                     facts.last_year, rules.hardship_multiplier);
    const bool ok = Meets(leader, rules.leader_years);
    passed = passed || ok;
    parts.push_back(absl::StrCat(
        "leader ", FormatYears(leader.years, rules.leader_years, ok), " years",
        HardshipNote(leader, rules.hardship_multiplier),
        ok ? ", at least " : ", needs ", FormatThreshold(rules.leader_years)));
  }
  if (rules.protection_team_years_male > 0 ||
      rules.protection_team_years_female > 0) {
    const Service team =
        CountService(person, registry::v1::POSITION_ROLE_PROTECTION_TEAM,
                     facts.last_year, rules.hardship_multiplier);
    double threshold = 0;
    std::string who;
    if (person.gender() == registry::v1::GENDER_MALE) {
      threshold = rules.protection_team_years_male;
      who = "men";
    } else if (person.gender() == registry::v1::GENDER_FEMALE) {
      threshold = rules.protection_team_years_female;
      who = "women";
    }
    const bool ok = threshold > 0 && Meets(team, threshold);
    std::string part =
        absl::StrCat("protection team ", FormatYears(team.years, threshold, ok),
                     " years", HardshipNote(team, rules.hardship_multiplier));
    if (threshold <= 0) {
      absl::StrAppend(&part, ", gender not recorded");
    } else {
      passed = passed || ok;
      absl::StrAppend(&part, ok ? ", at least " : ", needs ",
                      FormatThreshold(threshold), " (", who, ")");
    }
    parts.push_back(std::move(part));
  }
  out->Add("service_years", passed,
           absl::StrCat(absl::StrJoin(parts, "; "), " (counted to 31 December ",
                        facts.last_year, ")"));
}

void AddNoEventInPeriod(const EligibilityFacts& facts, Results* out) {
  const absl::CivilDay period_start(facts.first_year, 1, 1);
  const absl::CivilDay cutoff(facts.last_year, 12, 31);
  // unit_id → the campaign years in which the person led it.
  std::map<std::string, std::set<int>> led;
  for (const Position& p : facts.person.positions()) {
    if (p.role() != registry::v1::POSITION_ROLE_LEADER || p.unit_id().empty()) {
      continue;
    }
    absl::CivilDay start;
    absl::CivilDay end;
    if (!PositionDays(p, cutoff, &start, &end) || end < period_start) continue;
    start = std::max(start, period_start);
    for (int64_t y = start.year(); y <= end.year(); ++y) {
      led[p.unit_id()].insert(static_cast<int>(y));
    }
  }
  if (led.empty()) {
    out->Add("no_event_in_period", true,
             absl::StrCat("led no unit in ",
                          Period(facts.first_year, facts.last_year)));
    return;
  }
  std::vector<std::string> failures;
  std::vector<std::string> checked;
  std::vector<std::string> unit_ids;
  for (const auto& [unit_id, years] : led) {
    unit_ids.push_back(unit_id);
    auto history = facts.led_unit_histories.find(unit_id);
    if (history == facts.led_unit_histories.end()) {
      failures.push_back(
          absl::StrCat("unit ", unit_id, ": no history to check"));
      continue;
    }
    for (int year : years) {
      const HistoryYear* y = FindYear(history->second, year);
      if (y == nullptr || y->events() <= 0) continue;
      std::string failure = absl::StrCat(
          "unit ", unit_id, ": ", y->events(),
          y->events() == 1 ? " disqualifying event" : " disqualifying events",
          " in ", year);
      if (!y->event_types().empty()) {
        absl::StrAppend(&failure, " (", absl::StrJoin(y->event_types(), ", "),
                        ")");
      }
      failures.push_back(std::move(failure));
    }
    checked.push_back(absl::StrCat(unit_id, " (", YearRanges(years), ")"));
  }
  if (!failures.empty()) {
    out->Add("no_event_in_period", false, absl::StrJoin(failures, "; "),
             unit_ids);
  } else {
    out->Add("no_event_in_period", true,
             absl::StrCat("no disqualifying event in led units ",
                          absl::StrJoin(checked, ", ")),
             unit_ids);
  }
}

void EvaluateIndividual(const v1::AwardType& type, const IndividualRules& rules,
                        const EligibilityFacts& facts, Results* out) {
  const Person& person = facts.person;
  if (rules.active) {
    if (person.status() == registry::v1::PERSON_STATUS_ACTIVE) {
      out->Add("person_active", true, "person is ACTIVE");
    } else {
      out->Add("person_active", false,
               person.status() == registry::v1::PERSON_STATUS_INACTIVE
                   ? "person is INACTIVE (retired, moved away or deceased)"
                   : "person status is not recorded");
    }
  }
  if (type.once_per_person()) {
    const v1::Nomination* earlier = nullptr;
    for (const v1::Nomination& n : facts.prior_awards) {
      if (n.stage() == v1::NOMINATION_STAGE_ISSUED &&
          n.award_type() == type.code()) {
        earlier = &n;
        break;
      }
    }
    if (earlier != nullptr) {
      out->Add("once_per_person", false,
               absl::StrCat("already awarded ", AwardRef(*earlier),
                            "; given once per person"));
    } else {
      out->Add("once_per_person", true,
               absl::StrCat(
                   "never awarded ", type.code(),
                   RevokedNote(CountRevoked(facts.prior_awards, type.code()))));
    }
  }
  if (rules.HasServiceRule()) AddServiceYears(rules, facts, out);
  if (rules.requires_prior_commendation) {
    std::vector<std::string> issued;
    for (const v1::Nomination& n : facts.prior_awards) {
      if (n.stage() == v1::NOMINATION_STAGE_ISSUED) {
        issued.push_back(AwardRef(n));
      }
    }
    if (issued.empty()) {
      out->Add("prior_commendation", false,
               absl::StrCat("no earlier commendation issued",
                            RevokedNote(CountRevoked(facts.prior_awards, ""))));
    } else {
      out->Add(
          "prior_commendation", true,
          absl::StrCat("earlier commendation: ", absl::StrJoin(issued, ", ")));
    }
  }
  if (rules.excludes_police_service_medal) {
    out->Add("police_service_medal", !person.holds_police_service_medal(),
             person.holds_police_service_medal()
                 ? "holds a police long-service medal"
                 : "holds no police long-service medal");
  }
  if (rules.no_event_in_period) AddNoEventInPeriod(facts, out);
  if (rules.unit_recognized_last_years > 0) {
    if (person.unit_id().empty()) {
      out->Add("unit_recognized_last_years", false,
               "the person has no current unit");
    } else {
      auto [passed, detail] = RecognizedIn(
          facts.unit_history,
          facts.last_year - rules.unit_recognized_last_years + 1,
          facts.last_year, absl::StrCat("unit ", person.unit_id(), " "));
      out->Add("unit_recognized_last_years", passed, std::move(detail));
    }
  }
}

bool Accepts(const v1::AwardType& type, v1::RecipientKind kind) {
  return std::find(type.recipient_kinds().begin(), type.recipient_kinds().end(),
                   kind) != type.recipient_kinds().end();
}

std::string KindWord(int kind) {
  switch (kind) {
    case v1::RECIPIENT_KIND_COLLECTIVE:
      return "collectives";
    case v1::RECIPIENT_KIND_INDIVIDUAL:
      return "individuals";
    default:
      return "recipients of unspecified kind";
  }
}

}  // namespace

std::vector<v1::RuleResult> Evaluate(const v1::AwardType& type,
                                     const AwardRules& rules,
                                     const EligibilityFacts& facts) {
  Results out(type.code());
  if (facts.first_year <= 0 || facts.last_year < facts.first_year) {
    out.Add("campaign_period", false,
            absl::StrCat("campaign period ", facts.first_year, "-",
                         facts.last_year, " is not a range of years"));
    return out.Take();
  }
  if (facts.recipient_kind == v1::RECIPIENT_KIND_UNSPECIFIED ||
      !Accepts(type, facts.recipient_kind)) {
    std::vector<std::string> accepted;
    for (int kind : type.recipient_kinds()) accepted.push_back(KindWord(kind));
    out.Add(
        "recipient_kind", false,
        absl::StrCat(type.code(), " is for ", absl::StrJoin(accepted, " and "),
                     ", not ", KindWord(facts.recipient_kind)));
    return out.Take();
  }
  if (facts.recipient_kind == v1::RECIPIENT_KIND_COLLECTIVE) {
    EvaluateCollective(rules.collective, facts, &out);
  } else {
    EvaluateIndividual(type, rules.individual, facts, &out);
  }
  return out.Take();
}

bool AllPassed(const std::vector<v1::RuleResult>& results) {
  if (results.empty()) return false;
  return std::all_of(results.begin(), results.end(),
                     [](const v1::RuleResult& r) { return r.passed(); });
}

double ServiceYears(const registry::v1::Person& person,
                    registry::v1::PositionRole role, int last_year,
                    double hardship_multiplier) {
  return CountService(person, role, last_year, hardship_multiplier).years;
}

}  // namespace antt::awards
