#include "services/scoring/scorer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/date.h"
#include "common/field_violations.h"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::StartsWith;

constexpr char kCqdn[] = "TT124-2021/CQDN";
constexpr char kCsgd[] = "TT124-2021/CSGD";

// The request's three lists, filled by the tests.
struct Answers {
  google::protobuf::RepeatedPtrField<v1::ConditionAnswer> conditions;
  google::protobuf::RepeatedPtrField<v1::Event> events;
  google::protobuf::RepeatedPtrField<v1::ItemPoints> points;

  Answers& Answer(const std::string& id, bool met,
                  const std::string& note = "") {
    v1::ConditionAnswer* a = conditions.Add();
    a->set_condition_id(id);
    a->set_met(met);
    a->set_note(note);
    return *this;
  }
  Answers& Event(const std::string& type, const google::type::Date& date = {},
                 const std::string& description = "") {
    v1::Event* e = events.Add();
    e->set_type(type);
    if (!IsEmptyDate(date)) *e->mutable_date() = date;
    e->set_description(description);
    return *this;
  }
  Answers& Points(const std::string& id, int points_value) {
    v1::ItemPoints* p = points.Add();
    p->set_item_id(id);
    p->set_points(points_value);
    return *this;
  }
};

// Field paths of an InvalidArgument status, in order.
std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& [field, unused] : FieldViolationsOf(status)) {
    fields.push_back(field);
  }
  return fields;
}

class ScorerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<CriteriaCatalog>> loaded =
        CriteriaCatalog::LoadDir(antt::testing::SourceDataDir() + "/criteria");
    ASSERT_OK(loaded);
    catalog_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }

  static const CriteriaCatalog& catalog() { return *catalog_; }
  static const v1::CriteriaSet& Set(const std::string& id) {
    const v1::CriteriaSet* set = catalog_->Find(id);
    EXPECT_NE(set, nullptr) << id;
    static const v1::CriteriaSet kEmpty;
    return set == nullptr ? kEmpty : *set;
  }

  // Every condition that takes an answer, answered "met".
  static Answers AllMet(const std::string& set_id) {
    Answers answers;
    for (const auto& c : Set(set_id).conditions()) {
      if (!c.decided_by_events()) answers.Answer(c.id(), true);
    }
    return answers;
  }

  // Adds points items in table order, each as full as needed, to `total`.
  static Answers& WithPoints(Answers& answers, const std::string& set_id,
                             int total) {
    for (const auto& item : Set(set_id).points_items()) {
      const int take = std::min(total, item.max_points());
      if (take == 0) break;
      answers.Points(item.id(), take);
      total -= take;
    }
    EXPECT_EQ(total, 0);
    return answers;
  }

  static absl::StatusOr<v1::ScoreResult> Run(const std::string& set_id,
                                             int year, const Answers& answers,
                                             const std::string& prefix = "") {
    return Score(Set(set_id), catalog(), settings_, year, answers.conditions,
                 answers.events, answers.points, prefix);
  }

  static v1::Classification ClassOf(int total, bool safe) {
    Answers answers = AllMet(kCqdn);
    WithPoints(answers, kCqdn, total);
    if (!safe) answers.Event("6.3.a");
    absl::StatusOr<v1::ScoreResult> result = Run(kCqdn, 2023, answers);
    EXPECT_OK(result);
    if (!result.ok()) return v1::CLASSIFICATION_UNSPECIFIED;
    EXPECT_EQ(result->total_points(), total);
    EXPECT_EQ(result->meets_standard(), safe);
    return result->classification();
  }

  static const ScoringSettings settings_;

 private:
  static const CriteriaCatalog* catalog_;
};

const CriteriaCatalog* ScorerTest::catalog_ = nullptr;
const ScoringSettings ScorerTest::settings_;

TEST_F(ScorerTest, AllMetAnd95PointsIsExcellent) {
  Answers answers = AllMet(kCqdn);
  WithPoints(answers, kCqdn, 95);
  absl::StatusOr<v1::ScoreResult> result = Run(kCqdn, 2023, answers);
  ASSERT_OK(result);
  EXPECT_EQ(result->criteria_set_id(), kCqdn);
  EXPECT_TRUE(result->meets_standard());
  EXPECT_EQ(result->total_points(), 95);
  EXPECT_EQ(result->classification(), v1::CLASSIFICATION_EXCELLENT);
  EXPECT_THAT(result->failures(), IsEmpty());
  // The points table and the thresholds are provisional, and the result
  // says so.
  EXPECT_TRUE(result->provisional());
  EXPECT_THAT(result->provisional_notes(),
              ::testing::Contains(HasSubstr("thresholds are provisional")));
  EXPECT_THAT(result->provisional_notes(),
              ::testing::Contains(HasSubstr("placeholder-1")));
}

TEST_F(ScorerTest, OneEventMakesAn95PointUnitGoodAndNamesTheLetter) {
  Answers answers = AllMet(kCqdn);
  WithPoints(answers, kCqdn, 95);
  answers.Event("6.3.dd", MakeDate(2023, 3, 1), "Vụ trộm cắp tài sản");
  absl::StatusOr<v1::ScoreResult> result = Run(kCqdn, 2023, answers);
  ASSERT_OK(result);
  EXPECT_FALSE(result->meets_standard());
  EXPECT_EQ(result->total_points(), 95);
  EXPECT_EQ(result->classification(), v1::CLASSIFICATION_GOOD);
  ASSERT_EQ(result->failures_size(), 2);
  // The condition the event decides...
  EXPECT_EQ(result->failures(0).id(), "6.3");
  EXPECT_EQ(result->failures(0).text(),
            "Không để xảy ra một trong các trường hợp sau:");
  EXPECT_EQ(result->failures(0).reason(), "đã xảy ra: Điểm đ khoản 3 Điều 6");
  // ...and the event itself, with its letter.
  EXPECT_EQ(result->failures(1).id(), "6.3.dd");
  EXPECT_THAT(
      result->failures(1).text(),
      StartsWith("Điểm đ khoản 3 Điều 6: Tội phạm nghiêm trọng trở lên"));
  EXPECT_EQ(result->failures(1).reason(), "2023-03-01: Vụ trộm cắp tài sản");
}

TEST_F(ScorerTest, EveryEventIsExplained) {
  Answers answers = AllMet(kCqdn);
  answers.Event("6.3.h")
      .Event("6.3.a", {}, "Truyền đạo trái phép")
      .Event("6.3.h", MakeDate(2023, 5, 2));
  absl::StatusOr<v1::ScoreResult> result = Run(kCqdn, 2023, answers);
  ASSERT_OK(result);
  ASSERT_EQ(result->failures_size(), 4);
  EXPECT_EQ(result->failures(0).id(), "6.3");
  EXPECT_EQ(result->failures(0).reason(),
            "đã xảy ra: Điểm a khoản 3 Điều 6; Điểm h khoản 3 Điều 6");
  EXPECT_EQ(result->failures(1).id(), "6.3.h");
  EXPECT_EQ(result->failures(1).reason(), "đã xảy ra");
  EXPECT_EQ(result->failures(2).id(), "6.3.a");
  EXPECT_EQ(result->failures(2).reason(), "Truyền đạo trái phép");
  EXPECT_EQ(result->failures(3).id(), "6.3.h");
  EXPECT_EQ(result->failures(3).reason(), "2023-05-02");
}

TEST_F(ScorerTest, FailedConditionCarriesItsNote) {
  Answers answers;
  answers.Answer("6.1", true)
      .Answer("6.2", false, "Chưa có kế hoạch phối hợp với Công an")
      .Answer("6.4", true)
      .Answer("6.5", false);
  WithPoints(answers, kCqdn, 95);
  absl::StatusOr<v1::ScoreResult> result = Run(kCqdn, 2023, answers);
  ASSERT_OK(result);
  EXPECT_FALSE(result->meets_standard());
  EXPECT_EQ(result->classification(), v1::CLASSIFICATION_GOOD);
  ASSERT_EQ(result->failures_size(), 2);
  EXPECT_EQ(result->failures(0).id(), "6.2");
  EXPECT_THAT(result->failures(0).text(),
              StartsWith("Triển khai, thực hiện đầy đủ các chủ trương"));
  EXPECT_EQ(result->failures(0).reason(),
            "Chưa có kế hoạch phối hợp với Công an");
  EXPECT_EQ(result->failures(1).id(), "6.5");
  EXPECT_EQ(result->failures(1).reason(), "không đạt");
}

TEST_F(ScorerTest, ClassBoundaries) {
  EXPECT_EQ(ClassOf(100, true), v1::CLASSIFICATION_EXCELLENT);
  EXPECT_EQ(ClassOf(90, true), v1::CLASSIFICATION_EXCELLENT);
  EXPECT_EQ(ClassOf(89, true), v1::CLASSIFICATION_GOOD);
  EXPECT_EQ(ClassOf(70, true), v1::CLASSIFICATION_GOOD);
  EXPECT_EQ(ClassOf(69, true), v1::CLASSIFICATION_AVERAGE);
  EXPECT_EQ(ClassOf(50, true), v1::CLASSIFICATION_AVERAGE);
  EXPECT_EQ(ClassOf(49, true), v1::CLASSIFICATION_WEAK);
  EXPECT_EQ(ClassOf(0, true), v1::CLASSIFICATION_WEAK);
  // Not ANTT-safe: never EXCELLENT, the lower classes unchanged.
  EXPECT_EQ(ClassOf(100, false), v1::CLASSIFICATION_GOOD);
  EXPECT_EQ(ClassOf(70, false), v1::CLASSIFICATION_GOOD);
  EXPECT_EQ(ClassOf(69, false), v1::CLASSIFICATION_AVERAGE);
  EXPECT_EQ(ClassOf(49, false), v1::CLASSIFICATION_WEAK);
}

TEST_F(ScorerTest, MissingItemsCountZero) {
  Answers answers = AllMet(kCqdn);
  answers.Points("510.3", 5).Points("placeholder-2", 0);
  absl::StatusOr<v1::ScoreResult> result = Run(kCqdn, 2023, answers);
  ASSERT_OK(result);
  EXPECT_EQ(result->total_points(), 5);
  EXPECT_EQ(result->classification(), v1::CLASSIFICATION_WEAK);
  EXPECT_TRUE(result->meets_standard());
}

TEST_F(ScorerTest, SchoolViolenceFailsConditionFourOfArticleSeven) {
  Answers answers = AllMet(kCsgd);
  WithPoints(answers, kCsgd, 92);
  answers.Event("7.4.1", MakeDate(2022, 12, 1));
  absl::StatusOr<v1::ScoreResult> result = Run(kCsgd, 2023, answers);
  ASSERT_OK(result);
  EXPECT_FALSE(result->meets_standard());
  EXPECT_EQ(result->classification(), v1::CLASSIFICATION_GOOD);
  ASSERT_EQ(result->failures_size(), 2);
  EXPECT_EQ(result->failures(0).id(), "7.4");
  EXPECT_EQ(result->failures(0).reason(), "đã xảy ra: Khoản 4 Điều 7 (phần 1)");
  EXPECT_EQ(result->failures(1).id(), "7.4.1");
  EXPECT_EQ(result->failures(1).text(),
            "Khoản 4 Điều 7 (phần 1): bạo lực học đường");
}

TEST_F(ScorerTest, Tt23SchoolSetIsDecidedByTheReusedEvents) {
  Answers answers = AllMet("TT23-2012/CSGD");
  ASSERT_EQ(answers.conditions.size(), 2);  // 8.1 and 8.2
  answers.Event("7.3.2");
  absl::StatusOr<v1::ScoreResult> result = Run("TT23-2012/CSGD", 2015, answers);
  ASSERT_OK(result);
  EXPECT_FALSE(result->meets_standard());
  ASSERT_EQ(result->failures_size(), 2);
  EXPECT_EQ(result->failures(0).id(), "8.events");
  EXPECT_EQ(result->failures(1).text(),
            "Khoản 3 Điều 7 (phần 2): mất trộm tài sản có giá trị lớn");
  EXPECT_TRUE(result->provisional());
  EXPECT_THAT(result->provisional_notes(),
              ::testing::Contains(HasSubstr("disqualifying events 7.3.1")));
}

TEST_F(ScorerTest, SetOutsideTheCatalogIsAFailedPrecondition) {
  v1::CriteriaSet copy = Set(kCqdn);
  copy.set_id("TT124-2021/COPY");
  Answers answers = AllMet(kCqdn);
  EXPECT_CODE(Score(copy, catalog(), settings_, 2023, answers.conditions,
                    answers.events, answers.points, ""),
              absl::StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------- Bad input,
// with both field prefixes (ScoreRequest and SubmitAssessmentRequest).

class ScorerFieldTest : public ScorerTest,
                        public ::testing::WithParamInterface<std::string> {
 protected:
  const std::string& p() const { return GetParam(); }

  // Scores, expects INVALID_ARGUMENT and returns the violations.
  std::vector<std::pair<std::string, std::string>> Violations(
      const std::string& set_id, int year, const Answers& answers) {
    absl::StatusOr<v1::ScoreResult> result = Run(set_id, year, answers, p());
    EXPECT_CODE(result, absl::StatusCode::kInvalidArgument);
    return FieldViolationsOf(result.status());
  }
  std::vector<std::string> FieldsOf(const std::string& set_id, int year,
                                    const Answers& answers) {
    std::vector<std::string> fields;
    for (const auto& [field, unused] : Violations(set_id, year, answers)) {
      fields.push_back(field);
    }
    return fields;
  }
};

INSTANTIATE_TEST_SUITE_P(Prefixes, ScorerFieldTest,
                         ::testing::Values("", "assessment."),
                         [](const auto& info) {
                           return info.param.empty() ? std::string("Score")
                                                     : std::string("Submit");
                         });

TEST_P(ScorerFieldTest, YearOutsideTheSet) {
  EXPECT_THAT(Violations(kCqdn, 2021, AllMet(kCqdn)),
              ElementsAre(Pair(p() + "year", HasSubstr("2021 is outside"))));
  EXPECT_THAT(FieldsOf("TT23-2012/CQDN", 2022, AllMet("TT23-2012/CQDN")),
              ElementsAre(p() + "year"));
}

TEST_P(ScorerFieldTest, MissingAnswers) {
  Answers answers;
  answers.Answer("6.1", true).Answer("6.4", true);
  EXPECT_THAT(
      Violations(kCqdn, 2023, answers),
      ElementsAre(Pair(p() + "conditions", HasSubstr("condition 6.2")),
                  Pair(p() + "conditions", HasSubstr("condition 6.5"))));
}

TEST_P(ScorerFieldTest, DuplicateAnswer) {
  Answers answers = AllMet(kCqdn);
  answers.Answer("6.2", false);
  EXPECT_THAT(Violations(kCqdn, 2023, answers),
              ElementsAre(Pair(
                  p() + "conditions[4].condition_id",
                  HasSubstr("already answered by " + p() + "conditions[1]"))));
}

TEST_P(ScorerFieldTest, UnknownCondition) {
  Answers answers = AllMet(kCqdn);
  answers.Answer("6.9", true).Answer("", true);
  EXPECT_THAT(FieldsOf(kCqdn, 2023, answers),
              ElementsAre(p() + "conditions[4].condition_id",
                          p() + "conditions[5].condition_id"));
}

TEST_P(ScorerFieldTest, AnswerForAConditionDecidedByEvents) {
  Answers answers = AllMet(kCqdn);
  answers.Answer("6.3", true);
  EXPECT_THAT(Violations(kCqdn, 2023, answers),
              ElementsAre(Pair(p() + "conditions[4].condition_id",
                               HasSubstr("decided by the year's events"))));
}

TEST_P(ScorerFieldTest, UnknownEventType) {
  Answers answers = AllMet(kCqdn);
  // 7.4.1 exists, but in the school set only; 6.3.d is not a school event.
  answers.Event("6.3.a").Event("7.4.1").Event("");
  EXPECT_THAT(FieldsOf(kCqdn, 2023, answers),
              ElementsAre(p() + "events[1].type", p() + "events[2].type"));
  Answers school = AllMet(kCsgd);
  school.Event("6.3.d");
  EXPECT_THAT(FieldsOf(kCsgd, 2023, school),
              ElementsAre(p() + "events[0].type"));
}

TEST_P(ScorerFieldTest, EventDateMustBeACalendarDate) {
  Answers answers = AllMet(kCqdn);
  answers.Event("6.3.a", MakeDate(2023, 2, 30));
  EXPECT_THAT(Violations(kCqdn, 2023, answers),
              ElementsAre(Pair(p() + "events[0].date",
                               HasSubstr("not a calendar date"))));
}

TEST_P(ScorerFieldTest, EventDateMustFallInTheAssessmentYear) {
  Answers answers = AllMet(kCqdn);
  answers
      .Event("6.3.a", MakeDate(2022, 11, 15))   // the 2022 year's last day
      .Event("6.3.a", MakeDate(2022, 11, 16))   // 2023's first day
      .Event("6.3.a", MakeDate(2023, 11, 15))   // 2023's last day
      .Event("6.3.a", MakeDate(2023, 11, 16));  // 2024's first day
  EXPECT_THAT(
      Violations(kCqdn, 2023, answers),
      ElementsAre(Pair(p() + "events[0].date",
                       "2022-11-15 is outside the 2023 assessment year "
                       "(2022-11-16 to 2023-11-15)"),
                  Pair(p() + "events[3].date", HasSubstr("2023-11-16"))));
}

TEST_P(ScorerFieldTest, ListsLongerThanAnyAssessmentNeedsAreRefusedWhole) {
  Answers answers = AllMet(kCqdn);
  for (int i = 0; i < kMaxAssessmentList; ++i) answers.Event("6.3.a");
  EXPECT_TRUE(Run(kCqdn, 2023, answers, p()).ok());
  answers.Event("6.3.a");
  EXPECT_THAT(Violations(kCqdn, 2023, answers),
              ElementsAre(Pair(p() + "events", HasSubstr("has 101 items"))));
  Answers points = AllMet(kCqdn);
  for (int i = 0; i <= kMaxAssessmentList; ++i) points.Points("510.1", 1);
  EXPECT_THAT(FieldsOf(kCqdn, 2023, points), ElementsAre(p() + "points"));
}

TEST_P(ScorerFieldTest, UnknownOrRepeatedPointsItem) {
  Answers answers = AllMet(kCqdn);
  answers.Points("510.1", 3)
      .Points("510.9", 1)
      .Points("510.1", 2)
      .Points("", 1);
  EXPECT_THAT(
      Violations(kCqdn, 2023, answers),
      ElementsAre(Pair(p() + "points[1].item_id", HasSubstr("unknown")),
                  Pair(p() + "points[2].item_id",
                       HasSubstr("already scored by " + p() + "points[0]")),
                  Pair(p() + "points[3].item_id", "is required")));
}

TEST_P(ScorerFieldTest, PointsOutsideTheItemsRange) {
  Answers answers = AllMet(kCqdn);
  answers.Points("510.1", 4)
      .Points("510.2", -1)
      .Points("510.3", 5)
      .Points("510.4a", 0);
  EXPECT_THAT(Violations(kCqdn, 2023, answers),
              ElementsAre(Pair(p() + "points[0].points",
                               "must be 0 to 3 for item 510.1, got 4"),
                          Pair(p() + "points[1].points",
                               "must be 0 to 3 for item 510.2, got -1")));
}

TEST_P(ScorerFieldTest, AllProblemsAreReportedTogether) {
  Answers answers;
  answers.Answer("6.1", true)
      .Answer("6.1", true)
      .Answer("6.3", false)
      .Answer("6.4", true)
      .Answer("6.5", true);
  answers.Event("6.3.z").Event("6.3.a", MakeDate(2030, 1, 1));
  answers.Points("510.1", 9);
  EXPECT_THAT(
      FieldsOf(kCqdn, 2021, answers),
      ElementsAre(p() + "year", p() + "conditions[1].condition_id",
                  p() + "conditions[2].condition_id", p() + "conditions",
                  p() + "events[0].type", p() + "points[0].points"));
}

TEST_P(ScorerFieldTest, ChooseSetByKindAndYear) {
  absl::StatusOr<const v1::CriteriaSet*> set =
      ChooseSet(catalog(), registry::v1::UNIT_KIND_ENTERPRISE, 2022, "", p());
  ASSERT_OK(set);
  EXPECT_EQ((*set)->id(), kCqdn);
  set = ChooseSet(catalog(), registry::v1::UNIT_KIND_EDUCATION, 2021, "", p());
  ASSERT_OK(set);
  EXPECT_EQ((*set)->id(), "TT23-2012/CSGD");

  set = ChooseSet(catalog(), registry::v1::UNIT_KIND_AGENCY, 2011, "", p());
  EXPECT_CODE(set, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(set.status()),
              ElementsAre(Pair(p() + "year",
                               "no criteria set applies to UNIT_KIND_AGENCY "
                               "in 2011")));
}

TEST_P(ScorerFieldTest, ChooseSetByGivenId) {
  absl::StatusOr<const v1::CriteriaSet*> set = ChooseSet(
      catalog(), registry::v1::UNIT_KIND_AGENCY, 2015, "TT23-2012/CQDN", p());
  ASSERT_OK(set);
  EXPECT_EQ((*set)->id(), "TT23-2012/CQDN");

  set = ChooseSet(catalog(), registry::v1::UNIT_KIND_AGENCY, 2015,
                  "TT23-2012/XYZ", p());
  EXPECT_CODE(set, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(set.status()), ElementsAre(p() + "criteria_set_id"));

  // A school set for an agency.
  set = ChooseSet(catalog(), registry::v1::UNIT_KIND_AGENCY, 2023, kCsgd, p());
  EXPECT_THAT(FieldViolationsOf(set.status()),
              ElementsAre(Pair(p() + "criteria_set_id",
                               "TT124-2021/CSGD does not apply to "
                               "UNIT_KIND_AGENCY")));

  // A year outside the set.
  set = ChooseSet(catalog(), registry::v1::UNIT_KIND_AGENCY, 2021, kCqdn, p());
  EXPECT_THAT(Fields(set.status()), ElementsAre(p() + "year"));

  // Both at once.
  set =
      ChooseSet(catalog(), registry::v1::UNIT_KIND_EDUCATION, 2021, kCqdn, p());
  EXPECT_CODE(set, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(set.status()),
              ElementsAre(p() + "criteria_set_id", p() + "year"));
}

TEST_P(ScorerFieldTest, ChooseSetNeedsAKind) {
  absl::StatusOr<const v1::CriteriaSet*> set =
      ChooseSet(catalog(), registry::v1::UNIT_KIND_UNSPECIFIED, 2023, "", p());
  EXPECT_CODE(set, absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace antt::scoring
