#ifndef ANTT_SERVICES_SCORING_CRITERIA_CATALOG_H_
#define ANTT_SERVICES_SCORING_CRITERIA_CATALOG_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"
#include "antt/scoring/v1/scoring.pb.h"

namespace antt::scoring {

// Inside antt::scoring, v1 is antt::scoring::v1 and registry::v1 is
// antt::registry::v1 (the generated packages).

// The criteria sets (rules as data, SPEC section 2), one JSON file per set,
// loaded once at start-up and immutable afterwards, so every method is
// thread-safe. Pointers it returns live as long as the catalog.
//
// A file mirrors v1::CriteriaSet (kinds by enum name, e.g.
// "UNIT_KIND_AGENCY"; last_year 0 = still in force) with two additions:
// a condition with "decided_by_events": true lists the ids of the events that
// decide it in "events": [...], and a top-level "notes": [...] explains what
// is provisional. The catalog fills in source_file, provisional (true when any
// condition, event, points item or the thresholds are provisional) and
// provisional_notes (which parts are provisional, then the file's notes).
class CriteriaCatalog final {
 public:
  // Loads every "*.json" file in `dir` (not recursing), in file-name order.
  // Fails when the directory cannot be read or holds no set, and on the first
  // bad file with a message naming the file and the problem, e.g.
  // "data/criteria/x.json: points sum to 98, not 100". Checks: ids unique
  // across files; condition, event and points item ids unique within a set;
  // texts non-empty; every max_points > 0 and the sum exactly 100; thresholds
  // 0 < average < good < excellent <= 100; first_year <= last_year (or
  // last_year 0); kinds non-empty, known and not repeated; no two sets cover
  // the same kind in the same year; a decided_by_events condition lists its
  // events, any other condition lists none, and every event belongs to
  // exactly one condition; unknown keys are rejected.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CriteriaCatalog>> LoadDir(
      const std::string& dir);

  // nullptr when no set has `id`.
  [[nodiscard]] const v1::CriteriaSet* Find(absl::string_view id) const;

  // The one set that applies to `kind` in assessment year `year`.
  // NotFound when none does; InvalidArgument when `kind` is UNSPECIFIED.
  [[nodiscard]] absl::StatusOr<const v1::CriteriaSet*> ForKindAndYear(
      registry::v1::UnitKind kind, int year) const;

  // Sets in id order that apply to `kind` (UNSPECIFIED: any) and cover `year`
  // (0: any).
  [[nodiscard]] std::vector<const v1::CriteriaSet*> List(
      registry::v1::UnitKind kind, int year) const;

  // The ids of the events that decide condition `condition_id` of set
  // `set_id`, in file order; empty when the set or condition is unknown or the
  // condition is answered rather than decided by events.
  [[nodiscard]] const std::vector<std::string>& EventsOfCondition(
      absl::string_view set_id, absl::string_view condition_id) const;

  // The id of the condition that event `event_id` of set `set_id` decides;
  // empty when unknown.
  [[nodiscard]] std::string ConditionOfEvent(absl::string_view set_id,
                                             absl::string_view event_id) const;

  [[nodiscard]] size_t size() const { return sets_.size(); }

 private:
  struct Entry {
    v1::CriteriaSet set;
    // condition id → its event ids, for decided_by_events conditions only.
    std::map<std::string, std::vector<std::string>, std::less<>>
        events_of_condition;
  };

  CriteriaCatalog() = default;

  // set id → entry; std::map keeps List() in id order and never moves an
  // entry, so the pointers handed out stay valid.
  std::map<std::string, Entry, std::less<>> sets_;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_CRITERIA_CATALOG_H_
