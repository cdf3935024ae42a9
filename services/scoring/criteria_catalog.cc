#include "services/scoring/criteria_catalog.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/field_violations.h"
#include "nlohmann/json.hpp"

namespace antt::scoring {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxIdChars = 64;
constexpr size_t kMaxLabelChars = 200;
constexpr size_t kMaxTextChars = 4000;
constexpr int64_t kMinYear = 1900;
constexpr int64_t kMaxYear = 2200;

absl::Status Bad(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// "conditions[2]." + "text".
std::string Path(absl::string_view where, absl::string_view key) {
  return absl::StrCat(where, key);
}

absl::Status CheckKeys(const json& object, absl::string_view where,
                       std::initializer_list<absl::string_view> allowed) {
  for (const auto& [key, unused] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where.empty() ? "" : where.substr(0, where.size() - 1),
                       where.empty() ? "" : ": ", "unknown key \"", key, "\""));
    }
  }
  return absl::OkStatus();
}

// A required (min_chars 1) or optional (0) string, NFC-normalised and trimmed.
absl::Status ReadText(const json& object, absl::string_view where,
                      absl::string_view key, size_t min_chars, size_t max_chars,
                      std::string* out) {
  const std::string field = Path(where, key);
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) {
    if (min_chars > 0) return Bad(field, "is required");
    out->clear();
    return absl::OkStatus();
  }
  if (!it->is_string()) return Bad(field, "must be a string");
  std::string value = it->get<std::string>();
  FieldViolations violations;
  CheckText(&value, field, min_chars, max_chars, &violations);
  if (!violations.empty()) {
    return absl::InvalidArgumentError(violations.ToStatus().message());
  }
  if (min_chars > 0 && value.empty()) return Bad(field, "must not be empty");
  *out = std::move(value);
  return absl::OkStatus();
}

absl::Status ReadBool(const json& object, absl::string_view where,
                      absl::string_view key, bool* out) {
  auto it = object.find(std::string(key));
  if (it == object.end()) {
    *out = false;
    return absl::OkStatus();
  }
  if (!it->is_boolean()) return Bad(Path(where, key), "must be true or false");
  *out = it->get<bool>();
  return absl::OkStatus();
}

absl::Status ReadInt(const json& object, absl::string_view where,
                     absl::string_view key, bool required, int64_t* out) {
  auto it = object.find(std::string(key));
  if (it == object.end()) {
    if (required) return Bad(Path(where, key), "is required");
    *out = 0;
    return absl::OkStatus();
  }
  if (!it->is_number_integer()) {
    return Bad(Path(where, key), "must be an integer");
  }
  *out = it->get<int64_t>();
  return absl::OkStatus();
}

absl::StatusOr<const json*> ReadList(const json& object, absl::string_view key,
                                     bool non_empty) {
  auto it = object.find(std::string(key));
  if (it == object.end() || !it->is_array()) {
    return Bad(key, "must be a list");
  }
  if (non_empty && it->empty()) return Bad(key, "must not be empty");
  return &*it;
}

#define ANTT_RETURN_IF_ERROR_(expr)           \
  do {                                        \
    if (absl::Status s_ = (expr); !s_.ok()) { \
      return s_;                              \
    }                                         \
  } while (false)

absl::Status ParseKinds(const json& root, v1::CriteriaSet* set) {
  absl::StatusOr<const json*> kinds = ReadList(root, "kinds", true);
  if (!kinds.ok()) return kinds.status();
  for (size_t i = 0; i < (*kinds)->size(); ++i) {
    const json& node = (**kinds)[i];
    const std::string field = absl::StrCat("kinds[", i, "]");
    if (!node.is_string()) return Bad(field, "must be a string");
    registry::v1::UnitKind kind;
    if (!registry::v1::UnitKind_Parse(node.get<std::string>(), &kind) ||
        kind == registry::v1::UNIT_KIND_UNSPECIFIED) {
      return Bad(field, absl::StrCat("unknown kind \"", node.get<std::string>(),
                                     "\" (use UNIT_KIND_AGENCY, "
                                     "UNIT_KIND_ENTERPRISE or "
                                     "UNIT_KIND_EDUCATION)"));
    }
    if (std::find(set->kinds().begin(), set->kinds().end(), kind) !=
        set->kinds().end()) {
      return Bad(field, absl::StrCat(registry::v1::UnitKind_Name(kind),
                                     " appears twice"));
    }
    set->add_kinds(kind);
  }
  return absl::OkStatus();
}

absl::Status ParseYears(const json& root, v1::CriteriaSet* set) {
  int64_t first = 0;
  int64_t last = 0;
  ANTT_RETURN_IF_ERROR_(ReadInt(root, "", "first_year", true, &first));
  ANTT_RETURN_IF_ERROR_(ReadInt(root, "", "last_year", false, &last));
  if (first < kMinYear || first > kMaxYear) {
    return Bad("first_year", absl::StrCat(first, " is not between ", kMinYear,
                                          " and ", kMaxYear));
  }
  if (last != 0 && (last < first || last > kMaxYear)) {
    return Bad("last_year",
               absl::StrCat(last, " is before first_year ", first, " or after ",
                            kMaxYear, " (0: still in force)"));
  }
  set->set_first_year(static_cast<int32_t>(first));
  set->set_last_year(static_cast<int32_t>(last));
  return absl::OkStatus();
}

// Conditions, with their "events" lists into `events_of_condition`.
absl::Status ParseConditions(const json& root, v1::CriteriaSet* set,
                             std::map<std::string, std::vector<std::string>,
                                      std::less<>>* events_of_condition) {
  absl::StatusOr<const json*> list = ReadList(root, "conditions", true);
  if (!list.ok()) return list.status();
  std::set<std::string> ids;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    const json& node = (**list)[i];
    const std::string where = absl::StrCat("conditions[", i, "].");
    if (!node.is_object()) {
      return Bad(absl::StrCat("conditions[", i, "]"), "must be an object");
    }
    ANTT_RETURN_IF_ERROR_(CheckKeys(
        node, where,
        {"id", "text", "decided_by_events", "events", "provisional", "note"}));
    v1::Condition* c = set->add_conditions();
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "id", 1, kMaxIdChars, c->mutable_id()));
    if (!ids.insert(c->id()).second) {
      return Bad(Path(where, "id"),
                 absl::StrCat("condition id \"", c->id(), "\" appears twice"));
    }
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "text", 1, kMaxTextChars, c->mutable_text()));
    bool flag = false;
    ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "decided_by_events", &flag));
    c->set_decided_by_events(flag);
    ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "provisional", &flag));
    c->set_provisional(flag);
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "note", 0, kMaxTextChars, c->mutable_note()));

    auto events = node.find("events");
    if (!c->decided_by_events()) {
      if (events != node.end()) {
        return Bad(Path(where, "events"),
                   "only a decided_by_events condition lists events");
      }
      continue;
    }
    if (events == node.end() || !events->is_array() || events->empty()) {
      return Bad(Path(where, "events"),
                 absl::StrCat("condition ", c->id(),
                              " is decided_by_events but lists no events"));
    }
    std::vector<std::string>& ids_out = (*events_of_condition)[c->id()];
    for (size_t j = 0; j < events->size(); ++j) {
      const json& e = (*events)[j];
      if (!e.is_string() || e.get<std::string>().empty()) {
        return Bad(absl::StrCat(where, "events[", j, "]"),
                   "must be a non-empty string");
      }
      ids_out.push_back(e.get<std::string>());
    }
  }
  return absl::OkStatus();
}

absl::Status ParseEvents(const json& root, v1::CriteriaSet* set) {
  if (!root.contains("disqualifying_events")) return absl::OkStatus();
  absl::StatusOr<const json*> list =
      ReadList(root, "disqualifying_events", false);
  if (!list.ok()) return list.status();
  std::set<std::string> ids;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    const json& node = (**list)[i];
    const std::string where = absl::StrCat("disqualifying_events[", i, "].");
    if (!node.is_object()) {
      return Bad(absl::StrCat("disqualifying_events[", i, "]"),
                 "must be an object");
    }
    ANTT_RETURN_IF_ERROR_(
        CheckKeys(node, where, {"id", "label", "text", "provisional", "note"}));
    v1::DisqualifyingEvent* e = set->add_disqualifying_events();
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "id", 1, kMaxIdChars, e->mutable_id()));
    if (!ids.insert(e->id()).second) {
      return Bad(Path(where, "id"),
                 absl::StrCat("event id \"", e->id(), "\" appears twice"));
    }
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "label", 1, kMaxLabelChars, e->mutable_label()));
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "text", 1, kMaxTextChars, e->mutable_text()));
    bool flag = false;
    ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "provisional", &flag));
    e->set_provisional(flag);
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "note", 0, kMaxTextChars, e->mutable_note()));
  }
  return absl::OkStatus();
}

// Every event is listed by exactly one decided_by_events condition, and every
// listed id is an event of the set.
absl::Status CheckEventOwnership(
    const v1::CriteriaSet& set,
    const std::map<std::string, std::vector<std::string>, std::less<>>&
        events_of_condition) {
  std::map<std::string, std::string> owner;  // event id → condition id
  for (const auto& e : set.disqualifying_events()) owner[e.id()] = "";
  for (int i = 0; i < set.conditions_size(); ++i) {
    const v1::Condition& c = set.conditions(i);
    auto listed = events_of_condition.find(c.id());
    if (listed == events_of_condition.end()) continue;
    for (size_t j = 0; j < listed->second.size(); ++j) {
      const std::string& id = listed->second[j];
      const std::string field =
          absl::StrCat("conditions[", i, "].events[", j, "]");
      auto it = owner.find(id);
      if (it == owner.end()) {
        return Bad(field, absl::StrCat("\"", id,
                                       "\" is not one of the set's "
                                       "disqualifying_events"));
      }
      if (!it->second.empty()) {
        return Bad(field,
                   absl::StrCat("event ", id, " already belongs to condition ",
                                it->second,
                                "; an event decides exactly one condition"));
      }
      it->second = c.id();
    }
  }
  for (const auto& e : set.disqualifying_events()) {
    if (owner[e.id()].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "event ", e.id(),
          " is not in the events of any decided_by_events condition"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParsePoints(const json& root, v1::CriteriaSet* set) {
  absl::StatusOr<const json*> list = ReadList(root, "points_items", true);
  if (!list.ok()) return list.status();
  std::set<std::string> ids;
  int64_t sum = 0;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    const json& node = (**list)[i];
    const std::string where = absl::StrCat("points_items[", i, "].");
    if (!node.is_object()) {
      return Bad(absl::StrCat("points_items[", i, "]"), "must be an object");
    }
    ANTT_RETURN_IF_ERROR_(CheckKeys(
        node, where, {"id", "text", "max_points", "provisional", "note"}));
    v1::PointsItem* item = set->add_points_items();
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "id", 1, kMaxIdChars, item->mutable_id()));
    if (!ids.insert(item->id()).second) {
      return Bad(
          Path(where, "id"),
          absl::StrCat("points item id \"", item->id(), "\" appears twice"));
    }
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "text", 1, kMaxTextChars, item->mutable_text()));
    int64_t max_points = 0;
    ANTT_RETURN_IF_ERROR_(
        ReadInt(node, where, "max_points", true, &max_points));
    if (max_points <= 0 || max_points > 100) {
      return Bad(Path(where, "max_points"),
                 absl::StrCat("must be 1 to 100, got ", max_points));
    }
    item->set_max_points(static_cast<int32_t>(max_points));
    sum += max_points;
    bool flag = false;
    ANTT_RETURN_IF_ERROR_(ReadBool(node, where, "provisional", &flag));
    item->set_provisional(flag);
    ANTT_RETURN_IF_ERROR_(
        ReadText(node, where, "note", 0, kMaxTextChars, item->mutable_note()));
  }
  if (sum != 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("points sum to ", sum, ", not 100"));
  }
  return absl::OkStatus();
}

absl::Status ParseThresholds(const json& root, v1::CriteriaSet* set) {
  auto it = root.find("thresholds");
  if (it == root.end() || !it->is_object()) {
    return Bad("thresholds", "must be an object");
  }
  ANTT_RETURN_IF_ERROR_(CheckKeys(
      *it, "thresholds.", {"excellent", "good", "average", "provisional"}));
  int64_t excellent = 0;
  int64_t good = 0;
  int64_t average = 0;
  ANTT_RETURN_IF_ERROR_(
      ReadInt(*it, "thresholds.", "excellent", true, &excellent));
  ANTT_RETURN_IF_ERROR_(ReadInt(*it, "thresholds.", "good", true, &good));
  ANTT_RETURN_IF_ERROR_(ReadInt(*it, "thresholds.", "average", true, &average));
  if (!(0 < average && average < good && good < excellent &&
        excellent <= 100)) {
    return Bad(
        "thresholds",
        absl::StrCat("must be ordered 0 < average < good < excellent "
                     "<= 100, got average ",
                     average, ", good ", good, ", excellent ", excellent));
  }
  bool provisional = false;
  ANTT_RETURN_IF_ERROR_(
      ReadBool(*it, "thresholds.", "provisional", &provisional));
  v1::Thresholds* t = set->mutable_thresholds();
  t->set_excellent(static_cast<int32_t>(excellent));
  t->set_good(static_cast<int32_t>(good));
  t->set_average(static_cast<int32_t>(average));
  t->set_provisional(provisional);
  return absl::OkStatus();
}

// provisional and provisional_notes: which parts are provisional (generated,
// so they cannot drift from the data), then the file's own notes.
absl::Status SummariseProvisional(const json& root, v1::CriteriaSet* set) {
  bool provisional = false;
  ANTT_RETURN_IF_ERROR_(ReadBool(root, "", "provisional", &provisional));

  std::vector<std::string> conditions;
  for (const auto& c : set->conditions()) {
    if (c.provisional()) conditions.push_back(c.id());
  }
  std::vector<std::string> events;
  for (const auto& e : set->disqualifying_events()) {
    if (e.provisional()) events.push_back(e.id());
  }
  std::vector<std::string> items;
  int provisional_points = 0;
  for (const auto& p : set->points_items()) {
    if (p.provisional()) {
      items.push_back(p.id());
      provisional_points += p.max_points();
    }
  }
  if (!conditions.empty()) {
    set->add_provisional_notes(
        absl::StrCat("conditions ", absl::StrJoin(conditions, ", "),
                     " are provisional: wording incomplete or not verified "
                     "(see each condition's note)"));
  }
  if (!events.empty()) {
    set->add_provisional_notes(
        absl::StrCat("disqualifying events ", absl::StrJoin(events, ", "),
                     " are provisional (see each event's note)"));
  }
  if (!items.empty()) {
    set->add_provisional_notes(absl::StrCat(
        "points items ", absl::StrJoin(items, ", "), " (", provisional_points,
        " of 100 points) are provisional placeholders the province must "
        "replace"));
  }
  if (set->thresholds().provisional()) {
    set->add_provisional_notes(absl::StrCat(
        "thresholds are provisional (excellent ", set->thresholds().excellent(),
        ", good ", set->thresholds().good(), ", average ",
        set->thresholds().average(), ")"));
  }
  provisional = provisional || set->provisional_notes_size() > 0;

  if (auto it = root.find("notes"); it != root.end()) {
    if (!it->is_array()) return Bad("notes", "must be a list of strings");
    for (size_t i = 0; i < it->size(); ++i) {
      const std::string field = absl::StrCat("notes[", i, "]");
      if (!(*it)[i].is_string()) return Bad(field, "must be a string");
      std::string note = (*it)[i].get<std::string>();
      FieldViolations violations;
      CheckText(&note, field, 1, kMaxTextChars, &violations);
      if (!violations.empty()) {
        return absl::InvalidArgumentError(violations.ToStatus().message());
      }
      set->add_provisional_notes(std::move(note));
    }
  }
  set->set_provisional(provisional);
  return absl::OkStatus();
}

absl::Status ParseSet(const json& root, v1::CriteriaSet* set,
                      std::map<std::string, std::vector<std::string>,
                               std::less<>>* events_of_condition) {
  if (!root.is_object()) {
    return absl::InvalidArgumentError("the top level is not an object");
  }
  ANTT_RETURN_IF_ERROR_(
      CheckKeys(root, "",
                {"id", "title", "legal_basis", "kinds", "first_year",
                 "last_year", "conditions", "disqualifying_events",
                 "points_items", "thresholds", "provisional", "notes"}));
  ANTT_RETURN_IF_ERROR_(
      ReadText(root, "", "id", 1, kMaxIdChars, set->mutable_id()));
  ANTT_RETURN_IF_ERROR_(
      ReadText(root, "", "title", 1, kMaxLabelChars, set->mutable_title()));
  ANTT_RETURN_IF_ERROR_(ReadText(root, "", "legal_basis", 1, kMaxTextChars,
                                 set->mutable_legal_basis()));
  ANTT_RETURN_IF_ERROR_(ParseKinds(root, set));
  ANTT_RETURN_IF_ERROR_(ParseYears(root, set));
  ANTT_RETURN_IF_ERROR_(ParseConditions(root, set, events_of_condition));
  ANTT_RETURN_IF_ERROR_(ParseEvents(root, set));
  ANTT_RETURN_IF_ERROR_(CheckEventOwnership(*set, *events_of_condition));
  ANTT_RETURN_IF_ERROR_(ParsePoints(root, set));
  ANTT_RETURN_IF_ERROR_(ParseThresholds(root, set));
  return SummariseProvisional(root, set);
}

bool CoversYear(const v1::CriteriaSet& set, int year) {
  return year >= set.first_year() &&
         (set.last_year() == 0 || year <= set.last_year());
}

bool HasKind(const v1::CriteriaSet& set, registry::v1::UnitKind kind) {
  return std::find(set.kinds().begin(), set.kinds().end(), kind) !=
         set.kinds().end();
}

std::string YearRange(const v1::CriteriaSet& set) {
  return set.last_year() == 0
             ? absl::StrCat(set.first_year(), " on")
             : absl::StrCat(set.first_year(), "-", set.last_year());
}

bool Overlap(const v1::CriteriaSet& a, const v1::CriteriaSet& b) {
  const int64_t a_last = a.last_year() == 0 ? INT64_MAX : a.last_year();
  const int64_t b_last = b.last_year() == 0 ? INT64_MAX : b.last_year();
  return a.first_year() <= b_last && b.first_year() <= a_last;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CriteriaCatalog>> CriteriaCatalog::LoadDir(
    const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) {
      names.push_back(it->path().filename().string());
    }
  }
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": cannot read the directory: ", ec.message()));
  }
  if (names.empty()) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": no criteria set files (*.json)"));
  }
  std::sort(names.begin(), names.end());

  std::unique_ptr<CriteriaCatalog> catalog(new CriteriaCatalog());
  std::vector<const v1::CriteriaSet*> loaded;  // in load order
  for (const std::string& name : names) {
    const std::string path = absl::StrCat(dir, "/", name);
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    const json root = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not valid JSON"));
    }
    Entry entry;
    if (absl::Status s = ParseSet(root, &entry.set, &entry.events_of_condition);
        !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message()));
    }
    entry.set.set_source_file(path);
    const v1::CriteriaSet& set = entry.set;
    if (const v1::CriteriaSet* other = catalog->Find(set.id())) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": id ", set.id(),
                                                     " is already defined in ",
                                                     other->source_file()));
    }
    for (const v1::CriteriaSet* other : loaded) {
      if (!Overlap(set, *other)) continue;
      for (int kind : set.kinds()) {
        if (!HasKind(*other, static_cast<registry::v1::UnitKind>(kind))) {
          continue;
        }
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": years ", YearRange(set), " for ",
                         registry::v1::UnitKind_Name(kind), " overlap ",
                         other->id(), " (years ", YearRange(*other), ", ",
                         other->source_file(), "); one set per kind and year"));
      }
    }
    const std::string id = set.id();
    auto [it, inserted] = catalog->sets_.emplace(id, std::move(entry));
    loaded.push_back(&it->second.set);
  }
  return catalog;
}

const v1::CriteriaSet* CriteriaCatalog::Find(absl::string_view id) const {
  auto it = sets_.find(id);
  return it == sets_.end() ? nullptr : &it->second.set;
}

absl::StatusOr<const v1::CriteriaSet*> CriteriaCatalog::ForKindAndYear(
    registry::v1::UnitKind kind, int year) const {
  if (kind == registry::v1::UNIT_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError("a unit kind is required");
  }
  for (const auto& [id, entry] : sets_) {
    if (HasKind(entry.set, kind) && CoversYear(entry.set, year)) {
      return &entry.set;
    }
  }
  return absl::NotFoundError(absl::StrCat(
      "no criteria set for ", registry::v1::UnitKind_Name(kind), " in ", year));
}

std::vector<const v1::CriteriaSet*> CriteriaCatalog::List(
    registry::v1::UnitKind kind, int year) const {
  std::vector<const v1::CriteriaSet*> out;
  for (const auto& [id, entry] : sets_) {
    if (kind != registry::v1::UNIT_KIND_UNSPECIFIED &&
        !HasKind(entry.set, kind)) {
      continue;
    }
    if (year != 0 && !CoversYear(entry.set, year)) continue;
    out.push_back(&entry.set);
  }
  return out;
}

const std::vector<std::string>& CriteriaCatalog::EventsOfCondition(
    absl::string_view set_id, absl::string_view condition_id) const {
  static const std::vector<std::string>* const kNone =
      new std::vector<std::string>();
  auto set = sets_.find(set_id);
  if (set == sets_.end()) return *kNone;
  auto it = set->second.events_of_condition.find(condition_id);
  if (it == set->second.events_of_condition.end()) return *kNone;
  return it->second;
}

std::string CriteriaCatalog::ConditionOfEvent(
    absl::string_view set_id, absl::string_view event_id) const {
  auto set = sets_.find(set_id);
  if (set == sets_.end()) return "";
  for (const auto& [condition, events] : set->second.events_of_condition) {
    if (std::find(events.begin(), events.end(), event_id) != events.end()) {
      return condition;
    }
  }
  return "";
}

}  // namespace antt::scoring
