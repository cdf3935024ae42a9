#include "common/date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using ::testing::HasSubstr;

TEST(IsEmptyDateTest, OnlyAllZeroIsEmpty) {
  EXPECT_TRUE(IsEmptyDate(google::type::Date()));
  EXPECT_TRUE(IsEmptyDate(MakeDate(0, 0, 0)));
  EXPECT_FALSE(IsEmptyDate(MakeDate(2020, 0, 0)));
  EXPECT_FALSE(IsEmptyDate(MakeDate(0, 0, 1)));
}

TEST(MakeDateTest, SetsEveryPart) {
  const google::type::Date date = MakeDate(2019, 11, 15);
  EXPECT_EQ(date.year(), 2019);
  EXPECT_EQ(date.month(), 11);
  EXPECT_EQ(date.day(), 15);
}

TEST(CheckDateTest, AcceptsRealDates) {
  EXPECT_OK(CheckDate(MakeDate(2019, 11, 15)));
  EXPECT_OK(CheckDate(MakeDate(2024, 12, 31)));
  EXPECT_OK(CheckDate(MakeDate(2023, 1, 1)));
}

TEST(CheckDateTest, February29OnlyInLeapYears) {
  EXPECT_OK(CheckDate(MakeDate(2024, 2, 29)));
  EXPECT_OK(CheckDate(MakeDate(2000, 2, 29)));  // divisible by 400
  EXPECT_CODE(CheckDate(MakeDate(2023, 2, 29)),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(1900, 2, 29)),  // divisible by 100 only
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(2100, 2, 29)),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(2024, 2, 30)),
              absl::StatusCode::kInvalidArgument);
}

TEST(CheckDateTest, RejectsDaysPastTheEndOfTheMonth) {
  EXPECT_CODE(CheckDate(MakeDate(2023, 4, 31)),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(2023, 1, 32)),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(2023, 1, 0)),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(2023, 1, -1)),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(2023, 12, 1000000)),
              absl::StatusCode::kInvalidArgument);
}

TEST(CheckDateTest, RejectsMonthOutOfRange) {
  const absl::Status status = CheckDate(MakeDate(2023, 13, 1));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("month"));
  EXPECT_CODE(CheckDate(MakeDate(2023, 0, 1)),
              absl::StatusCode::kInvalidArgument);
}

TEST(CheckDateTest, YearMustBeFrom1900To2200) {
  const absl::Status status = CheckDate(MakeDate(1899, 12, 31));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("year"));
  EXPECT_OK(CheckDate(MakeDate(1900, 1, 1)));
  EXPECT_OK(CheckDate(MakeDate(2200, 12, 31)));
  EXPECT_CODE(CheckDate(MakeDate(2201, 1, 1)),
              absl::StatusCode::kInvalidArgument);
  EXPECT_CODE(CheckDate(MakeDate(0, 0, 0)), absl::StatusCode::kInvalidArgument);
}

TEST(CompareDatesTest, OrdersByYearThenMonthThenDay) {
  EXPECT_EQ(CompareDates(MakeDate(2019, 11, 15), MakeDate(2019, 11, 15)), 0);
  EXPECT_EQ(CompareDates(MakeDate(2019, 11, 15), MakeDate(2019, 11, 16)), -1);
  EXPECT_EQ(CompareDates(MakeDate(2019, 11, 16), MakeDate(2019, 11, 15)), 1);
  EXPECT_EQ(CompareDates(MakeDate(2019, 10, 31), MakeDate(2019, 11, 1)), -1);
  EXPECT_EQ(CompareDates(MakeDate(2019, 12, 31), MakeDate(2020, 1, 1)), -1);
  EXPECT_EQ(CompareDates(MakeDate(2020, 1, 1), MakeDate(2019, 12, 31)), 1);
  // A later month wins over an earlier day, a later year over both.
  EXPECT_EQ(CompareDates(MakeDate(2019, 2, 1), MakeDate(2019, 1, 31)), 1);
  EXPECT_EQ(CompareDates(MakeDate(2020, 1, 1), MakeDate(2019, 12, 31)), 1);
}

TEST(FormatDateTest, IsoWithZeroPadding) {
  EXPECT_EQ(FormatDate(MakeDate(2019, 11, 15)), "2019-11-15");
  EXPECT_EQ(FormatDate(MakeDate(2024, 1, 5)), "2024-01-05");
  EXPECT_EQ(FormatDate(MakeDate(1900, 2, 28)), "1900-02-28");
}

TEST(ToTimestampTest, Epoch) {
  const google::protobuf::Timestamp ts = ToTimestamp(absl::UnixEpoch());
  EXPECT_EQ(ts.seconds(), 0);
  EXPECT_EQ(ts.nanos(), 0);
}

TEST(ToTimestampTest, SecondsAndNanos) {
  const google::protobuf::Timestamp ts =
      ToTimestamp(absl::FromUnixSeconds(1700000000) + absl::Nanoseconds(250));
  EXPECT_EQ(ts.seconds(), 1700000000);
  EXPECT_EQ(ts.nanos(), 250);

  const absl::Time time =
      absl::FromCivil(absl::CivilSecond(2019, 11, 15, 8, 30, 0),
                      absl::UTCTimeZone()) +
      absl::Milliseconds(125);
  const google::protobuf::Timestamp t2 = ToTimestamp(time);
  EXPECT_EQ(t2.seconds(), 1573806600);
  EXPECT_EQ(t2.nanos(), 125000000);
}

TEST(ToTimestampTest, BeforeEpochNanosCountForward) {
  // google.protobuf.Timestamp: "Negative second values with fractions must
  // still have non-negative nanos values that count forward in time."
  const google::protobuf::Timestamp ts =
      ToTimestamp(absl::UnixEpoch() - absl::Milliseconds(1500));
  EXPECT_EQ(ts.seconds(), -2);
  EXPECT_EQ(ts.nanos(), 500000000);
}

}  // namespace
}  // namespace antt
