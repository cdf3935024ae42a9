#ifndef ANTT_COMMON_ROCKSDB_DB_H_
#define ANTT_COMMON_ROCKSDB_DB_H_

// A RocksDB database with named column families, opened the way every ANTT
// store opens it, closed cleanly (memtables flushed, WAL synced) when
// destroyed. Stores keep their key layouts; this keeps the plumbing in one
// place.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/rocksdb_status.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace antt {

struct RocksDbOptions {
  // Memory for the block cache shared by all column families.
  size_t block_cache_bytes = 64 << 20;
  // Upper bound on all memtables together.
  size_t write_buffer_bytes = 64 << 20;
};

inline absl::string_view View(const rocksdb::Slice& slice) {
  return absl::string_view(slice.data(), slice.size());
}
inline rocksdb::Slice ToSlice(absl::string_view view) {
  return rocksdb::Slice(view.data(), view.size());
}

class RocksDb final {
 public:
  // Opens (creating when missing) the database in `path` with column
  // families `cf_names`; the first must be "default".
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksDb>> Open(
      const std::string& path, const std::vector<std::string>& cf_names,
      const RocksDbOptions& options = {});

  // Opens the existing database in `path` read-only, with its column
  // families `cf_names` (all of them, "default" first, as
  // rocksdb::DB::ListColumnFamilies gives them): for checking a store no
  // server runs on. Writes to it fail.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksDb>> OpenForReadOnly(
      const std::string& path, const std::vector<std::string>& cf_names);

  ~RocksDb();
  RocksDb(const RocksDb&) = delete;
  RocksDb& operator=(const RocksDb&) = delete;

  [[nodiscard]] rocksdb::DB* db() { return db_.get(); }
  [[nodiscard]] rocksdb::ColumnFamilyHandle* cf(int index) {
    return cf_[index];
  }

  // nullopt when the key is absent.
  [[nodiscard]] absl::StatusOr<std::optional<std::string>> Get(
      int cf, absl::string_view key,
      const rocksdb::ReadOptions& read = rocksdb::ReadOptions());

  // A parsed message, nullopt when absent, DataLoss when it does not parse.
  template <typename Message>
  [[nodiscard]] absl::StatusOr<std::optional<Message>> GetMessage(
      int cf, absl::string_view key,
      const rocksdb::ReadOptions& read = rocksdb::ReadOptions()) {
    absl::StatusOr<std::optional<std::string>> raw = Get(cf, key, read);
    if (!raw.ok()) return raw.status();
    if (!raw->has_value()) return std::optional<Message>();
    Message message;
    if (!message.ParseFromString(**raw)) {
      return absl::DataLossError(
          absl::StrCat("record \"", key, "\" cannot be parsed"));
    }
    return std::optional<Message>(std::move(message));
  }

  // The largest record a store keeps, well under the 4 MiB every ANTT
  // client and server accepts in one message, so any record can always be
  // read back, mirrored and listed.
  static constexpr size_t kMaxRecordBytes = 1 << 20;

  // The bytes a store keeps for `record`, having dropped its unknown fields
  // in place (what a client sends beyond the contract is never stored, nor
  // answered back). InvalidArgument when the record is larger than
  // kMaxRecordBytes. Every store encodes its records through this.
  [[nodiscard]] static absl::StatusOr<std::string> EncodeRecord(
      google::protobuf::Message* record);

  // A big-endian uint64 counter, or `fallback` when absent; DataLoss when
  // the value is not 8 bytes.
  [[nodiscard]] absl::StatusOr<uint64_t> GetUint64(int cf,
                                                   absl::string_view key,
                                                   uint64_t fallback);
  [[nodiscard]] static std::string EncodeUint64(uint64_t value);

  // Commits `batch` atomically; `sync` also fsyncs the WAL before returning.
  [[nodiscard]] absl::Status Write(rocksdb::WriteBatch* batch,
                                   bool sync = false);

  // Live SST bytes over every column family, for metrics.
  [[nodiscard]] uint64_t ApproximateSizeBytes();
  // Each column family's name and RocksDB's estimate of its keys
  // ("rocksdb.estimate-num-keys", memtables included), for metrics.
  // Thread-safe.
  [[nodiscard]] std::vector<std::pair<std::string, uint64_t>> EstimatedKeys();

  // How the write path is doing, for metrics. Thread-safe.
  struct WriteHealth {
    // Bytes compaction would have to rewrite to bring every level within
    // its target, over every column family
    // ("rocksdb.estimate-pending-compaction-bytes").
    uint64_t pending_compaction_bytes = 0;
    // Whether writes are stopped right now ("rocksdb.is-write-stopped").
    bool write_stopped = false;
    // Times a column family entered the delayed or the stopped condition
    // since the store was opened (RocksDB's OnStallConditionsChanged).
    uint64_t stalls_delayed = 0;
    uint64_t stalls_stopped = 0;
  };
  [[nodiscard]] WriteHealth write_health();

 private:
  class StallCounter;

  RocksDb() = default;

  // Registered as an event listener before the database opens; shared with
  // RocksDB, which may call it until Close.
  std::shared_ptr<StallCounter> stalls_;
  bool read_only_ = false;  // nothing to flush or sync on close
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cf_;
};

// A consistent view for the lifetime of the object.
class Snapshot final {
 public:
  explicit Snapshot(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {
    read_.snapshot = snapshot_;
  }
  ~Snapshot() { db_->ReleaseSnapshot(snapshot_); }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  [[nodiscard]] const rocksdb::ReadOptions& read() const { return read_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::ReadOptions read_;
};

}  // namespace antt

#endif  // ANTT_COMMON_ROCKSDB_DB_H_
