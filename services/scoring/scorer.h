#ifndef ANTT_SERVICES_SCORING_SCORER_H_
#define ANTT_SERVICES_SCORING_SCORER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"
#include "antt/scoring/v1/scoring.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/scoring/criteria_catalog.h"
#include "services/scoring/settings.h"

namespace antt::scoring {

// The Vietnamese reason of a failed condition answered without a note.
inline constexpr absl::string_view kNotMetReason = "không đạt";
// The most condition answers, events and points items one assessment (or
// Score request) carries: a set has a few dozen conditions and items, and a
// unit with this many disqualifying events in a year is long not recognised.
inline constexpr int kMaxAssessmentList = 100;

// Scores one unit's answers for assessment year `year` against `set`, which
// must be a set of `catalog` (its event-to-condition map lives there). Pure:
// no I/O, no clock.
//
// `field_prefix` is prepended to every field path: "" for a ScoreRequest
// ("conditions[2].condition_id"), "assessment." for a SubmitAssessmentRequest
// ("assessment.conditions[2].condition_id").
//
// InvalidArgument with a google.rpc.BadRequest listing every problem at once:
// - "year": outside the set's years;
// - "conditions": no answer for a condition that takes one (one violation per
//   missing condition id);
// - "conditions[i].condition_id": empty, unknown, decided by events (those
//   take no answer), or a second answer for the same condition;
// - "conditions[i].note", "events[i].description": not valid text;
// - "events[i].type": empty or not an event of the set;
// - "events[i].date": given but not a calendar date, or outside the assessment
//   year's window (settings: 16/11 of year - 1 .. 15/11 of year);
// - "points[i].item_id": empty, unknown or repeated;
// - "points[i].points": outside 0..max_points of the item.
// FailedPrecondition when `set` is not in `catalog`.
//
// Result: meets_standard (ANTT-safe) when every answered condition is met and
// no event occurred; total_points the sum (a missing item counts 0);
// classification EXCELLENT at >= thresholds.excellent and ANTT-safe, GOOD at
// >= good (so a unit that is not ANTT-safe is at best GOOD), AVERAGE at >=
// average, else WEAK. failures, in this order: each failed answered condition
// (reason: its note, or "không đạt"), each condition decided by events that
// occurred (reason: which), then each event (id: its type; text: "<label>:
// <text>"; reason: "<date>: <description>"). provisional and
// provisional_notes are the set's.
[[nodiscard]] absl::StatusOr<v1::ScoreResult> Score(
    const v1::CriteriaSet& set, const CriteriaCatalog& catalog,
    const ScoringSettings& settings, int year,
    const google::protobuf::RepeatedPtrField<v1::ConditionAnswer>& conditions,
    const google::protobuf::RepeatedPtrField<v1::Event>& events,
    const google::protobuf::RepeatedPtrField<v1::ItemPoints>& points,
    absl::string_view field_prefix);

// The set to score a unit of `kind` for `year` against.
// With `criteria_set_id` given: it must exist and apply to `kind`
// (InvalidArgument naming "<prefix>criteria_set_id") and cover `year`
// (InvalidArgument naming "<prefix>year"); both are reported together.
// Without it: the catalog's set for kind and year (none: InvalidArgument naming
// "<prefix>year"). InvalidArgument without a field when `kind` is UNSPECIFIED:
// the caller resolves and checks the kind first.
[[nodiscard]] absl::StatusOr<const v1::CriteriaSet*> ChooseSet(
    const CriteriaCatalog& catalog, registry::v1::UnitKind kind, int year,
    absl::string_view criteria_set_id, absl::string_view field_prefix);

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_SCORER_H_
