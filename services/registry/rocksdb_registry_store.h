#ifndef ANTT_SERVICES_REGISTRY_ROCKSDB_REGISTRY_STORE_H_
#define ANTT_SERVICES_REGISTRY_ROCKSDB_REGISTRY_STORE_H_

// RegistryStore on RocksDB.
//
// Column families and key layout (integers big-endian, "\0" separates parts):
// clang-format off
//   default   next_unit, next_person, last_change   → uint64
//   units     <unit id>                             → v1::Unit
//   persons   <person id>                           → v1::Person
//   changes   <uint64 sequence>                     → v1::Change
//   requests  <method>\0<request id>                → the first response
//   index     tax\0<tax code>                       → unit id (ACTIVE units only)
//             ext\0<external id>                    → unit id
//             all\0<unit id>                        → attributes
//             area\0<edition>\0<code>\0<unit id>    → attributes
//             uw\0<name word>\0<unit id>            → attributes + folded name
//             pu\0<unit id>\0<person id>            → ""
//             pw\0<name word>\0<person id>          → folded name
//   audit     <uint64 sequence>                     → antt.audit.v1.AuditRecord
// clang-format on
// Unit attributes are 4 bytes (kind, managing level, status, in scope), so
// ListUnits filters and counts from the index without reading records.
// Ids are "U"/"P" and 10 digits, so id order is creation order.

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/audit.h"
#include "common/rocksdb_db.h"
#include "services/registry/registry_store.h"

namespace antt::registry {

class RocksDbRegistryStore final : public RegistryStore {
 public:
  // Opens (creating when missing) the store in directory `path`.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksDbRegistryStore>>
  Open(const std::string& path, const RocksDbOptions& options = {});

  // Flushes memtables, syncs the WAL and closes the database.
  ~RocksDbRegistryStore() override = default;

  absl::StatusOr<v1::Unit> GetUnit(absl::string_view id) override;
  absl::StatusOr<v1::Unit> CreateUnit(v1::Unit unit,
                                      absl::string_view request_id) override;
  absl::StatusOr<v1::Unit> UpdateUnit(absl::string_view id,
                                      const UnitMutator& mutate) override;
  absl::StatusOr<std::pair<v1::Unit, UpsertOutcome>> UpsertUnit(
      const v1::Unit& incoming, const UnitUpserter& upsert) override;
  absl::StatusOr<UnitPage> ListUnits(const UnitQuery& query) override;
  absl::StatusOr<std::vector<v1::Change>> ListChanges(uint64_t after_sequence,
                                                      int page_size) override;
  absl::StatusOr<uint64_t> LastChangeSequence() override;
  absl::StatusOr<v1::Person> GetPerson(absl::string_view id) override;
  absl::StatusOr<v1::Person> CreatePerson(
      v1::Person person, absl::string_view request_id) override;
  absl::StatusOr<v1::Person> UpdatePerson(absl::string_view id,
                                          const PersonMutator& mutate) override;
  absl::StatusOr<PersonPage> ListPersons(const PersonQuery& query) override;

  // The audit chain, written with every mutation (common/audit.h).
  [[nodiscard]] AuditLog* audit_log() { return audit_.get(); }
  // The database itself, for backups (common/backup.h).
  [[nodiscard]] RocksDb* rocksdb() { return db_.get(); }

  // RocksDB's estimate of the live data size in bytes, for metrics.
  [[nodiscard]] uint64_t ApproximateSizeBytes();

 private:
  enum Cf {
    kDefault = 0,
    kUnits,
    kPersons,
    kChanges,
    kRequests,
    kIndex,
    kAudit,
    kNumCf
  };

  RocksDbRegistryStore() = default;

  absl::Status LoadCounters();

  // Both run under write_mu_.
  absl::StatusOr<v1::Unit> WriteUnitLocked(const v1::Unit* before,
                                           v1::Unit after,
                                           const std::string& request_key);
  absl::StatusOr<v1::Person> WritePersonLocked(const v1::Person* before,
                                               v1::Person after,
                                               const std::string& request_key);
  absl::Status CheckUniqueLocked(const v1::Unit& unit);
  absl::StatusOr<v1::Unit> ReadUnit(const rocksdb::ReadOptions& read,
                                    const std::string& id);
  absl::StatusOr<v1::Person> ReadPerson(const rocksdb::ReadOptions& read,
                                        const std::string& id);
  // The query word whose range of word index `index` ("uw" or "pw") holds
  // the fewest entries.
  absl::StatusOr<std::string> MostSelectiveWord(
      const rocksdb::ReadOptions& read, absl::string_view index,
      const std::vector<std::string>& words);
  void AppendChange(rocksdb::WriteBatch* batch, v1::ChangeEntity entity,
                    const std::string& id, v1::ChangeType type, absl::Time now);

  std::unique_ptr<RocksDb> db_;
  std::unique_ptr<AuditLog> audit_;

  absl::Mutex write_mu_;
  uint64_t next_unit_ ABSL_GUARDED_BY(write_mu_) = 1;
  uint64_t next_person_ ABSL_GUARDED_BY(write_mu_) = 1;
  uint64_t last_change_ ABSL_GUARDED_BY(write_mu_) = 0;
};

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_ROCKSDB_REGISTRY_STORE_H_
