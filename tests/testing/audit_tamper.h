#ifndef ANTT_TESTS_TESTING_AUDIT_TAMPER_H_
#define ANTT_TESTS_TESTING_AUDIT_TAMPER_H_

// Alters a stopped service's audit chain directly in its store, as someone
// with the disk could: the tests prove that verification finds it.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "antt/audit/v1/audit.pb.h"
#include "common/rocksdb_db.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace antt::testing {

// Replaces the caller of audit record `sequence` in the store at `db_path`
// (no server may hold it), leaving the record's hash as it was. Fails the
// test when the store or the record is not there.
inline void AlterAuditCaller(const std::string& db_path, uint64_t sequence,
                             const std::string& caller) {
  std::vector<std::string> names;
  ASSERT_TRUE(
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db_path, &names)
          .ok())
      << db_path;
  const auto audit = std::find(names.begin(), names.end(), "audit");
  ASSERT_NE(audit, names.end()) << "no audit column family in " << db_path;
  const int cf = static_cast<int>(audit - names.begin());
  absl::StatusOr<std::unique_ptr<RocksDb>> db = RocksDb::Open(db_path, names);
  ASSERT_TRUE(db.ok()) << db.status();
  const std::string key = RocksDb::EncodeUint64(sequence);
  absl::StatusOr<std::optional<audit::v1::AuditRecord>> record =
      (*db)->GetMessage<audit::v1::AuditRecord>(cf, key);
  ASSERT_TRUE(record.ok()) << record.status();
  ASSERT_TRUE(record->has_value()) << "no audit record " << sequence;
  audit::v1::AuditRecord altered = **record;
  ASSERT_NE(altered.caller(), caller);
  altered.set_caller(caller);
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put((*db)->cf(cf), key, altered.SerializeAsString()).ok());
  const absl::Status written = (*db)->Write(&batch, /*sync=*/true);
  ASSERT_TRUE(written.ok()) << written;
}

}  // namespace antt::testing

#endif  // ANTT_TESTS_TESTING_AUDIT_TAMPER_H_
