#include "common/rocksdb_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace antt {
namespace {

using ::testing::HasSubstr;

TEST(FromRocksDbTest, OkIsOk) {
  EXPECT_TRUE(FromRocksDb(rocksdb::Status::OK()).ok());
}

struct Case {
  std::string name;
  rocksdb::Status in;
  absl::StatusCode want;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class FromRocksDbCodeTest : public ::testing::TestWithParam<Case> {};

TEST_P(FromRocksDbCodeTest, MapsCodeAndKeepsMessage) {
  const absl::Status status = FromRocksDb(GetParam().in);
  EXPECT_EQ(status.code(), GetParam().want) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("detail-text"));
}

INSTANTIATE_TEST_SUITE_P(
    AllCodes, FromRocksDbCodeTest,
    ::testing::Values(
        Case{"NotFound", rocksdb::Status::NotFound("detail-text"),
             absl::StatusCode::kNotFound},
        Case{"Corruption", rocksdb::Status::Corruption("detail-text"),
             absl::StatusCode::kDataLoss},
        Case{"IOError", rocksdb::Status::IOError("detail-text"),
             absl::StatusCode::kUnavailable},
        Case{"NoSpace", rocksdb::Status::NoSpace("detail-text"),
             absl::StatusCode::kUnavailable},
        Case{"Busy", rocksdb::Status::Busy("detail-text"),
             absl::StatusCode::kAborted},
        Case{"TryAgain", rocksdb::Status::TryAgain("detail-text"),
             absl::StatusCode::kAborted},
        Case{"Aborted", rocksdb::Status::Aborted("detail-text"),
             absl::StatusCode::kAborted},
        // RocksDB's InvalidArgument means our request to it was wrong: a
        // server fault, never the client's.
        Case{"InvalidArgument", rocksdb::Status::InvalidArgument("detail-text"),
             absl::StatusCode::kInternal},
        Case{"NotSupported", rocksdb::Status::NotSupported("detail-text"),
             absl::StatusCode::kUnimplemented},
        Case{"TimedOut", rocksdb::Status::TimedOut("detail-text"),
             absl::StatusCode::kDeadlineExceeded},
        Case{"Incomplete", rocksdb::Status::Incomplete("detail-text"),
             absl::StatusCode::kUnavailable},
        Case{"ShutdownInProgress",
             rocksdb::Status::ShutdownInProgress("detail-text"),
             absl::StatusCode::kUnavailable},
        Case{"MergeInProgress", rocksdb::Status::MergeInProgress("detail-text"),
             absl::StatusCode::kInternal},
        Case{"Expired", rocksdb::Status::Expired("detail-text"),
             absl::StatusCode::kInternal},
        Case{"ColumnFamilyDropped",
             rocksdb::Status::ColumnFamilyDropped("detail-text"),
             absl::StatusCode::kInternal}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace antt
