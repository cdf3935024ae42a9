// The check that a bulk command's counts add up.

#include "cli/row_tally.h"

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace antt::cli {
namespace {

RowTally Tally(int64_t in_file, int64_t read, int64_t accepted,
               int64_t rejected) {
  RowTally tally;
  tally.in_file = in_file;
  tally.read = read;
  tally.accepted = accepted;
  tally.rejected = rejected;
  return tally;
}

TEST(CheckRowTallyTest, EveryRowReadAndEachAcceptedOrRejectedAddsUp) {
  EXPECT_OK(CheckRowTally({}));
  EXPECT_OK(CheckRowTally(Tally(5, 5, 4, 1)));
  EXPECT_OK(CheckRowTally(Tally(5, 5, 0, 5)));
}

TEST(CheckRowTallyTest, RowsWithoutAnOutcomeDoNotAddUp) {
  // The server stopped reading the stream after 2 rows and answered OK.
  const absl::Status status = CheckRowTally(Tally(5, 5, 2, 0));
  EXPECT_CODE(status, absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("3 rows have no outcome"),
            absl::string_view::npos)
      << status;
}

TEST(CheckRowTallyTest, MoreOutcomesThanRowsDoNotAddUp) {
  const absl::Status status = CheckRowTally(Tally(3, 3, 3, 1));
  EXPECT_CODE(status, absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("1 outcomes more than rows"),
            absl::string_view::npos)
      << status;
}

TEST(CheckRowTallyTest, RowsOfTheFileNeverReadDoNotAddUp) {
  // The stream ended before the last rows were read: they are counted nowhere
  // else, so accepted + rejected = read is not enough.
  const absl::Status status = CheckRowTally(Tally(5, 3, 3, 0));
  EXPECT_CODE(status, absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("read 3 of the 5 rows"),
            absl::string_view::npos)
      << status;

  EXPECT_CODE(CheckRowTally(Tally(2, 3, 3, 0)), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace antt::cli
