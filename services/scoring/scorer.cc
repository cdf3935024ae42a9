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

  // ---- Condition answers: exactly one for each answered condition.
  std::map<std::string, const v1::Condition*> condition_by_id;
  for (const v1::Condition& c : set.conditions()) condition_by_id[c.id()] = &c;
  std::map<std::string, int> answer_index;  // condition id → answer index
  std::vector<std::string> notes(conditions.size());
  for (int i = 0; i < conditions.size(); ++i) {
    const v1::ConditionAnswer& a = conditions[i];
    const std::string field = absl::StrCat(p, "conditions[", i, "]");
    notes[i] = a.note();
    CheckText(&notes[i], field + ".note", 0, kMaxNoteChars, &violations);
    if (a.condition_id().empty()) {
      violations.Add(field + ".condition_id", "is required");
      continue;
    }
    auto c = condition_by_id.find(a.condition_id());
    if (c == condition_by_id.end()) {
      violations.Add(
          field + ".condition_id",
          absl::StrCat("unknown condition \"", a.condition_id(), "\" in ",
                       set.id(), " (conditions: ", Ids(set.conditions()), ")"));
      continue;
    }
    if (c->second->decided_by_events()) {
      violations.Add(
          field + ".condition_id",
          absl::StrCat("condition ", a.condition_id(),
                       " is decided by the year's events and takes no "
                       "answer; report its events in events instead"));
      continue;
    }
    auto [it, first] = answer_index.emplace(a.condition_id(), i);
    if (!first) {
      violations.Add(field + ".condition_id",
                     absl::StrCat("condition ", a.condition_id(),
                                  " is already answered by ", p, "conditions[",
                                  it->second, "]"));
    }
  }
  for (const v1::Condition& c : set.conditions()) {
    if (c.decided_by_events() || answer_index.count(c.id()) > 0) continue;
    violations.Add(p + "conditions",
                   absl::StrCat("missing an answer for condition ", c.id()));
  }

  // ---- Events: known types, dates inside the year's window.
  std::map<std::string, const v1::DisqualifyingEvent*> event_by_id;
  for (const v1::DisqualifyingEvent& e : set.disqualifying_events()) {
    event_by_id[e.id()] = &e;
  }
  std::vector<std::string> descriptions(events.size());
  for (int i = 0; i < events.size(); ++i) {
    const v1::Event& e = events[i];
    const std::string field = absl::StrCat(p, "events[", i, "]");
    descriptions[i] = e.description();
    CheckText(&descriptions[i], field + ".description", 0, kMaxNoteChars,
              &violations);
    if (e.type().empty()) {
      violations.Add(field + ".type", "is required");
    } else if (event_by_id.count(e.type()) == 0) {
      violations.Add(
          field + ".type",
          absl::StrCat("unknown event type \"", e.type(), "\" in ", set.id(),
                       " (types: ", Ids(set.disqualifying_events()), ")"));
    }
    if (e.has_date() && !IsEmptyDate(e.date())) {
      if (absl::Status s = CheckDate(e.date()); !s.ok()) {
        violations.Add(field + ".date", std::string(s.message()));
      } else if (year_ok && !settings.InWindow(e.date(), year)) {
        violations.Add(
            field + ".date",
            absl::StrCat(FormatDate(e.date()), " is outside the ", year,
                         " assessment year (",
                         FormatDate(settings.WindowStartDate(year)), " to ",
                         FormatDate(settings.WindowEndDate(year)), ")"));
      }
    }
  }

  // ---- Points: known items, once each, within 0..max.
  std::map<std::string, const v1::PointsItem*> item_by_id;
  for (const v1::PointsItem& item : set.points_items()) {
    item_by_id[item.id()] = &item;
  }
  std::map<std::string, int> points_index;
  int total = 0;
  for (int i = 0; i < points.size(); ++i) {
    const v1::ItemPoints& ip = points[i];
    const std::string field = absl::StrCat(p, "points[", i, "]");
    if (ip.item_id().empty()) {
      violations.Add(field + ".item_id", "is required");
      continue;
    }
    auto item = item_by_id.find(ip.item_id());
    if (item == item_by_id.end()) {
      violations.Add(field + ".item_id",
                     absl::StrCat("unknown points item \"", ip.item_id(),
                                  "\" in ", set.id()));
      continue;
    }
    auto [it, first] = points_index.emplace(ip.item_id(), i);
    if (!first) {
      violations.Add(
          field + ".item_id",
          absl::StrCat("item ", ip.item_id(), " is already scored by ", p,
                       "points[", it->second, "]"));
      continue;
    }
    const int max = item->second->max_points();
    if (ip.points() < 0 || ip.points() > max) {
      violations.Add(field + ".points",
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
  std::set<std::string> occurred;
  for (const v1::Event& e : events) occurred.insert(e.type());

  for (const v1::Condition& c : set.conditions()) {
    if (c.decided_by_events()) {
      std::vector<std::string> labels;
      for (const std::string& id :
           catalog.EventsOfCondition(set.id(), c.id())) {
        if (occurred.count(id) > 0)
          labels.push_back(event_by_id.at(id)->label());
      }
      if (labels.empty()) continue;
      v1::Failure* f = result.add_failures();
      f->set_id(c.id());
      f->set_text(c.text());
      f->set_reason(absl::StrCat(kOccurred, ": ", absl::StrJoin(labels, "; ")));
      continue;
    }
    const int i = answer_index.at(c.id());
    if (conditions[i].met()) continue;
    safe = false;
    v1::Failure* f = result.add_failures();
    f->set_id(c.id());
    f->set_text(c.text());
    f->set_reason(notes[i].empty() ? std::string(kNotMetReason) : notes[i]);
  }
  for (int i = 0; i < events.size(); ++i) {
    const v1::Event& e = events[i];
    const v1::DisqualifyingEvent& type = *event_by_id.at(e.type());
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
