#ifndef ANTT_SERVICES_SCORING_ROCKSDB_SCORING_STORE_H_
#define ANTT_SERVICES_SCORING_ROCKSDB_SCORING_STORE_H_

// ScoringStore on RocksDB.
//
// Column families and key layout (integers big-endian, "\0" separates parts):
// clang-format off
//   default   next_assessment, registry_sequence       → uint64
//             unreadable_unit/<unit id>                → ""
//             mirror_years/<unit id>                   → "<from> <until>" counted
//   assessments  <assessment id>                       → v1::Assessment
//   requests  Submit\0<request id>                     → the first response
//   index     uy\0<unit id>\0<year u32>                → assessment id
//             ya\0<year u32>\0<assessment id>          → ""
//             ar\0<edition>\0<area>\0<year u32>\0<id>  → ""
//   counters  <edition>\0<area>\0<kind u8><year u32>   → Counts (7 × int64)
//   mirror    <unit id>                                → registry v1::Unit
//   audit     <uint64 sequence>                        → antt.audit.v1.AuditRecord
// clang-format on
// Counter cells exist for the whole country (edition "", area ""), and for
// every area of both editions a unit lies in. An assessment adds to the cells
// of its unit snapshot's areas; a mirrored registry unit adds in_scope_delta
// from the assessment year it was established in (+1) and, once dissolved,
// from the year after the assessment year of its dissolution (-1): years as
// ScoringSettings::AssessmentYearOf counts them, the same years
// SubmitAssessment accepts.
// Ids are "A" and 10 digits. Every write goes through the AuditLog: a write
// made for a call (SubmitAssessment, ReviewAssessment, RecognizeAssessments)
// carries that call's audit record, naming the assessments written; the
// follower's mirror writes serve no call and carry none.

#include <memory>
#include <optional>
#include <string>

#include "absl/container/btree_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/audit.h"
#include "common/rocksdb_db.h"
#include "services/scoring/scoring_store.h"
#include "services/scoring/settings.h"

namespace antt::scoring {

class RocksDbScoringStore final : public ScoringStore {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksDbScoringStore>>
  Open(const std::string& path, const RocksDbOptions& options = {},
       const ScoringSettings& settings = ScoringSettings());

  absl::StatusOr<v1::Assessment> GetAssessment(absl::string_view id) override;
  absl::StatusOr<std::optional<v1::Assessment>> FindSubmission(
      absl::string_view request_id) override;
  absl::StatusOr<v1::Assessment> SubmitAssessment(
      const std::string& unit_id, int year, absl::string_view request_id,
      const SubmitFn& submit) override;
  absl::StatusOr<v1::Assessment> UpdateAssessment(
      absl::string_view id, const AssessmentMutator& mutate) override;
  absl::StatusOr<std::vector<v1::Assessment>> UpdateAssessments(
      const std::vector<std::string>& ids,
      const AssessmentMutator& mutate) override;
  absl::StatusOr<AssessmentPage> ListAssessments(
      const AssessmentQuery& query) override;
  absl::StatusOr<std::vector<v1::Assessment>> UnitAssessments(
      absl::string_view unit_id) override;
  absl::StatusOr<std::vector<YearCounts>> ReadCounts(
      absl::string_view edition, absl::string_view area_code,
      registry::v1::UnitKind kind, int first_year, int last_year) override;
  absl::Status ApplyRegistryUnit(const registry::v1::Unit& unit,
                                 uint64_t sequence) override;
  absl::Status AdvanceRegistrySequence(uint64_t sequence) override;
  uint64_t RegistrySequence() override;
  absl::Status MarkUnreadableUnit(absl::string_view unit_id,
                                  bool unreadable) override;
  absl::StatusOr<std::vector<std::string>> UnreadableUnits() override;

  // The audit chain, written with every mutation (common/audit.h).
  [[nodiscard]] AuditLog* audit_log() { return audit_.get(); }
  // The database itself, for backups (common/backup.h).
  [[nodiscard]] RocksDb* rocksdb() { return db_.get(); }

 private:
  enum Cf {
    kDefault = 0,
    kAssessments,
    kRequests,
    kIndex,
    kCounters,
    kMirror,
    kAudit,
  };
  // Counter deltas of one write, by counter key.
  using CounterDeltas = absl::btree_map<std::string, Counts>;

  RocksDbScoringStore() = default;

  absl::Status LoadMeta();
  // Adds the assessment's writes (record, indexes, counter deltas) to `batch`
  // and `deltas`; `before` is the stored version or nullptr. `after` loses
  // its unknown fields (RocksDb::EncodeRecord); InvalidArgument when it is
  // too large to store.
  [[nodiscard]] absl::Status StageAssessment(const v1::Assessment* before,
                                             v1::Assessment* after,
                                             rocksdb::WriteBatch* batch,
                                             CounterDeltas* deltas);
  // Reads each counter of `deltas`, adds the delta, and puts the sum.
  absl::Status StageCounters(const CounterDeltas& deltas,
                             rocksdb::WriteBatch* batch);
  // Read-modify-write of `ids` in one batch; `sync` fsyncs the WAL.
  absl::StatusOr<std::vector<v1::Assessment>> Update(
      const std::vector<std::string>& ids, const AssessmentMutator& mutate,
      bool sync);
  absl::StatusOr<v1::Assessment> ReadAssessment(
      const rocksdb::ReadOptions& read, const std::string& id);

  // The assessment years a mirrored unit is counted in scope: from `from`
  // (0: always) up to but not including `until` (0: still in scope).
  struct InScopeYears {
    bool counted = false;  // in scope and of a known kind
    int from = 0;
    int until = 0;
  };
  // By the assessment year (ScoringSettings::AssessmentYearOf).
  [[nodiscard]] InScopeYears YearsOf(const registry::v1::Unit& unit) const;
  // By calendar year: what mirrors applied before the years were kept
  // counted.
  [[nodiscard]] static InScopeYears LegacyYearsOf(
      const registry::v1::Unit& unit);
  [[nodiscard]] static std::string EncodeYears(const InScopeYears& years);
  [[nodiscard]] static std::optional<InScopeYears> DecodeYears(
      absl::string_view text);
  // The unit's in_scope_delta counter changes for `years`, times `sign`.
  static void AddMirrorUnit(const registry::v1::Unit& unit,
                            const InScopeYears& years, int sign,
                            CounterDeltas* deltas);

  ScoringSettings settings_;
  std::unique_ptr<RocksDb> db_;
  std::unique_ptr<AuditLog> audit_;
  absl::Mutex write_mu_;
  uint64_t next_assessment_ ABSL_GUARDED_BY(write_mu_) = 1;
  std::atomic<uint64_t> registry_sequence_{0};
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_ROCKSDB_SCORING_STORE_H_
