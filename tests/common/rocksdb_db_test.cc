// What every store keeps of a record: never a client's unknown fields, and
// never more than RocksDb::kMaxRecordBytes.

#include "common/rocksdb_db.h"

#include <gtest/gtest.h>

#include <string>

#include "antt/audit/v1/audit.pb.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

TEST(EncodeRecordTest, DropsUnknownFieldsAtEveryDepth) {
  audit::v1::ListAuditRecordsResponse record;
  audit::v1::AuditRecord* inner = record.add_records();
  inner->set_sequence(7);
  // Field 1000 (length-delimited) on the record and on the message inside.
  const std::string unknown = std::string("\xc2\x3e\x03", 3) + "abc";
  ASSERT_TRUE(inner->MergeFromString(unknown));
  ASSERT_TRUE(record.MergeFromString(unknown));
  ASSERT_EQ(record.GetReflection()->GetUnknownFields(record).field_count(), 1);

  absl::StatusOr<std::string> bytes = RocksDb::EncodeRecord(&record);
  ASSERT_OK(bytes);
  EXPECT_EQ(record.GetReflection()->GetUnknownFields(record).field_count(), 0);
  audit::v1::ListAuditRecordsResponse stored;
  ASSERT_TRUE(stored.ParseFromString(*bytes));
  EXPECT_EQ(stored.GetReflection()->GetUnknownFields(stored).field_count(), 0);
  ASSERT_EQ(stored.records_size(), 1);
  EXPECT_EQ(stored.records(0).sequence(), 7u);
  EXPECT_EQ(stored.records(0)
                .GetReflection()
                ->GetUnknownFields(stored.records(0))
                .field_count(),
            0);
}

TEST(EncodeRecordTest, RefusesARecordLargerThanTheBound) {
  audit::v1::AuditRecord record;
  record.set_caller(std::string(RocksDb::kMaxRecordBytes, 'x'));
  EXPECT_CODE(RocksDb::EncodeRecord(&record),
              absl::StatusCode::kInvalidArgument);
  record.set_caller(std::string(RocksDb::kMaxRecordBytes - 16, 'x'));
  EXPECT_OK(RocksDb::EncodeRecord(&record));
}

}  // namespace
}  // namespace antt
