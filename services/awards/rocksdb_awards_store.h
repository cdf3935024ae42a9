#ifndef ANTT_SERVICES_AWARDS_ROCKSDB_AWARDS_STORE_H_
#define ANTT_SERVICES_AWARDS_ROCKSDB_AWARDS_STORE_H_

// AwardsStore on RocksDB.
//
// Column families and key layout ("\0" separates parts):
// clang-format off
//   default      next_campaign, next_nomination            → uint64
//   campaigns    <campaign id>                             → v1::Campaign
//   nominations  <nomination id>                           → v1::Nomination
//   decisions    <decision number>                         → v1::Decision
//   requests     <method>\0<request id>                    → the first response
//   index        nc\0<campaign>\0<nomination id>           → ""
//                nr\0<recipient key>\0<nomination id>      → ""
//                one\0<campaign>\0<recipient key>\0<type>  → nomination id (not rejected)
//                sum\0<campaign>\0<type>\0<kind u8><stage u8> → int64 count
//   audit        <sequence u64>                            → audit::v1::AuditRecord
// clang-format on
// Ids are "C"/"N" and 10 digits. Every write of a mutating call carries one
// audit record (common/audit.h) naming the campaign, nominations and
// decision it wrote.

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/audit.h"
#include "common/rocksdb_db.h"
#include "services/awards/awards_store.h"

namespace antt::awards {

class RocksDbAwardsStore final : public AwardsStore {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksDbAwardsStore>> Open(
      const std::string& path, const RocksDbOptions& options = {});

  absl::StatusOr<v1::Campaign> CreateCampaign(
      v1::Campaign campaign, absl::string_view request_id) override;
  absl::StatusOr<v1::Campaign> GetCampaign(absl::string_view id) override;
  absl::StatusOr<std::vector<v1::Campaign>> ListCampaigns(
      absl::string_view after_id, int page_size, bool* more) override;
  absl::StatusOr<v1::Campaign> UpdateCampaign(
      absl::string_view id, const CampaignMutator& mutate) override;
  absl::StatusOr<v1::Nomination> CreateNomination(
      v1::Nomination nomination, absl::string_view request_id) override;
  absl::StatusOr<std::optional<v1::Nomination>> FindNominationByRequest(
      absl::string_view request_id) override;
  absl::StatusOr<v1::Nomination> GetNomination(absl::string_view id) override;
  absl::StatusOr<v1::Nomination> UpdateNomination(
      absl::string_view id, const NominationMutator& mutate) override;
  absl::StatusOr<std::vector<v1::Nomination>> IssueDecision(
      const v1::Decision& decision, const std::vector<std::string>& ids,
      const NominationMutator& mutate) override;
  absl::StatusOr<v1::Decision> GetDecision(absl::string_view number) override;
  absl::StatusOr<NominationPage> ListNominations(
      const NominationQuery& query) override;
  absl::StatusOr<std::vector<v1::Nomination>> RecipientNominations(
      absl::string_view recipient_key) override;
  absl::StatusOr<std::vector<v1::SummaryRow>> Summary(
      absl::string_view campaign_id) override;

  // The audit log kept in this store, for AuditServiceImpl.
  [[nodiscard]] AuditLog* audit_log() { return audit_.get(); }
  // The database itself, for backups (common/backup.h).
  [[nodiscard]] RocksDb* rocksdb() { return db_.get(); }
  // Lowers kMaxCampaignNominations, for tests.
  void set_max_campaign_nominations_for_testing(int64_t max) {
    absl::MutexLock lock(&write_mu_);
    max_campaign_nominations_ = max;
  }

 private:
  enum Cf {
    kDefault = 0,
    kCampaigns,
    kNominations,
    kDecisions,
    kRequests,
    kIndex,
    kAudit
  };

  RocksDbAwardsStore() = default;

  absl::Status LoadMeta();
  absl::StatusOr<v1::Nomination> ReadNomination(const std::string& id);
  // Adds a nomination's record, indexes and summary-count changes to `batch`
  // (`before`: the stored version or nullptr); counts accumulate in `deltas`.
  // `after` loses its unknown fields (RocksDb::EncodeRecord); InvalidArgument
  // when it is too large to store.
  [[nodiscard]] absl::Status StageNomination(
      const v1::Nomination* before, v1::Nomination* after,
      rocksdb::WriteBatch* batch, std::map<std::string, int64_t>* deltas);
  absl::Status StageCounts(const std::map<std::string, int64_t>& deltas,
                           rocksdb::WriteBatch* batch);
  absl::StatusOr<std::vector<std::string>> IdsWithPrefix(
      const std::string& prefix);

  std::unique_ptr<RocksDb> db_;
  std::unique_ptr<AuditLog> audit_;
  absl::Mutex write_mu_;
  uint64_t next_campaign_ ABSL_GUARDED_BY(write_mu_) = 1;
  uint64_t next_nomination_ ABSL_GUARDED_BY(write_mu_) = 1;
  int64_t max_campaign_nominations_ ABSL_GUARDED_BY(write_mu_) =
      kMaxCampaignNominations;
};

}  // namespace antt::awards

#endif  // ANTT_SERVICES_AWARDS_ROCKSDB_AWARDS_STORE_H_
