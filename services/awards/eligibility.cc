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

// The days [start, end] of a position up to `cutoff` and up to its unit's
// dissolve date (`dissolved`); false when it has no valid dates or starts
// after the last of them.
bool PositionDays(const Position& p, absl::CivilDay cutoff,
                  const std::map<std::string, google::type::Date>& dissolved,
                  absl::CivilDay* start, absl::CivilDay* end) {
  if (!ParseDay(p.start_date(), start)) return false;
  if (IsEmptyDate(p.end_date())) {
    *end = cutoff;
  } else if (!ParseDay(p.end_date(), end)) {
    return false;
  }
  *end = std::min(*end, cutoff);
  if (auto unit = dissolved.find(p.unit_id()); unit != dissolved.end()) {
    absl::CivilDay dissolve_day;
    if (ParseDay(unit->second, &dissolve_day)) {
      *end = std::min(*end, dissolve_day);
    }
  }
  return *start <= *end;
}

// `day` moved by `months` calendar months; a day the target month lacks
// runs on into the next (31 January + 1 month is 3 March in a common year,
// 29 February + 12 months is 1 March), so a month or a year is never counted
// before it has fully passed.
absl::CivilDay AddMonths(absl::CivilDay day, int64_t months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  return absl::CivilDay(month.year(), month.month(), day.day());
}

std::string HardshipNote(bool hardship, int multiplier) {
  if (!hardship || multiplier <= 1) return "";
  if (multiplier == 2) return " (hardship counted double)";
  return absl::StrCat(" (hardship counted x", multiplier, ")");
}

// The service of one role with whether any of it was in a hardship area.
struct Service {
  ServiceLength length;
  bool hardship = false;
};

Service CountRoleService(
    const Person& person, PositionRole role, int last_year,
    int hardship_multiplier,
    const std::map<std::string, google::type::Date>& dissolved) {
  const absl::CivilDay cutoff(last_year, 12, 31);
  // Each day covered, and whether a hardship position covers it: the
  // timeline is cut at every position's first day and the day after its
  // last, and each piece takes the kind of the positions covering it.
  struct Span {
    absl::CivilDay begin;  // inclusive
    absl::CivilDay end;    // exclusive
    bool hardship;
  };
  std::vector<Span> spans;
  std::vector<absl::CivilDay> bounds;
  for (const Position& p : person.positions()) {
    if (p.role() != role) continue;
    absl::CivilDay start;
    absl::CivilDay end;
    if (!PositionDays(p, cutoff, dissolved, &start, &end)) continue;
    spans.push_back({start, end + 1, p.hardship_area()});
    bounds.push_back(start);
    bounds.push_back(end + 1);
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  // Each run of consecutive days is measured once, whatever its kind, so
  // a change of kind loses no day; each run of consecutive hardship days
  // then counts (multiplier - 1) more times.
  struct Period {
    absl::CivilDay begin;
    absl::CivilDay end;  // exclusive
  };
  std::vector<Period> runs;
  std::vector<Period> hardship_runs;
  const auto extend = [](std::vector<Period>* periods, absl::CivilDay begin,
                         absl::CivilDay end) {
    if (!periods->empty() && periods->back().end == begin) {
      periods->back().end = end;
    } else {
      periods->push_back({begin, end});
    }
  };
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    bool covered = false;
    bool hardship = false;
    for (const Span& s : spans) {
      if (s.begin <= bounds[i] && bounds[i + 1] <= s.end) {
        covered = true;
        hardship = hardship || s.hardship;
      }
    }
    if (!covered) continue;
    extend(&runs, bounds[i], bounds[i + 1]);
    if (hardship) extend(&hardship_runs, bounds[i], bounds[i + 1]);
  }
  Service service;
  for (const Period& run : runs)
    service.length += LengthOf(run.begin, run.end - 1);
  for (const Period& run : hardship_runs) {
    service.hardship = true;
    if (hardship_multiplier > 1) {
      service.length +=
          LengthOf(run.begin, run.end - 1).Times(hardship_multiplier - 1);
    }
  }
  return service;
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
    const Service leader = CountRoleService(
        person, registry::v1::POSITION_ROLE_LEADER, facts.last_year,
        rules.hardship_multiplier, facts.unit_dissolve_dates);
    const bool ok = leader.length.AtLeast(rules.leader_years);
    passed = passed || ok;
    parts.push_back(absl::StrCat(
        "leader ", leader.length.Text(),
        HardshipNote(leader.hardship, rules.hardship_multiplier),
        ok ? ", at least " : ", needs ", FormatThreshold(rules.leader_years)));
  }
  if (rules.protection_team_years_male > 0 ||
      rules.protection_team_years_female > 0) {
    const Service team = CountRoleService(
        person, registry::v1::POSITION_ROLE_PROTECTION_TEAM, facts.last_year,
        rules.hardship_multiplier, facts.unit_dissolve_dates);
    double threshold = 0;
    std::string who;
    if (person.gender() == registry::v1::GENDER_MALE) {
      threshold = rules.protection_team_years_male;
      who = "men";
    } else if (person.gender() == registry::v1::GENDER_FEMALE) {
      threshold = rules.protection_team_years_female;
      who = "women";
    }
    const bool ok = threshold > 0 && team.length.AtLeast(threshold);
    std::string part =
        absl::StrCat("protection team ", team.length.Text(),
                     HardshipNote(team.hardship, rules.hardship_multiplier));
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
    // Only the years in which the unit existed: a position ends when its
    // unit is dissolved.
    if (!PositionDays(p, cutoff, facts.unit_dissolve_dates, &start, &end) ||
        end < period_start) {
      continue;
    }
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
    // Only what was decided by the end of the period: an award of a later
    // campaign is not an earlier commendation.
    const google::type::Date period_end = MakeDate(facts.last_year, 12, 31);
    std::vector<std::string> issued;
    int later = 0;
    for (const v1::Nomination& n : facts.prior_awards) {
      if (n.stage() != v1::NOMINATION_STAGE_ISSUED) continue;
      if (!n.has_decision_date() || IsEmptyDate(n.decision_date()) ||
          CompareDates(n.decision_date(), period_end) > 0) {
        ++later;
        continue;
      }
      issued.push_back(AwardRef(n));
    }
    if (issued.empty()) {
      std::string later_note;
      if (later > 0) {
        later_note = absl::StrCat(" by 31 December ", facts.last_year, " (",
                                  later, later == 1 ? " award" : " awards",
                                  " decided after it, or without a decision "
                                  "date, not counted)");
      }
      out->Add("prior_commendation", false,
               absl::StrCat("no earlier commendation issued", later_note,
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
      // The person's unit then: a later reader may no longer see it.
      out->Add("unit_recognized_last_years", passed, std::move(detail),
               {person.unit_id()});
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

ServiceLength& ServiceLength::operator+=(const ServiceLength& other) {
  days += other.days;
  months += other.months;
  years += other.years + months / 12;
  months %= 12;
  return *this;
}

ServiceLength ServiceLength::Times(int times) const {
  ServiceLength total;
  for (int i = 0; i < times; ++i) total += *this;
  return total;
}

bool ServiceLength::AtLeast(double threshold_years) const {
  // Whole months: a threshold is in years, or years and months.
  const int64_t needed = static_cast<int64_t>(std::ceil(threshold_years * 12));
  return int64_t{years} * 12 + months >= needed;
}

std::string ServiceLength::Text() const {
  std::vector<std::string> parts;
  if (years > 0) parts.push_back(absl::StrCat(years, " năm"));
  if (months > 0) parts.push_back(absl::StrCat(months, " tháng"));
  if (days > 0 || parts.empty()) parts.push_back(absl::StrCat(days, " ngày"));
  return absl::StrJoin(parts, " ");
}

ServiceLength LengthOf(absl::CivilDay first, absl::CivilDay last) {
  ServiceLength length;
  const absl::CivilDay after = last + 1;
  if (after <= first) return length;
  // Whole months first (years are twelve of them), from the month count,
  // one less when the day of the month is not reached yet.
  int64_t months = (absl::CivilMonth(after) - absl::CivilMonth(first));
  while (months > 0 && AddMonths(first, months) > after) --months;
  length.years = static_cast<int>(months / 12);
  length.months = static_cast<int>(months % 12);
  length.days = static_cast<int>(after - AddMonths(first, months));
  return length;
}

ServiceLength CountService(
    const registry::v1::Person& person, registry::v1::PositionRole role,
    int last_year, int hardship_multiplier,
    const std::map<std::string, google::type::Date>& unit_dissolve_dates) {
  return CountRoleService(person, role, last_year, hardship_multiplier,
                          unit_dissolve_dates)
      .length;
}

}  // namespace antt::awards
