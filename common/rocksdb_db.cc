#include "common/rocksdb_db.h"

#include <atomic>

#include "common/keys.h"
#include "google/protobuf/message.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace antt {

// Counts the transitions of any column family into a write stall: RocksDB
// slows writes down (delayed) or stops them while compaction falls behind.
class RocksDb::StallCounter final : public rocksdb::EventListener {
 public:
  void OnStallConditionsChanged(const rocksdb::WriteStallInfo& info) override {
    if (info.condition.cur == info.condition.prev) return;
    if (info.condition.cur == rocksdb::WriteStallCondition::kDelayed) {
      delayed.fetch_add(1, std::memory_order_relaxed);
    } else if (info.condition.cur == rocksdb::WriteStallCondition::kStopped) {
      stopped.fetch_add(1, std::memory_order_relaxed);
    }
  }

  std::atomic<uint64_t> delayed{0};
  std::atomic<uint64_t> stopped{0};
};

absl::StatusOr<std::unique_ptr<RocksDb>> RocksDb::Open(
    const std::string& path, const std::vector<std::string>& cf_names,
    const RocksDbOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  db_options.keep_log_file_num = 5;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.bottommost_compression = rocksdb::kZSTD;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : cf_names) {
    descriptors.emplace_back(name, cf_options);
  }
  std::unique_ptr<RocksDb> store(new RocksDb());
  store->stalls_ = std::make_shared<StallCounter>();
  db_options.listeners.push_back(store->stalls_);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(db_options), path,
                                        descriptors, &store->cf_, &raw);
  if (!s.ok()) return FromRocksDb(s);
  store->db_.reset(raw);
  return store;
}

absl::StatusOr<std::unique_ptr<RocksDb>> RocksDb::OpenForReadOnly(
    const std::string& path, const std::vector<std::string>& cf_names) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : cf_names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::unique_ptr<RocksDb> store(new RocksDb());
  store->stalls_ = std::make_shared<StallCounter>();
  store->read_only_ = true;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(
      rocksdb::DBOptions(), path, descriptors, &store->cf_, &raw);
  if (!s.ok()) return FromRocksDb(s);
  store->db_.reset(raw);
  return store;
}

RocksDb::~RocksDb() {
  if (db_ == nullptr) return;
  if (read_only_) {
    for (rocksdb::ColumnFamilyHandle* handle : cf_) {
      (void)db_->DestroyColumnFamilyHandle(handle);
    }
    return;
  }
  (void)db_->Flush(rocksdb::FlushOptions(), cf_);
  (void)db_->SyncWAL();
  for (rocksdb::ColumnFamilyHandle* handle : cf_) {
    (void)db_->DestroyColumnFamilyHandle(handle);
  }
  (void)db_->Close();
}

absl::StatusOr<std::optional<std::string>> RocksDb::Get(
    int cf, absl::string_view key, const rocksdb::ReadOptions& read) {
  std::string value;
  rocksdb::Status s = db_->Get(read, cf_[cf], ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocksDb(s);
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<uint64_t> RocksDb::GetUint64(int cf, absl::string_view key,
                                            uint64_t fallback) {
  absl::StatusOr<std::optional<std::string>> raw = Get(cf, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return fallback;
  absl::string_view in(**raw);
  std::optional<uint64_t> value = ConsumeUint64(&in);
  if (!value.has_value() || !in.empty()) {
    return absl::DataLossError(
        absl::StrCat("counter \"", key, "\" is corrupt"));
  }
  return *value;
}

std::string RocksDb::EncodeUint64(uint64_t value) {
  std::string out;
  AppendUint64(&out, value);
  return out;
}

absl::StatusOr<std::string> RocksDb::EncodeRecord(
    google::protobuf::Message* record) {
  record->DiscardUnknownFields();
  const size_t size = record->ByteSizeLong();
  if (size > kMaxRecordBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the record would take ", size, " bytes; a record may take at most ",
        kMaxRecordBytes, " (shorten its texts or lists)"));
  }
  return record->SerializeAsString();
}

absl::Status RocksDb::Write(rocksdb::WriteBatch* batch, bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;
  return FromRocksDb(db_->Write(options, batch));
}

uint64_t RocksDb::ApproximateSizeBytes() {
  uint64_t total = 0;
  for (rocksdb::ColumnFamilyHandle* handle : cf_) {
    uint64_t size = 0;
    if (db_->GetIntProperty(handle, rocksdb::DB::Properties::kLiveSstFilesSize,
                            &size)) {
      total += size;
    }
  }
  return total;
}

std::vector<std::pair<std::string, uint64_t>> RocksDb::EstimatedKeys() {
  std::vector<std::pair<std::string, uint64_t>> keys;
  for (rocksdb::ColumnFamilyHandle* handle : cf_) {
    uint64_t count = 0;
    if (db_->GetIntProperty(handle, rocksdb::DB::Properties::kEstimateNumKeys,
                            &count)) {
      keys.emplace_back(handle->GetName(), count);
    }
  }
  return keys;
}

RocksDb::WriteHealth RocksDb::write_health() {
  WriteHealth health;
  for (rocksdb::ColumnFamilyHandle* handle : cf_) {
    uint64_t bytes = 0;
    if (db_->GetIntProperty(
            handle, rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
            &bytes)) {
      health.pending_compaction_bytes += bytes;
    }
  }
  uint64_t stopped = 0;
  health.write_stopped =
      db_->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &stopped) &&
      stopped != 0;
  health.stalls_delayed = stalls_->delayed.load(std::memory_order_relaxed);
  health.stalls_stopped = stalls_->stopped.load(std::memory_order_relaxed);
  return health;
}

}  // namespace antt
