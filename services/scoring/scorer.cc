#include "services/scoring/scorer.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/date.h"
#include "common/field_violations.h"

namespace antt::scoring {
namespace {

// Free text a caller sends (answer notes, event descriptions).
constexpr size_t kMaxNoteChars = 2000;

// What a failure says of an event reported without date or description.
constexpr absl::string_view kOccurred = "đã xảy ra";

bool CoversYear(const v1::CriteriaSet& set, int year) {
  return year >= set.first_year() &&
         (set.last_year() == 0 || year <= set.last_year());
}

std::string YearRange(const v1::CriteriaSet& set) {
  return set.last_year() == 0
             ? absl::StrCat(set.first_year(), " on")
             : absl::StrCat(set.first_year(), "-", set.last_year());
}

std::string YearProblem(const v1::CriteriaSet& set, int year) {
  return absl::StrCat(year, " is outside the years of ", set.id(), " (",
                      YearRange(set), ")");
}

bool HasKind(const v1::CriteriaSet& set, registry::v1::UnitKind kind) {
  return std::find(set.kinds().begin(), set.kinds().end(), kind) !=
         set.kinds().end();
}

template <typename T>
std::string Ids(const google::protobuf::RepeatedPtrField<T>& list) {
  return absl::StrJoin(list, ", ", [](std::string* out, const T& x) {
    absl::StrAppend(out, x.id());
  });
}

// The index in `list` of the element whose id is `id`, or -1.
template <typename T>
int IndexById(const google::protobuf::RepeatedPtrField<T>& list,
              absl::string_view id) {
  for (int i = 0; i < list.size(); ++i) {
    if (list[i].id() == id) return i;
  }
  return -1;
}

v1::Classification Classify(const v1::Thresholds& t, int total, bool safe) {
  if (total >= t.excellent() && safe) return v1::CLASSIFICATION_EXCELLENT;
  if (total >= t.good()) return v1::CLASSIFICATION_GOOD;
  if (total >= t.average()) return v1::CLASSIFICATION_AVERAGE;
  return v1::CLASSIFICATION_WEAK;
}

}  // namespace

absl::StatusOr<v1::ScoreResult> Score(
    const v1::CriteriaSet& set, const CriteriaCatalog& catalog,
    const ScoringSettings& settings, int year,
    const google::protobuf::RepeatedPtrField<v1::ConditionAnswer>& conditions,
    const google::protobuf::RepeatedPtrField<v1::Event>& events,
    const google::protobuf::RepeatedPtrField<v1::ItemPoints>& points,
    absl::string_view field_prefix) {
  if (catalog.Find(set.id()) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "criteria set ", set.id(), " is not in the catalog scoring uses"));
  }
  const std::string p(field_prefix);
  FieldViolations violations;

  const bool year_ok = CoversYear(set, year);
  if (!year_ok) violations.Add(p + "year", YearProblem(set, year));

  // ---- Condition answers: exactly one for each answered condition. A set
  // has a few dozen conditions, events and items at most, so they are found
  // by a scan of the set (cheaper than building maps on every call), and a
  // field's name is spelled out only for a violation.
  const auto field = [&p](absl::string_view list, int i) {
    return absl::StrCat(p, list, "[", i, "]");
  };
  // A list longer than any assessment can need is refused whole, without a
  // violation for each of its items.
  bool too_long = false;
  for (const auto& [list, size] :
       {std::pair<absl::string_view, int>{"conditions", conditions.size()},
        {"events", events.size()},
        {"points", points.size()}}) {
    if (size > kMaxAssessmentList) {
      too_long = true;
      violations.Add(
          absl::StrCat(p, list),
          absl::StrCat("has ", size, " items; at most ", kMaxAssessmentList));
    }
  }
  if (too_long) return violations.ToStatus();
  std::vector<int> answer_of(set.conditions_size(), -1);  // → answer index
  std::vector<std::string> notes(conditions.size());
  for (int i = 0; i < conditions.size(); ++i) {
    const v1::ConditionAnswer& a = conditions[i];
    notes[i] = a.note();
    if (!notes[i].empty()) {
      CheckText(&notes[i], field("conditions", i) + ".note", 0, kMaxNoteChars,
                &violations);
    }
    if (a.condition_id().empty()) {
      violations.Add(field("conditions", i) + ".condition_id", "is required");
      continue;
    }
    const int c = IndexById(set.conditions(), a.condition_id());
    if (c < 0) {
      violations.Add(
          field("conditions", i) + ".condition_id",
          absl::StrCat("unknown condition \"", a.condition_id(), "\" in ",
                       set.id(), " (conditions: ", Ids(set.conditions()), ")"));
      continue;
    }
    if (set.conditions(c).decided_by_events()) {
      violations.Add(
          field("conditions", i) + ".condition_id",
          absl::StrCat("condition ", a.condition_id(),
                       " is decided by the year's events and takes no "
                       "answer; report its events in events instead"));
      continue;
    }
    if (answer_of[c] >= 0) {
      violations.Add(field("conditions", i) + ".condition_id",
                     absl::StrCat("condition ", a.condition_id(),
                                  " is already answered by ", p, "conditions[",
                                  answer_of[c], "]"));
      continue;
    }
    answer_of[c] = i;
  }
  for (int c = 0; c < set.conditions_size(); ++c) {
    if (set.conditions(c).decided_by_events() || answer_of[c] >= 0) continue;
    violations.Add(p + "conditions",
                   absl::StrCat("missing an answer for condition ",
                                set.conditions(c).id()));
  }

  // ---- Events: known types, dates inside the year's window.
  std::vector<int> type_of(events.size(), -1);  // → disqualifying event
  std::vector<std::string> descriptions(events.size());
  for (int i = 0; i < events.size(); ++i) {
    const v1::Event& e = events[i];
    descriptions[i] = e.description();
    if (!descriptions[i].empty()) {
      CheckText(&descriptions[i], field("events", i) + ".description", 0,
                kMaxNoteChars, &violations);
    }
    if (e.type().empty()) {
      violations.Add(field("events", i) + ".type", "is required");
    } else {
      type_of[i] = IndexById(set.disqualifying_events(), e.type());
      if (type_of[i] < 0) {
        violations.Add(
            field("events", i) + ".type",
            absl::StrCat("unknown event type \"", e.type(), "\" in ", set.id(),
                         " (types: ", Ids(set.disqualifying_events()), ")"));
      }
    }
    if (e.has_date() && !IsEmptyDate(e.date())) {
      if (absl::Status s = CheckDate(e.date()); !s.ok()) {
        violations.Add(field("events", i) + ".date", std::string(s.message()));
      } else if (year_ok && !settings.InWindow(e.date(), year)) {
        violations.Add(
            field("events", i) + ".date",
            absl::StrCat(FormatDate(e.date()), " is outside the ", year,
                         " assessment year (",
                         FormatDate(settings.WindowStartDate(year)), " to ",
                         FormatDate(settings.WindowEndDate(year)), ")"));
      }
    }
  }

  // ---- Points: known items, once each, within 0..max.
  std::vector<int> points_of(set.points_items_size(), -1);  // → points index
  int total = 0;
  for (int i = 0; i < points.size(); ++i) {
    const v1::ItemPoints& ip = points[i];
    if (ip.item_id().empty()) {
      violations.Add(field("points", i) + ".item_id", "is required");
      continue;
    }
    const int item = IndexById(set.points_items(), ip.item_id());
    if (item < 0) {
      violations.Add(field("points", i) + ".item_id",
                     absl::StrCat("unknown points item \"", ip.item_id(),
                                  "\" in ", set.id()));
      continue;
    }
    if (points_of[item] >= 0) {
      violations.Add(
          field("points", i) + ".item_id",
          absl::StrCat("item ", ip.item_id(), " is already scored by ", p,
                       "points[", points_of[item], "]"));
      continue;
    }
    points_of[item] = i;
    const int max = set.points_items(item).max_points();
    if (ip.points() < 0 || ip.points() > max) {
      violations.Add(field("points", i) + ".points",
                     absl::StrCat("must be 0 to ", max, " for item ",
                                  ip.item_id(), ", got ", ip.points()));
      continue;
    }
    total += ip.points();
  }

  if (!violations.empty()) return violations.ToStatus();

  // ---- The result.
  v1::ScoreResult result;
  result.set_criteria_set_id(set.id());
  bool safe = events.empty();
  const auto occurred = [&events](absl::string_view type) {
    for (const v1::Event& e : events) {
      if (e.type() == type) return true;
    }
    return false;
  };

  for (int ci = 0; ci < set.conditions_size(); ++ci) {
    const v1::Condition& c = set.conditions(ci);
    if (c.decided_by_events()) {
      std::vector<std::string> labels;
      for (const std::string& id :
           catalog.EventsOfCondition(set.id(), c.id())) {
        if (occurred(id)) {
          labels.push_back(set.disqualifying_events(
                                  IndexById(set.disqualifying_events(), id))
                               .label());
        }
      }
      if (labels.empty()) continue;
      v1::Failure* f = result.add_failures();
      f->set_id(c.id());
      f->set_text(c.text());
      f->set_reason(absl::StrCat(kOccurred, ": ", absl::StrJoin(labels, "; ")));
      continue;
    }
    const int i = answer_of[ci];
    if (conditions[i].met()) continue;
    safe = false;
    v1::Failure* f = result.add_failures();
    f->set_id(c.id());
    f->set_text(c.text());
    f->set_reason(notes[i].empty() ? std::string(kNotMetReason) : notes[i]);
  }
  for (int i = 0; i < events.size(); ++i) {
    const v1::Event& e = events[i];
    const v1::DisqualifyingEvent& type = set.disqualifying_events(type_of[i]);
    v1::Failure* f = result.add_failures();
    f->set_id(type.id());
    f->set_text(absl::StrCat(type.label(), ": ", type.text()));
    const bool dated = e.has_date() && !IsEmptyDate(e.date());
    if (dated && !descriptions[i].empty()) {
      f->set_reason(absl::StrCat(FormatDate(e.date()), ": ", descriptions[i]));
    } else if (dated) {
      f->set_reason(FormatDate(e.date()));
    } else if (!descriptions[i].empty()) {
      f->set_reason(descriptions[i]);
    } else {
      f->set_reason(std::string(kOccurred));
    }
  }

  result.set_meets_standard(safe);
  result.set_total_points(total);
  result.set_classification(Classify(set.thresholds(), total, safe));
  result.set_provisional(set.provisional());
  *result.mutable_provisional_notes() = set.provisional_notes();
  return result;
}

absl::StatusOr<const v1::CriteriaSet*> ChooseSet(
    const CriteriaCatalog& catalog, registry::v1::UnitKind kind, int year,
    absl::string_view criteria_set_id, absl::string_view field_prefix) {
  if (kind == registry::v1::UNIT_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "the unit kind must be known to choose a criteria set");
  }
  const std::string p(field_prefix);
  const std::string kind_name = registry::v1::UnitKind_Name(kind);
  if (criteria_set_id.empty()) {
    absl::StatusOr<const v1::CriteriaSet*> set =
        catalog.ForKindAndYear(kind, year);
    if (set.ok()) return set;
    return InvalidField(p + "year", absl::StrCat("no criteria set applies to ",
                                                 kind_name, " in ", year));
  }
  const v1::CriteriaSet* set = catalog.Find(criteria_set_id);
  if (set == nullptr) {
    return InvalidField(
        p + "criteria_set_id",
        absl::StrCat("unknown criteria set \"", criteria_set_id, "\""));
  }
  FieldViolations violations;
  if (!HasKind(*set, kind)) {
    violations.Add(p + "criteria_set_id",
                   absl::StrCat(set->id(), " does not apply to ", kind_name));
  }
  if (!CoversYear(*set, year)) {
    violations.Add(p + "year", YearProblem(*set, year));
  }
  if (!violations.empty()) return violations.ToStatus();
  return set;
}

}  // namespace antt::scoring
