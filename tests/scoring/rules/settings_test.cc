#include "services/scoring/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/date.h"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

using ::testing::HasSubstr;

// An instant given in Vietnam time (UTC+7).
absl::Time VietnamTime(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::FixedTimeZone(7 * 3600));
}

absl::Time UtcTime(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

TEST(ScoringSettingsTest, ShippedFileHasTheSpecCalendar) {
  absl::StatusOr<ScoringSettings> settings = LoadScoringSettings(
      antt::testing::SourceDataDir() + "/scoring/settings.json");
  ASSERT_OK(settings);
  EXPECT_EQ(settings->year_start.month, 11);
  EXPECT_EQ(settings->year_start.day, 16);
  EXPECT_EQ(settings->year_end.month, 11);
  EXPECT_EQ(settings->year_end.day, 15);
  EXPECT_EQ(settings->submission_deadline.day, 20);
  EXPECT_EQ(settings->classification_deadline.day, 30);
  EXPECT_DOUBLE_EQ(settings->target_rate, 0.95);
  EXPECT_EQ(settings->utc_offset_hours, 7);
  EXPECT_THAT(settings->source_file, HasSubstr("scoring/settings.json"));

  EXPECT_EQ(settings->WindowStart(2022), absl::CivilDay(2021, 11, 16));
  EXPECT_EQ(settings->WindowEnd(2022), absl::CivilDay(2022, 11, 15));
  EXPECT_EQ(settings->SubmissionDeadline(2022), absl::CivilDay(2022, 11, 20));
  EXPECT_EQ(settings->ClassificationDeadline(2022),
            absl::CivilDay(2022, 11, 30));
}

TEST(ScoringSettingsTest, WindowBoundaries) {
  const ScoringSettings settings;  // the SPEC defaults
  EXPECT_EQ(FormatDate(settings.WindowStartDate(2023)), "2022-11-16");
  EXPECT_EQ(FormatDate(settings.WindowEndDate(2023)), "2023-11-15");
  EXPECT_FALSE(settings.InWindow(MakeDate(2022, 11, 15), 2023));
  EXPECT_TRUE(settings.InWindow(MakeDate(2022, 11, 16), 2023));
  EXPECT_TRUE(settings.InWindow(MakeDate(2023, 1, 1), 2023));
  EXPECT_TRUE(settings.InWindow(MakeDate(2023, 11, 15), 2023));
  EXPECT_FALSE(settings.InWindow(MakeDate(2023, 11, 16), 2023));
}

TEST(ScoringSettingsTest, IsLateAfterTheTwentiethOfNovemberVietnamTime) {
  const ScoringSettings settings;
  EXPECT_FALSE(settings.IsLate(VietnamTime(2022, 11, 15, 9, 0, 0), 2022));
  EXPECT_FALSE(settings.IsLate(VietnamTime(2022, 11, 20, 23, 59, 59), 2022));
  EXPECT_TRUE(settings.IsLate(VietnamTime(2022, 11, 21, 0, 0, 0), 2022));
  EXPECT_TRUE(settings.IsLate(VietnamTime(2023, 1, 5, 8, 0, 0), 2022));
  // 20 November 17:00 UTC is already 21 November in Vietnam...
  EXPECT_TRUE(settings.IsLate(UtcTime(2022, 11, 20, 17, 0, 0), 2022));
  // ...and one second earlier is still on time, although UTC says the 20th
  // either way.
  EXPECT_FALSE(settings.IsLate(UtcTime(2022, 11, 20, 16, 59, 59), 2022));
  // The deadline is the year's own: a 2023 submission on 21/11/2022 is early.
  EXPECT_FALSE(settings.IsLate(VietnamTime(2022, 11, 21, 0, 0, 0), 2023));
}

class SettingsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = antt::testing::FreshTestDir() + "/settings.json";
  }

  void Write(const std::string& text) {
    std::ofstream out(path_);
    out << text;
    ASSERT_TRUE(out.good());
  }

  std::string LoadError() {
    absl::StatusOr<ScoringSettings> loaded = LoadScoringSettings(path_);
    EXPECT_CODE(loaded, absl::StatusCode::kInvalidArgument);
    return std::string(loaded.status().message());
  }

  std::string path_;
};

TEST_F(SettingsFileTest, MissingKeysKeepTheDefaults) {
  Write(R"({"target_rate": 1})");
  absl::StatusOr<ScoringSettings> loaded = LoadScoringSettings(path_);
  ASSERT_OK(loaded);
  EXPECT_DOUBLE_EQ(loaded->target_rate, 1.0);
  EXPECT_EQ(loaded->submission_deadline.month, 11);
  EXPECT_EQ(loaded->submission_deadline.day, 20);
  EXPECT_EQ(loaded->source_file, path_);
}

TEST_F(SettingsFileTest, CalendarYearWindowAndDeadlineInTheNextYear) {
  Write(R"({"assessment_year_start": {"month": 1, "day": 1},
            "assessment_year_end": {"month": 12, "day": 31},
            "submission_deadline": {"month": 1, "day": 10},
            "classification_deadline": {"month": 12, "day": 31},
            "utc_offset_hours": 0})");
  absl::StatusOr<ScoringSettings> loaded = LoadScoringSettings(path_);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->WindowStart(2024), absl::CivilDay(2024, 1, 1));
  EXPECT_EQ(loaded->WindowEnd(2024), absl::CivilDay(2024, 12, 31));
  EXPECT_EQ(loaded->SubmissionDeadline(2024), absl::CivilDay(2025, 1, 10));
  EXPECT_EQ(loaded->ClassificationDeadline(2024), absl::CivilDay(2024, 12, 31));
  EXPECT_FALSE(loaded->IsLate(UtcTime(2025, 1, 10, 23, 59, 59), 2024));
  EXPECT_TRUE(loaded->IsLate(UtcTime(2025, 1, 11, 0, 0, 0), 2024));
}

TEST_F(SettingsFileTest, MonthOutOfRange) {
  Write(R"({"submission_deadline": {"month": 13, "day": 20}})");
  EXPECT_THAT(LoadError(),
              HasSubstr(path_ + ": submission_deadline.month: 13 is not "
                                "between 1 and 12"));
}

TEST_F(SettingsFileTest, DayNotInMonth) {
  Write(R"({"assessment_year_end": {"month": 11, "day": 31}})");
  EXPECT_THAT(LoadError(), HasSubstr(path_ + ": assessment_year_end.day: 31 "
                                             "is not a day of month 11"));
}

TEST_F(SettingsFileTest, TwentyNinthOfFebruaryIsNotInEveryYear) {
  Write(R"({"classification_deadline": {"month": 2, "day": 29}})");
  EXPECT_THAT(LoadError(), HasSubstr(path_ + ": classification_deadline.day: "
                                             "29 is not a day of month 2"));
}

TEST_F(SettingsFileTest, DayZero) {
  Write(R"({"assessment_year_start": {"month": 11, "day": 0}})");
  EXPECT_THAT(LoadError(), HasSubstr(path_ + ": assessment_year_start.day: 0"));
}

TEST_F(SettingsFileTest, TargetRateZero) {
  Write(R"({"target_rate": 0})");
  EXPECT_THAT(LoadError(), HasSubstr(path_ + ": target_rate: 0 is not a "
                                             "fraction in (0, 1]"));
}

TEST_F(SettingsFileTest, TargetRateAsPercent) {
  Write(R"({"target_rate": 95})");
  EXPECT_THAT(LoadError(), HasSubstr(path_ + ": target_rate: 95 is not a "
                                             "fraction in (0, 1]"));
}

TEST_F(SettingsFileTest, UtcOffsetOutOfRange) {
  Write(R"({"utc_offset_hours": 15})");
  EXPECT_THAT(LoadError(), HasSubstr(path_ + ": utc_offset_hours: 15"));
}

TEST_F(SettingsFileTest, UnknownKey) {
  Write(R"({"submision_deadline": {"month": 11, "day": 20}})");
  EXPECT_THAT(LoadError(),
              HasSubstr(path_ + ": unknown key \"submision_deadline\""));
}

TEST_F(SettingsFileTest, WrongType) {
  Write(R"({"submission_deadline": "20/11"})");
  EXPECT_THAT(LoadError(),
              HasSubstr(path_ + ": submission_deadline: must be an object"));
}

TEST_F(SettingsFileTest, MalformedJson) {
  Write(R"({"target_rate": )");
  EXPECT_THAT(LoadError(), HasSubstr(path_ + ": not valid JSON"));
}

TEST_F(SettingsFileTest, MissingFile) {
  absl::StatusOr<ScoringSettings> loaded = LoadScoringSettings(path_);
  EXPECT_CODE(loaded, absl::StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr(path_ + ": cannot open"));
}

}  // namespace
}  // namespace antt::scoring
