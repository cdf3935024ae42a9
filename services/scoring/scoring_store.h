#ifndef ANTT_SERVICES_SCORING_SCORING_STORE_H_
#define ANTT_SERVICES_SCORING_SCORING_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"
#include "antt/scoring/v1/scoring.pb.h"

namespace antt::scoring {

// Counts kept for one (area, kind, year). `in_scope_delta` is a difference:
// the number of in-scope units of a year is the sum of the deltas of every
// year up to it (a unit adds 1 in the year it starts to exist and -1 in the
// year after it is dissolved), so one registry change touches two years, not
// every year the unit lives.
struct Counts {
  int64_t in_scope_delta = 0;
  int64_t assessed = 0;
  int64_t recognized = 0;
  int64_t excellent = 0;
  int64_t good = 0;
  int64_t average = 0;
  int64_t weak = 0;

  Counts& operator+=(const Counts& other);
  Counts& operator-=(const Counts& other);
  [[nodiscard]] bool IsZero() const;
};

// One statistics cell as stored: per year, the counts and the running number
// of in-scope units.
struct YearCounts {
  int year = 0;
  int64_t in_scope = 0;  // already summed over the deltas up to `year`
  Counts counts;
};

struct AssessmentQuery {
  std::string unit_id;
  int year = 0;
  std::string edition;
  std::string area_code;
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  v1::Classification classification = v1::CLASSIFICATION_UNSPECIFIED;
  std::string after_id;
  int page_size = 100;
};

struct AssessmentPage {
  std::vector<v1::Assessment> assessments;
  bool more = false;
  int total_size = 0;
};

// Builds the assessment to write from the stored one for the same unit and
// year (nullptr: none yet). Returning an error writes nothing.
using SubmitFn = std::function<absl::Status(const v1::Assessment* existing,
                                            v1::Assessment* result)>;
using AssessmentMutator = std::function<absl::Status(v1::Assessment*)>;

// Durable storage of assessments, their indexes, the statistics counters and
// the mirror of the registry's units that feeds the in-scope counts.
//
// Contract for every method:
// - Thread-safe. Writes are serialized; everything one call changes
//   (records, indexes, counters, request ids, mirror position, and the audit
//   record of the RPC being served) is one atomic write, so counters always
//   equal what the records say and no change goes unaudited.
// - OK means written to the WAL (RecognizeAssessments: also synced to disk).
// - NotFound for an unknown id; the store assigns ids, etags and times.
class ScoringStore {
 public:
  virtual ~ScoringStore() = default;

  [[nodiscard]] virtual absl::StatusOr<v1::Assessment> GetAssessment(
      absl::string_view id) = 0;

  // The assessment first submitted with `request_id`, if any (a retry).
  [[nodiscard]] virtual absl::StatusOr<std::optional<v1::Assessment>>
  FindSubmission(absl::string_view request_id) = 0;

  // With a request id seen before: the first result, nothing written.
  // Otherwise calls `submit` with the stored assessment of the same unit and
  // year (or nullptr) and writes its result, keeping the stored id.
  [[nodiscard]] virtual absl::StatusOr<v1::Assessment> SubmitAssessment(
      const std::string& unit_id, int year, absl::string_view request_id,
      const SubmitFn& submit) = 0;

  // Read-modify-write of one assessment under the write lock.
  [[nodiscard]] virtual absl::StatusOr<v1::Assessment> UpdateAssessment(
      absl::string_view id, const AssessmentMutator& mutate) = 0;

  // All or nothing: `mutate` runs on each assessment in turn; NotFound for an
  // unknown id, or the first error of `mutate`, writes nothing. Synced.
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::Assessment>>
  UpdateAssessments(const std::vector<std::string>& ids,
                    const AssessmentMutator& mutate) = 0;

  [[nodiscard]] virtual absl::StatusOr<AssessmentPage> ListAssessments(
      const AssessmentQuery& query) = 0;

  // Every assessment of a unit, by year.
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::Assessment>>
  UnitAssessments(absl::string_view unit_id) = 0;

  // Counts of (edition, area_code, kind) for first_year..last_year, one entry
  // per year. area_code "" is the whole country (edition ignored). Reads only
  // the counter range of that cell: its cost does not grow with units or
  // assessments.
  [[nodiscard]] virtual absl::StatusOr<std::vector<YearCounts>> ReadCounts(
      absl::string_view edition, absl::string_view area_code,
      registry::v1::UnitKind kind, int first_year, int last_year) = 0;

  // Records the registry's current state of `unit`, seen at change-feed
  // `sequence`, and moves the in-scope counters by the difference from the
  // state recorded before.
  [[nodiscard]] virtual absl::Status ApplyRegistryUnit(
      const registry::v1::Unit& unit, uint64_t sequence) = 0;
  // Moves the change-feed position without a unit (e.g. a person changed).
  [[nodiscard]] virtual absl::Status AdvanceRegistrySequence(
      uint64_t sequence) = 0;
  [[nodiscard]] virtual uint64_t RegistrySequence() = 0;

  // Units the change feed named that could not be read (the follower skips
  // them and retries them later), kept with the mirror so that a restart
  // retries them too. Marking is idempotent.
  [[nodiscard]] virtual absl::Status MarkUnreadableUnit(
      absl::string_view unit_id, bool unreadable) = 0;
  [[nodiscard]] virtual absl::StatusOr<std::vector<std::string>>
  UnreadableUnits() = 0;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_SCORING_STORE_H_
