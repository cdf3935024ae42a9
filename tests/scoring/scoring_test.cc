// The scoring use cases on a real RocksDB store and the shipped criteria
// files, with a fake registry at the client seam.

#include "services/scoring/scoring.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/date.h"
#include "common/field_violations.h"
#include "services/scoring/registry_follower.h"
#include "services/scoring/rocksdb_scoring_store.h"
#include "tests/scoring/fake_registry_client.h"
#include "tests/testing/reference_data.h"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

namespace rv1 = ::antt::registry::v1;
using ::antt::scoring::testing::FakeRegistryClient;

const CriteriaCatalog& Criteria() {
  return antt::testing::LoadOnce<CriteriaCatalog>([] {
    return CriteriaCatalog::LoadDir(antt::testing::SourceDataDir() +
                                    "/criteria");
  });
}

const registry::AreaCatalog& Areas() { return antt::testing::SourceAreas(); }

// A caller without an area limit: every use case lets it through.
Principal Admin() { return Principal{"admin", Role::kAdmin, "", ""}; }

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& [field, unused] : FieldViolationsOf(status)) {
    fields.push_back(field);
  }
  return fields;
}

// A unit of legacy province 45 (district `district`) and current province 44.
rv1::Unit MakeUnit(const std::string& id, rv1::UnitKind kind,
                   const std::string& district = "461") {
  rv1::Unit unit;
  unit.set_id(id);
  unit.set_name("Đơn vị " + id);
  unit.set_kind(kind);
  unit.set_status(rv1::UNIT_STATUS_ACTIVE);
  unit.set_in_scope(true);
  unit.set_province_code("44");
  unit.set_legacy_province_code("45");
  unit.set_legacy_district_code(district);
  return unit;
}

class ScoringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto settings = LoadScoringSettings(antt::testing::SourceDataDir() +
                                        "/scoring/settings.json");
    ASSERT_OK(settings);
    settings_ = *settings;
    auto store =
        RocksDbScoringStore::Open(antt::testing::FreshTestDir(), {}, settings_);
    ASSERT_OK(store);
    store_ = *std::move(store);
    Scoring::Dependencies deps;
    deps.criteria = &Criteria();
    deps.settings = &settings_;
    deps.areas = &Areas();
    deps.store = store_.get();
    deps.registry = &registry_;
    deps.now = [this] { return now_; };
    scoring_ = std::make_unique<Scoring>(deps);
    follower_ = std::make_unique<RegistryFollower>(&registry_, store_.get(),
                                                   absl::Seconds(1));
    // 10 November 2019, Vietnam time: before the 20 November deadline.
    SetNow(2019, 11, 10);
    registry_.Put(MakeUnit("U1", rv1::UNIT_KIND_AGENCY, "461"));
    registry_.Put(MakeUnit("U2", rv1::UNIT_KIND_ENTERPRISE, "462"));
    registry_.Put(MakeUnit("U3", rv1::UNIT_KIND_EDUCATION, "461"));
  }

  void SetNow(int y, int m, int d) {
    now_ = absl::FromCivil(absl::CivilSecond(y, m, d, 12, 0, 0),
                           absl::FixedTimeZone(7 * 3600));
  }

  // Answers to every condition of the set for the unit's kind and the year
  // (those decided by events take none), worth `points` points.
  static v1::Assessment Answers(const std::string& unit_id, int year,
                                int points, bool all_met = true) {
    v1::Assessment a;
    a.set_unit_id(unit_id);
    a.set_year(year);
    auto set = Criteria().ForKindAndYear(KindOf(unit_id), year);
    EXPECT_OK(set);
    if (!set.ok()) return a;
    for (const v1::Condition& condition : (*set)->conditions()) {
      if (condition.decided_by_events()) continue;
      v1::ConditionAnswer* answer = a.add_conditions();
      answer->set_condition_id(condition.id());
      answer->set_met(all_met);
      if (!all_met) answer->set_note("Chưa có kế hoạch phối hợp");
    }
    int left = points;
    for (const v1::PointsItem& item : (*set)->points_items()) {
      const int given = std::min(item.max_points(), left);
      if (given > 0) ItemPoints(&a, item.id(), given);
      left -= given;
    }
    return a;
  }

  // The kinds of the units the tests use.
  static rv1::UnitKind KindOf(const std::string& unit_id) {
    if (unit_id == "U2" || unit_id == "U6") return rv1::UNIT_KIND_ENTERPRISE;
    if (unit_id == "U3" || unit_id == "U8") return rv1::UNIT_KIND_EDUCATION;
    return rv1::UNIT_KIND_AGENCY;
  }

  static void ItemPoints(v1::Assessment* a, const std::string& id, int points) {
    v1::ItemPoints* item = a->add_points();
    item->set_item_id(id);
    item->set_points(points);
  }

  absl::StatusOr<v1::Assessment> Submit(const v1::Assessment& a,
                                        const std::string& request_id = "") {
    v1::SubmitAssessmentRequest request;
    *request.mutable_assessment() = a;
    request.set_request_id(request_id);
    return scoring_->SubmitAssessment(Admin(), request);
  }

  v1::Assessment MustSubmit(const v1::Assessment& a) {
    auto submitted = Submit(a);
    EXPECT_OK(submitted);
    return submitted.ok() ? *submitted : v1::Assessment();
  }

  absl::StatusOr<v1::Assessment> Review(const v1::Assessment& a, bool approve,
                                        const std::string& note = "") {
    v1::ReviewAssessmentRequest request;
    request.set_id(a.id());
    request.set_approve(approve);
    request.set_note(note);
    return scoring_->ReviewAssessment(Admin(), request);
  }

  // A decision dated `date` (28 November 2019 unless given).
  absl::StatusOr<v1::RecognizeAssessmentsResponse> Recognize(
      const std::vector<std::string>& ids, bool recognized = true,
      const google::type::Date& date = MakeDate(2019, 11, 28)) {
    v1::RecognizeAssessmentsRequest request;
    for (const auto& id : ids) request.add_assessment_ids(id);
    request.set_recognized(recognized);
    request.set_decision_number("123/QĐ-UBND");
    *request.mutable_decision_date() = date;
    request.set_authority("UBND tỉnh Quảng Trị");
    return scoring_->RecognizeAssessments(Admin(), request);
  }

  // Submits, approves and recognises.
  v1::Assessment MustRecognize(const v1::Assessment& answers) {
    v1::Assessment a = MustSubmit(answers);
    EXPECT_OK(Review(a, true));
    auto recognized = Recognize({a.id()});
    EXPECT_OK(recognized);
    return recognized.ok() ? recognized->assessments(0) : v1::Assessment();
  }

  v1::GetSafetyStatsResponse Stats(
      int first, int last, const std::string& area, const std::string& edition,
      v1::GroupBy by, rv1::UnitKind kind = rv1::UNIT_KIND_UNSPECIFIED) {
    v1::GetSafetyStatsRequest request;
    request.set_first_year(first);
    request.set_last_year(last);
    request.set_area_code(area);
    request.set_edition(edition);
    request.set_group_by(by);
    request.set_kind(kind);
    auto stats = scoring_->GetSafetyStats(Admin(), request);
    EXPECT_OK(stats);
    return stats.ok() ? *stats : v1::GetSafetyStatsResponse();
  }

  ScoringSettings settings_;
  std::unique_ptr<RocksDbScoringStore> store_;
  FakeRegistryClient registry_;
  absl::Time now_;
  std::unique_ptr<Scoring> scoring_;
  std::unique_ptr<RegistryFollower> follower_;
};

// ------------------------------------------------------------ Submit

TEST_F(ScoringTest, SubmitScoresAndKeepsTheUnitSnapshot) {
  const v1::Assessment a = MustSubmit(Answers("U1", 2019, 100));
  EXPECT_EQ(a.id(), "A0000000001");
  EXPECT_EQ(a.criteria_set_id(), "TT23-2012/CQDN");
  EXPECT_EQ(a.stage(), v1::STAGE_SUBMITTED);
  EXPECT_TRUE(a.result().meets_standard());
  EXPECT_EQ(a.result().total_points(), 100);
  EXPECT_EQ(a.result().classification(), v1::CLASSIFICATION_EXCELLENT);
  EXPECT_TRUE(a.result().provisional());
  EXPECT_FALSE(a.late());
  EXPECT_EQ(a.unit().legacy_district_code(), "461");
  EXPECT_EQ(a.submissions(), 1);
  auto read = scoring_->GetAssessment(Admin(), [&] {
    v1::GetAssessmentRequest r;
    r.set_id(a.id());
    return r;
  }());
  ASSERT_OK(read);
  EXPECT_EQ(read->SerializeAsString(), a.SerializeAsString());
}

// What is stored is what was checked: a note padded past the 2,000-character
// limit with spaces, or written in decomposed Unicode, is stored trimmed and
// NFC, never as sent.
TEST_F(ScoringTest, NotesAndDescriptionsAreStoredAsChecked) {
  v1::Assessment answers = Answers("U1", 2019, 100, /*all_met=*/false);
  const std::string padding(5000, ' ');
  // "Chưa có" with its marks as combining characters (NFD).
  answers.mutable_conditions(0)->set_note(padding +
                                          "Chu\xCC\x9B"
                                          "a co\xCC\x81" +
                                          padding);
  v1::Event* event = answers.add_events();
  event->set_type("7.3.1");
  event->set_description(padding + "Trộm cắp" + padding);
  const v1::Assessment stored = MustSubmit(answers);
  EXPECT_EQ(stored.conditions(0).note(), "Chưa có");
  ASSERT_EQ(stored.events_size(), 1);
  EXPECT_EQ(stored.events(0).description(), "Trộm cắp");
}

// A decision after the classification deadline (30 November of the
// assessment's year) is recorded and flagged: the day itself is on time,
// the day after is late.
TEST_F(ScoringTest, ARecognitionAfterTheClassificationDeadlineIsFlaggedLate) {
  for (const auto& [day, late] :
       std::vector<std::pair<google::type::Date, bool>>{
           {MakeDate(2019, 11, 29), false},
           {MakeDate(2019, 11, 30), false},
           {MakeDate(2019, 12, 1), true}}) {
    SCOPED_TRACE(FormatDate(day));
    const v1::Assessment a = MustSubmit(Answers(late              ? "U1"
                                                : day.day() == 29 ? "U2"
                                                                  : "U3",
                                                2019, 100));
    ASSERT_OK(Review(a, true));
    auto recognized = Recognize({a.id()}, true, day);
    ASSERT_OK(recognized);
    EXPECT_EQ(recognized->assessments(0).recognition().late_classification(),
              late);
    EXPECT_EQ(recognized->assessments(0).stage(), v1::STAGE_RECOGNIZED);
  }
}

TEST_F(ScoringTest, SubmitAfterTheDeadlineIsAcceptedAndFlaggedLate) {
  SetNow(2019, 11, 21);
  const v1::Assessment a = MustSubmit(Answers("U1", 2019, 80));
  EXPECT_TRUE(a.late());
  SetNow(2019, 11, 20);
  EXPECT_FALSE(MustSubmit(Answers("U2", 2019, 80)).late());
}

TEST_F(ScoringTest, SubmitChecksTheUnitWithTheRegistry) {
  EXPECT_CODE(Submit(Answers("U404", 2019, 80)), absl::StatusCode::kNotFound);

  rv1::Unit dissolved = MakeUnit("U5", rv1::UNIT_KIND_AGENCY);
  dissolved.set_status(rv1::UNIT_STATUS_DISSOLVED);
  registry_.Put(dissolved);
  EXPECT_CODE(Submit(Answers("U5", 2019, 80)),
              absl::StatusCode::kFailedPrecondition);

  rv1::Unit small = MakeUnit("U6", rv1::UNIT_KIND_ENTERPRISE);
  small.set_in_scope(false);
  small.set_out_of_scope_reason("Doanh nghiệp nhỏ, siêu nhỏ");
  registry_.Put(small);
  EXPECT_CODE(Submit(Answers("U6", 2019, 80)),
              absl::StatusCode::kFailedPrecondition);

  rv1::Unit young = MakeUnit("U7", rv1::UNIT_KIND_AGENCY);
  young.mutable_established_date()->set_year(2019);
  young.mutable_established_date()->set_month(11);
  young.mutable_established_date()->set_day(16);  // after the 2019 window
  registry_.Put(young);
  EXPECT_CODE(Submit(Answers("U7", 2019, 80)),
              absl::StatusCode::kFailedPrecondition);
  EXPECT_OK(Submit(Answers("U7", 2020, 80)));
}

// Which assessment years a unit is assessed in, at the boundaries of its
// establishment and dissolution: the years of ScoringSettings::
// AssessmentYearOf (16 November to 15 November), the same years statistics
// count it in scope.
TEST_F(ScoringTest, AUnitIsAssessedInTheAssessmentYearsItExisted) {
  const auto unit = [this](const std::string& id,
                           const google::type::Date& established,
                           const google::type::Date& dissolved) {
    rv1::Unit u = MakeUnit(id, rv1::UNIT_KIND_AGENCY);
    *u.mutable_established_date() = established;
    if (!IsEmptyDate(dissolved)) {
      u.set_status(rv1::UNIT_STATUS_DISSOLVED);
      *u.mutable_dissolve_date() = dissolved;
    }
    registry_.Put(u);
  };
  const google::type::Date none;
  // Established on 15 November 2018 (the last day of 2018's year), on the
  // 16th (the first of 2019's) and on 1 December 2018.
  unit("E15", MakeDate(2018, 11, 15), none);
  unit("E16", MakeDate(2018, 11, 16), none);
  unit("EDEC", MakeDate(2018, 12, 1), none);
  EXPECT_OK(Submit(Answers("E15", 2018, 80)));
  EXPECT_CODE(Submit(Answers("E16", 2018, 80)),
              absl::StatusCode::kFailedPrecondition);
  EXPECT_OK(Submit(Answers("E16", 2019, 80)));
  const auto refused = Submit(Answers("EDEC", 2018, 80));
  EXPECT_CODE(refused, absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(),
                                "in the assessment year 2019"))
      << refused.status();
  EXPECT_OK(Submit(Answers("EDEC", 2019, 80)));

  // Dissolved on 15 November 2018 (in 2018's year), on the 16th (in
  // 2019's): a dissolved unit is assessed, after the fact, for the years it
  // existed, and not after.
  unit("D15", MakeDate(2010, 1, 1), MakeDate(2018, 11, 15));
  unit("D16", MakeDate(2010, 1, 1), MakeDate(2018, 11, 16));
  EXPECT_OK(Submit(Answers("D15", 2018, 80)));
  EXPECT_CODE(Submit(Answers("D15", 2019, 80)),
              absl::StatusCode::kFailedPrecondition);
  EXPECT_OK(Submit(Answers("D16", 2019, 80)));
  EXPECT_CODE(Submit(Answers("D16", 2020, 80)),
              absl::StatusCode::kFailedPrecondition);
}

TEST_F(ScoringTest, ARetryGetsTheFirstAnswerEvenWithTheRegistryDown) {
  auto first = Submit(Answers("U1", 2019, 95), "retry-1");
  ASSERT_OK(first);
  registry_.SetReachable(false);
  auto retry = Submit(Answers("U1", 2019, 95), "retry-1");
  ASSERT_OK(retry);
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
}

TEST_F(ScoringTest, SubmitWithTheRegistryDownIsUnavailableAndStoresNothing) {
  registry_.SetReachable(false);
  EXPECT_CODE(Submit(Answers("U1", 2019, 80)), absl::StatusCode::kUnavailable);
  registry_.SetReachable(true);
  v1::ListAssessmentsRequest all;
  auto listed = scoring_->ListAssessments(Admin(), all);
  ASSERT_OK(listed);
  EXPECT_EQ(listed->total_size(), 0);
  // Works again as soon as the registry answers.
  EXPECT_OK(Submit(Answers("U1", 2019, 80)));
}

TEST_F(ScoringTest, SubmitRejectsBadAnswersNamingTheFields) {
  v1::Assessment a = Answers("U1", 2019, 80);
  a.mutable_conditions()->RemoveLast();  // 7.4 unanswered
  a.mutable_points(0)->set_points(4);    // 510.1 is worth 3
  absl::Status status = Submit(a).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(status),
            (std::vector<std::string>{"assessment.conditions",
                                      "assessment.points[0].points"}));
  v1::Assessment no_unit = Answers("U1", 2019, 80);
  no_unit.clear_unit_id();
  no_unit.set_year(1980);
  EXPECT_EQ(
      Fields(Submit(no_unit).status()),
      (std::vector<std::string>{"assessment.unit_id", "assessment.year"}));
  EXPECT_EQ(Fields(Submit(Answers("U1", 2019, 80), "bad id").status()),
            std::vector<std::string>{"request_id"});
  v1::Assessment wrong_set = Answers("U1", 2019, 80);
  wrong_set.set_criteria_set_id("TT124-2021/CQDN");  // from 2022 on
  EXPECT_EQ(Fields(Submit(wrong_set).status()),
            std::vector<std::string>{"assessment.year"});
}

TEST_F(ScoringTest, OneAssessmentPerUnitAndYearUnlessReturned) {
  const v1::Assessment first = MustSubmit(Answers("U1", 2019, 95));
  EXPECT_CODE(Submit(Answers("U1", 2019, 95)),
              absl::StatusCode::kAlreadyExists);
  // The same request id is a retry: the first result, nothing new.
  const v1::Assessment by_id = *Submit(Answers("U2", 2019, 95), "req-1");
  auto retry = Submit(Answers("U2", 2019, 10), "req-1");
  ASSERT_OK(retry);
  EXPECT_EQ(retry->SerializeAsString(), by_id.SerializeAsString());

  ASSERT_OK(Review(first, false, "Thiếu biên bản họp"));
  v1::Assessment resubmission = Answers("U1", 2019, 60, /*all_met=*/false);
  resubmission.set_etag("stale");
  EXPECT_CODE(Submit(resubmission), absl::StatusCode::kAborted);
  resubmission.clear_etag();
  auto second = Submit(resubmission);
  ASSERT_OK(second);
  EXPECT_EQ(second->id(), first.id());
  EXPECT_EQ(second->submissions(), 2);
  EXPECT_EQ(second->stage(), v1::STAGE_SUBMITTED);
  EXPECT_FALSE(second->result().meets_standard());
  EXPECT_EQ(second->result().classification(), v1::CLASSIFICATION_AVERAGE);
}

// ------------------------------------------------------------ Review

TEST_F(ScoringTest, ReviewMovesOnlySubmittedAssessments) {
  const v1::Assessment a = MustSubmit(Answers("U1", 2019, 95));
  v1::ReviewAssessmentRequest stale;
  stale.set_id(a.id());
  stale.set_etag("0");
  stale.set_approve(true);
  EXPECT_CODE(scoring_->ReviewAssessment(Admin(), stale),
              absl::StatusCode::kAborted);
  EXPECT_EQ(Fields(Review(a, false, "").status()),
            std::vector<std::string>{"note"});
  auto reviewed = Review(a, true);
  ASSERT_OK(reviewed);
  EXPECT_EQ(reviewed->stage(), v1::STAGE_REVIEWED);
  EXPECT_TRUE(reviewed->review().approved());
  EXPECT_CODE(Review(a, true), absl::StatusCode::kFailedPrecondition);
  v1::Assessment missing;
  missing.set_id("A0000000404");
  EXPECT_CODE(Review(missing, true), absl::StatusCode::kNotFound);
  missing.clear_id();
  EXPECT_EQ(Fields(Review(missing, true).status()),
            std::vector<std::string>{"id"});
}

// ------------------------------------------------------------ Recognize

TEST_F(ScoringTest, RecognitionIsAllOrNothing) {
  const v1::Assessment good = MustSubmit(Answers("U1", 2019, 95));
  const v1::Assessment pending = MustSubmit(Answers("U2", 2019, 95));
  const v1::Assessment failing = MustSubmit(Answers("U3", 2019, 95, false));
  ASSERT_OK(Review(good, true));
  ASSERT_OK(Review(failing, true));

  // pending is not REVIEWED: nothing is recognised.
  EXPECT_CODE(Recognize({good.id(), pending.id()}),
              absl::StatusCode::kFailedPrecondition);
  // failing does not meet the standard: nothing is recognised.
  EXPECT_CODE(Recognize({good.id(), failing.id()}),
              absl::StatusCode::kFailedPrecondition);
  EXPECT_CODE(Recognize({good.id(), "A0000000404"}),
              absl::StatusCode::kNotFound);
  v1::GetAssessmentRequest get;
  get.set_id(good.id());
  EXPECT_EQ(scoring_->GetAssessment(Admin(), get)->stage(), v1::STAGE_REVIEWED);

  // A failing assessment can be decided NOT_RECOGNIZED.
  auto refused = Recognize({failing.id()}, /*recognized=*/false);
  ASSERT_OK(refused);
  EXPECT_EQ(refused->assessments(0).stage(), v1::STAGE_NOT_RECOGNIZED);
  auto done = Recognize({good.id()});
  ASSERT_OK(done);
  EXPECT_EQ(done->assessments(0).stage(), v1::STAGE_RECOGNIZED);
  EXPECT_EQ(done->assessments(0).recognition().decision_number(),
            "123/QĐ-UBND");

  v1::RecognizeAssessmentsRequest bad;
  bad.add_assessment_ids(good.id());
  bad.add_assessment_ids(good.id());
  EXPECT_EQ(Fields(scoring_->RecognizeAssessments(Admin(), bad).status()),
            (std::vector<std::string>{"assessment_ids[1]", "decision_number",
                                      "authority", "decision_date"}));
}

// ------------------------------------------------------------ Statistics

TEST_F(ScoringTest, StatsCountInScopeUnitsAssessedOrNotAndKeepCountersRight) {
  rv1::Unit late_comer = MakeUnit("U4", rv1::UNIT_KIND_AGENCY, "462");
  late_comer.mutable_established_date()->set_year(2019);
  late_comer.mutable_established_date()->set_month(3);
  late_comer.mutable_established_date()->set_day(1);
  registry_.Put(late_comer);
  rv1::Unit out = MakeUnit("U8", rv1::UNIT_KIND_EDUCATION, "462");
  out.set_in_scope(false);
  registry_.Put(out);
  ASSERT_OK(follower_->SyncOnce());

  MustRecognize(Answers("U1", 2018, 95));
  MustRecognize(Answers("U1", 2019, 95));
  MustRecognize(Answers("U2", 2019, 75));
  MustSubmit(Answers("U3", 2019, 40, false));

  auto by_year = Stats(2018, 2019, "45", "2025-06", v1::GROUP_BY_YEAR);
  ASSERT_EQ(by_year.rows_size(), 2);
  // No choice is the documented default, by year (GroupBy in scoring.proto):
  // statistics are asked for most often that way, and a caller that does
  // not choose gets the same answer as one that does.
  EXPECT_EQ(Stats(2018, 2019, "45", "2025-06", v1::GROUP_BY_UNSPECIFIED)
                .SerializeAsString(),
            by_year.SerializeAsString());
  EXPECT_DOUBLE_EQ(by_year.target_rate(), 0.95);
  const v1::StatsRow& y2018 = by_year.rows(0);
  EXPECT_EQ(y2018.year(), 2018);
  EXPECT_EQ(y2018.group_name(), "Tỉnh Quảng Trị");
  EXPECT_EQ(y2018.in_scope(), 3);  // U4 did not exist yet; U8 out of scope
  EXPECT_EQ(y2018.assessed(), 1);
  EXPECT_EQ(y2018.recognized(), 1);
  const v1::StatsRow& y2019 = by_year.rows(1);
  EXPECT_EQ(y2019.in_scope(), 4);
  EXPECT_EQ(y2019.assessed(), 3);
  EXPECT_EQ(y2019.recognized(), 2);
  EXPECT_DOUBLE_EQ(y2019.rate(), 0.5);
  EXPECT_FALSE(y2019.meets_target());
  EXPECT_EQ(y2019.excellent(), 1);
  EXPECT_EQ(y2019.good(), 1);
  EXPECT_EQ(y2019.weak(), 1);

  auto by_district =
      Stats(2019, 2019, "45", "2025-06", v1::GROUP_BY_CHILD_AREA);
  ASSERT_EQ(by_district.rows_size(), 10);  // Quảng Trị's ten districts
  EXPECT_EQ(by_district.rows(0).group_key(), "461");
  EXPECT_EQ(by_district.rows(0).in_scope(), 2);    // U1, U3
  EXPECT_EQ(by_district.rows(0).recognized(), 1);  // U1
  EXPECT_EQ(by_district.rows(1).group_key(), "462");
  EXPECT_EQ(by_district.rows(1).in_scope(), 2);  // U2, U4

  auto by_kind = Stats(2019, 2019, "44", "2026-07", v1::GROUP_BY_KIND);
  ASSERT_EQ(by_kind.rows_size(), 3);
  EXPECT_EQ(by_kind.rows(0).group_key(), "agency");
  EXPECT_EQ(by_kind.rows(0).in_scope(), 2);
  EXPECT_EQ(by_kind.rows(1).group_name(), "Doanh nghiệp");
  EXPECT_DOUBLE_EQ(by_kind.rows(1).rate(), 1.0);
  EXPECT_TRUE(by_kind.rows(1).meets_target());

  auto country = Stats(2019, 2019, "", "", v1::GROUP_BY_CHILD_AREA);
  ASSERT_EQ(country.rows_size(), 34);  // the provinces of the 2026-07 edition
  int64_t in_scope = 0;
  for (const auto& row : country.rows()) in_scope += row.in_scope();
  EXPECT_EQ(in_scope, 4);

  // Returned and resubmitted with a lower class: the counters follow.
  v1::ListAssessmentsRequest u3;
  u3.set_unit_id("U3");
  const v1::Assessment weak =
      scoring_->ListAssessments(Admin(), u3)->assessments(0);
  ASSERT_OK(Review(weak, false, "Sai số liệu"));
  MustSubmit(Answers("U3", 2019, 72));
  auto after = Stats(2019, 2019, "45", "2025-06", v1::GROUP_BY_YEAR);
  EXPECT_EQ(after.rows(0).assessed(), 3);
  EXPECT_EQ(after.rows(0).weak(), 0);
  EXPECT_EQ(after.rows(0).good(), 2);

  // A unit dissolved on 15 November 2019, the last day of the 2019
  // assessment year, still counts in 2019, no longer in 2020.
  rv1::Unit gone = MakeUnit("U2", rv1::UNIT_KIND_ENTERPRISE, "462");
  gone.set_status(rv1::UNIT_STATUS_DISSOLVED);
  *gone.mutable_dissolve_date() = MakeDate(2019, 11, 15);
  registry_.Put(gone);
  ASSERT_OK(follower_->SyncOnce());
  auto later = Stats(2019, 2020, "45", "2025-06", v1::GROUP_BY_YEAR);
  EXPECT_EQ(later.rows(0).in_scope(), 4);
  EXPECT_EQ(later.rows(1).in_scope(), 3);
  EXPECT_EQ(later.registry_sequence(), 6u);
  // Dissolved a day later, it belongs to 2020's year, and counts there too.
  *gone.mutable_dissolve_date() = MakeDate(2019, 11, 16);
  registry_.Put(gone);
  ASSERT_OK(follower_->SyncOnce());
  later = Stats(2019, 2021, "45", "2025-06", v1::GROUP_BY_YEAR);
  EXPECT_EQ(later.rows(0).in_scope(), 4);
  EXPECT_EQ(later.rows(1).in_scope(), 4);
  EXPECT_EQ(later.rows(2).in_scope(), 3);
}

// A unit the registry cannot read (a record too large, one that does not
// parse) must not stop the feed for every other unit: it is skipped, kept
// in the store's list, and applied once it reads again.
TEST_F(ScoringTest, TheFollowerSkipsAnUnreadableUnitAndRetriesIt) {
  registry_.Put(MakeUnit("U5", rv1::UNIT_KIND_AGENCY, "462"));
  registry_.Put(MakeUnit("U6", rv1::UNIT_KIND_AGENCY, "462"));
  registry_.FailUnit(
      "U5", absl::ResourceExhaustedError("Received message larger than max"));
  ASSERT_OK(follower_->SyncOnce());
  EXPECT_EQ(store_->RegistrySequence(), 5u);  // past U5, and U6 applied
  EXPECT_EQ(follower_->skips(), 1);
  EXPECT_EQ(follower_->unreadable(), 1);
  auto waiting = store_->UnreadableUnits();
  ASSERT_OK(waiting);
  EXPECT_EQ(*waiting, std::vector<std::string>{"U5"});
  EXPECT_EQ(
      Stats(2019, 2019, "462", "2025-06", v1::GROUP_BY_YEAR).rows(0).in_scope(),
      2);  // U2 and U6; U5 not yet

  // Still unreadable: kept. The registry away: the retry waits for it.
  ASSERT_OK(follower_->SyncOnce());
  EXPECT_EQ(follower_->unreadable(), 1);
  registry_.SetReachable(false);
  EXPECT_CODE(follower_->SyncOnce(), absl::StatusCode::kUnavailable);
  registry_.SetReachable(true);

  registry_.FailUnit("U5", absl::OkStatus());
  ASSERT_OK(follower_->SyncOnce());
  EXPECT_EQ(follower_->unreadable(), 0);
  EXPECT_EQ(follower_->skips(), 1);
  waiting = store_->UnreadableUnits();
  ASSERT_OK(waiting);
  EXPECT_TRUE(waiting->empty());
  EXPECT_EQ(
      Stats(2019, 2019, "462", "2025-06", v1::GROUP_BY_YEAR).rows(0).in_scope(),
      3);
}

// A registry that is unreachable for one unit's read is not a skip: the
// page is retried as a whole.
TEST_F(ScoringTest, TheFollowerDoesNotSkipAUnitWhenTheRegistryIsAway) {
  registry_.Put(MakeUnit("U5", rv1::UNIT_KIND_AGENCY, "462"));
  registry_.FailUnit("U5", absl::UnavailableError("connection reset"));
  EXPECT_CODE(follower_->SyncOnce(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(follower_->skips(), 0);
  EXPECT_EQ(store_->RegistrySequence(), 0u);  // the page is read again
  registry_.FailUnit("U5", absl::OkStatus());
  ASSERT_OK(follower_->SyncOnce());
  EXPECT_EQ(store_->RegistrySequence(), 4u);
}

// The follower's lag is the feed's head less what the mirror applied, as of
// its last page; its last success is the last time it reached the end.
TEST_F(ScoringTest, TheFollowerReportsItsLagAndLastSuccess) {
  registry_.Put(MakeUnit("U5", rv1::UNIT_KIND_AGENCY, "462"));
  registry_.FailUnit("U5", absl::UnavailableError("connection reset"));
  EXPECT_CODE(follower_->SyncOnce(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(follower_->lag(), 4);  // nothing applied of the 4 changes
  EXPECT_EQ(follower_->last_success(), 0);

  registry_.FailUnit("U5", absl::OkStatus());
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  ASSERT_OK(follower_->SyncOnce());
  EXPECT_EQ(follower_->lag(), 0);
  EXPECT_GE(follower_->last_success(), before);
  EXPECT_LE(follower_->last_success(), absl::ToUnixSeconds(absl::Now()));
}

// Over several pages, the lag counts what is left after each page applied;
// a page that fails leaves the lag of what is not applied.
TEST_F(ScoringTest, TheFollowerLagFollowsItsPages) {
  for (int i = 0; i < 600; ++i) {  // sequences 4 to 603
    registry_.Put(MakeUnit(absl::StrCat("P", i), rv1::UNIT_KIND_AGENCY, "462"));
  }
  registry_.FailUnit("P550", absl::UnavailableError("connection reset"));
  EXPECT_CODE(follower_->SyncOnce(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_->RegistrySequence(), 500u);  // the first page applied
  EXPECT_EQ(follower_->lag(), 103);
  registry_.FailUnit("P550", absl::OkStatus());
  ASSERT_OK(follower_->SyncOnce());
  EXPECT_EQ(store_->RegistrySequence(), 603u);
  EXPECT_EQ(follower_->lag(), 0);
}

TEST_F(ScoringTest, StatsRejectBadArguments) {
  v1::GetSafetyStatsRequest request;
  request.set_first_year(2020);
  request.set_last_year(2019);
  request.set_area_code("461");  // a legacy district, not of 2026-07
  request.set_kind(static_cast<rv1::UnitKind>(9));
  request.set_group_by(static_cast<v1::GroupBy>(9));
  EXPECT_EQ(
      Fields(scoring_->GetSafetyStats(Admin(), request).status()),
      (std::vector<std::string>{"last_year", "area_code", "kind", "group_by"}));
  request.Clear();
  request.set_first_year(1900);
  request.set_last_year(2019);
  request.set_edition("1999-01");
  EXPECT_EQ(Fields(scoring_->GetSafetyStats(Admin(), request).status()),
            (std::vector<std::string>{"first_year", "edition"}));
}

// ------------------------------------------------------------ History

TEST_F(ScoringTest, HistoryCountsConsecutiveRecognisedYears) {
  MustRecognize(Answers("U1", 2015, 95));
  // 2016 missing breaks the run.
  MustRecognize(Answers("U1", 2017, 95));
  MustRecognize(Answers("U1", 2018, 95));
  MustRecognize(Answers("U1", 2019, 95));
  v1::Assessment with_event = Answers("U1", 2020, 95);
  v1::Event* event = with_event.add_events();
  event->set_type("7.3.1");
  event->set_description("Khiếu kiện đông người");
  MustSubmit(with_event);
  v1::GetUnitHistoryRequest request;
  request.set_unit_id("U1");
  request.set_up_to_year(2019);
  auto history = scoring_->GetUnitHistory(Admin(), request);
  ASSERT_OK(history);
  EXPECT_EQ(history->years_size(), 4);
  EXPECT_EQ(history->years(0).events(), 0);
  EXPECT_EQ(history->consecutive_recognized_years(), 3);
  request.set_up_to_year(2020);
  auto to_2020 = scoring_->GetUnitHistory(Admin(), request);
  ASSERT_OK(to_2020);
  EXPECT_EQ(to_2020->consecutive_recognized_years(), 0);
  ASSERT_EQ(to_2020->years_size(), 5);
  EXPECT_EQ(to_2020->years(4).events(), 1);
  ASSERT_EQ(to_2020->years(4).event_types_size(), 1);
  EXPECT_EQ(to_2020->years(4).event_types(0), "7.3.1");
  request.set_up_to_year(2016);
  EXPECT_EQ(scoring_->GetUnitHistory(Admin(), request)
                ->consecutive_recognized_years(),
            0);
  request.clear_unit_id();
  request.set_up_to_year(3000);
  EXPECT_EQ(Fields(scoring_->GetUnitHistory(Admin(), request).status()),
            (std::vector<std::string>{"unit_id", "up_to_year"}));
}

// ------------------------------------------------------------ Score, criteria

TEST_F(ScoringTest, ScoreByKindOrByUnit) {
  v1::ScoreRequest request;
  request.set_unit_kind(rv1::UNIT_KIND_EDUCATION);
  request.set_year(2023);
  for (const char* id : {"7.1", "7.2", "7.5", "7.6"}) {
    v1::ConditionAnswer* answer = request.add_conditions();
    answer->set_condition_id(id);
    answer->set_met(true);
  }
  v1::Event* violence = request.add_events();
  violence->set_type("7.4.1");
  violence->set_description("Học sinh đánh nhau");
  auto result = scoring_->Score(Admin(), request);
  ASSERT_OK(result);
  EXPECT_EQ(result->criteria_set_id(), "TT124-2021/CSGD");
  EXPECT_FALSE(result->meets_standard());

  request.set_unit_id("U2");  // an enterprise: the 2022 agency/enterprise set
  request.clear_events();
  EXPECT_CODE(scoring_->Score(Admin(), request),
              absl::StatusCode::kInvalidArgument);
  request.set_unit_id("U404");
  EXPECT_CODE(scoring_->Score(Admin(), request), absl::StatusCode::kNotFound);
  registry_.SetReachable(false);
  request.set_unit_id("U1");
  EXPECT_CODE(scoring_->Score(Admin(), request),
              absl::StatusCode::kUnavailable);
  request.clear_unit();
  EXPECT_EQ(Fields(scoring_->Score(Admin(), request).status()),
            std::vector<std::string>{"unit"});
}

TEST_F(ScoringTest, CriteriaSetsAreListedAndFound) {
  v1::ListCriteriaSetsRequest list;
  list.set_kind(rv1::UNIT_KIND_ENTERPRISE);
  list.set_year(2019);
  auto sets = scoring_->ListCriteriaSets(list);
  ASSERT_OK(sets);
  ASSERT_EQ(sets->criteria_sets_size(), 1);
  EXPECT_EQ(sets->criteria_sets(0).id(), "TT23-2012/CQDN");
  list.set_year(1);
  EXPECT_EQ(Fields(scoring_->ListCriteriaSets(list).status()),
            std::vector<std::string>{"year"});

  v1::GetCriteriaSetRequest get;
  get.set_id("TT124-2021/CSGD");
  ASSERT_OK(scoring_->GetCriteriaSet(get));
  get.set_id("TT999");
  EXPECT_CODE(scoring_->GetCriteriaSet(get), absl::StatusCode::kNotFound);
  get.clear_id();
  EXPECT_EQ(Fields(scoring_->GetCriteriaSet(get).status()),
            std::vector<std::string>{"id"});
}

TEST_F(ScoringTest, ListAssessmentsFiltersAndPages) {
  MustRecognize(Answers("U1", 2019, 95));
  MustSubmit(Answers("U2", 2019, 75));
  MustSubmit(Answers("U3", 2018, 40, false));
  v1::ListAssessmentsRequest request;
  request.set_edition("2025-06");
  request.set_area_code("461");
  auto in_district = scoring_->ListAssessments(Admin(), request);
  ASSERT_OK(in_district);
  EXPECT_EQ(in_district->total_size(), 2);  // U1 and U3

  request.Clear();
  request.set_stage(v1::STAGE_RECOGNIZED);
  EXPECT_EQ(scoring_->ListAssessments(Admin(), request)->total_size(), 1);
  request.Clear();
  request.set_classification(v1::CLASSIFICATION_GOOD);
  EXPECT_EQ(scoring_->ListAssessments(Admin(), request)->total_size(), 1);
  request.Clear();
  request.set_year(2019);
  request.set_page_size(1);
  auto page = scoring_->ListAssessments(Admin(), request);
  ASSERT_OK(page);
  EXPECT_EQ(page->total_size(), 2);
  ASSERT_FALSE(page->next_page_token().empty());
  request.set_page_token(page->next_page_token());
  auto second = scoring_->ListAssessments(Admin(), request);
  ASSERT_OK(second);
  ASSERT_EQ(second->assessments_size(), 1);
  EXPECT_NE(second->assessments(0).id(), page->assessments(0).id());
  EXPECT_TRUE(second->next_page_token().empty());

  request.Clear();
  request.set_stage(static_cast<v1::Stage>(42));
  request.set_area_code("99999");
  EXPECT_EQ(Fields(scoring_->ListAssessments(Admin(), request).status()),
            (std::vector<std::string>{"area_code", "stage"}));
}

// ------------------------------------------------------------ Area scope

// An officer limited to district 461 (Đông Hà) of the 2025-06 lists: U1 and U3
// lie in it, U2 (district 462) does not.
Principal DongHaOfficer() {
  return Principal{"officer-461", Role::kOfficer, "461", "2025-06"};
}

// PERMISSION_DENIED naming the officer and `thing`, and not `hidden` (a
// unit outside the officer's area it did not name itself).
void ExpectOutside(const absl::Status& status, const std::string& thing,
                   const std::string& hidden = "") {
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_NE(status.message().find("officer-461"), std::string::npos) << status;
  EXPECT_NE(status.message().find(thing), std::string::npos) << status;
  if (!hidden.empty()) {
    EXPECT_EQ(status.message().find(hidden), std::string::npos) << status;
  }
}

// Score the answers of `a` for its unit.
v1::ScoreRequest ScoreOf(const v1::Assessment& a) {
  v1::ScoreRequest request;
  request.set_unit_id(a.unit_id());
  request.set_year(a.year());
  *request.mutable_conditions() = a.conditions();
  *request.mutable_events() = a.events();
  *request.mutable_points() = a.points();
  return request;
}

v1::GetAssessmentRequest GetRequest(const std::string& id) {
  v1::GetAssessmentRequest request;
  request.set_id(id);
  return request;
}

v1::ListAssessmentsRequest ListRequest(const std::string& unit_id,
                                       const std::string& edition,
                                       const std::string& area_code) {
  v1::ListAssessmentsRequest request;
  request.set_unit_id(unit_id);
  request.set_edition(edition);
  request.set_area_code(area_code);
  return request;
}

v1::GetSafetyStatsRequest StatsRequest(const std::string& edition,
                                       const std::string& area_code) {
  v1::GetSafetyStatsRequest request;
  request.set_first_year(2019);
  request.set_last_year(2019);
  request.set_edition(edition);
  request.set_area_code(area_code);
  return request;
}

v1::GetUnitHistoryRequest HistoryRequest(const std::string& unit_id) {
  v1::GetUnitHistoryRequest request;
  request.set_unit_id(unit_id);
  return request;
}

TEST_F(ScoringTest, AnOfficerScoresUnitsOfItsAreaOnly) {
  auto inside =
      scoring_->Score(DongHaOfficer(), ScoreOf(Answers("U1", 2019, 95)));
  ASSERT_OK(inside);
  EXPECT_TRUE(inside->meets_standard());
  const v1::ScoreRequest outside = ScoreOf(Answers("U2", 2019, 95));
  ExpectOutside(scoring_->Score(DongHaOfficer(), outside).status(), "unit U2");
  EXPECT_OK(scoring_->Score(Admin(), outside));
  // Scoring by kind touches no unit: no area to check.
  v1::ScoreRequest by_kind = outside;
  by_kind.set_unit_kind(rv1::UNIT_KIND_ENTERPRISE);
  EXPECT_OK(scoring_->Score(DongHaOfficer(), by_kind));
}

TEST_F(ScoringTest, AnOfficerSubmitsForUnitsOfItsAreaOnly) {
  v1::SubmitAssessmentRequest request;
  *request.mutable_assessment() = Answers("U2", 2019, 95);
  request.set_request_id("outside-1");
  ExpectOutside(scoring_->SubmitAssessment(DongHaOfficer(), request).status(),
                "unit U2");
  auto stored = scoring_->ListAssessments(Admin(), ListRequest("U2", "", ""));
  ASSERT_OK(stored);
  EXPECT_EQ(stored->total_size(), 0);

  // Refused before the unit's own rules: the officer learns nothing of it.
  rv1::Unit dissolved = MakeUnit("U5", rv1::UNIT_KIND_AGENCY, "462");
  dissolved.set_status(rv1::UNIT_STATUS_DISSOLVED);
  registry_.Put(dissolved);
  *request.mutable_assessment() = Answers("U5", 2019, 95);
  request.set_request_id("outside-2");
  ExpectOutside(scoring_->SubmitAssessment(DongHaOfficer(), request).status(),
                "unit U5");

  *request.mutable_assessment() = Answers("U1", 2019, 95);
  request.set_request_id("inside-1");
  EXPECT_OK(scoring_->SubmitAssessment(DongHaOfficer(), request));
}

// Request ids are kept per caller: another caller's identical id is a
// submission of its own. A retry answers with the first assessment only
// while it is in the caller's area: a principal whose area was narrowed since
// (the same name, reloaded with an area) is refused.
TEST_F(ScoringTest, ARetryShowsTheFirstAnswerOnlyWithinTheCallersArea) {
  v1::SubmitAssessmentRequest request;
  *request.mutable_assessment() = Answers("U2", 2019, 95);
  request.set_request_id("req-U2");
  const Principal before{"officer-461", Role::kOfficer, "", ""};
  const absl::StatusOr<v1::Assessment> first =
      scoring_->SubmitAssessment(before, request);
  ASSERT_OK(first);
  *request.mutable_assessment() = Answers("U1", 2019, 95);
  ExpectOutside(scoring_->SubmitAssessment(DongHaOfficer(), request).status(),
                "assessment " + first->id(), "U2");

  const absl::StatusOr<v1::Assessment> own =
      scoring_->SubmitAssessment(Admin(), request);
  ASSERT_OK(own);
  EXPECT_NE(own->id(), first->id());
  EXPECT_EQ(own->unit_id(), "U1");
}

TEST_F(ScoringTest, AnOfficerReviewsAssessmentsOfItsAreaOnly) {
  const v1::Assessment inside = MustSubmit(Answers("U1", 2019, 95));
  const v1::Assessment outside = MustSubmit(Answers("U2", 2019, 95));
  v1::ReviewAssessmentRequest request;
  request.set_id(outside.id());
  request.set_approve(true);
  ExpectOutside(scoring_->ReviewAssessment(DongHaOfficer(), request).status(),
                "assessment " + outside.id(), "U2");
  auto unchanged = scoring_->GetAssessment(Admin(), GetRequest(outside.id()));
  ASSERT_OK(unchanged);
  EXPECT_EQ(unchanged->SerializeAsString(), outside.SerializeAsString());

  request.set_id("A0000000099");
  EXPECT_CODE(scoring_->ReviewAssessment(DongHaOfficer(), request),
              absl::StatusCode::kNotFound);
  request.set_id(inside.id());
  auto reviewed = scoring_->ReviewAssessment(DongHaOfficer(), request);
  ASSERT_OK(reviewed);
  EXPECT_EQ(reviewed->stage(), v1::STAGE_REVIEWED);
}

TEST_F(ScoringTest, AnOfficersDecisionWithAnyUnitOutsideItsAreaWritesNothing) {
  const v1::Assessment u1 = MustSubmit(Answers("U1", 2019, 95));
  const v1::Assessment u2 = MustSubmit(Answers("U2", 2019, 95));
  ASSERT_OK(Review(u1, true));
  ASSERT_OK(Review(u2, true));
  v1::RecognizeAssessmentsRequest request;
  request.add_assessment_ids(u1.id());
  request.add_assessment_ids(u2.id());
  request.set_recognized(true);
  request.set_decision_number("7/QĐ-UBND");
  request.mutable_decision_date()->set_year(2019);
  request.mutable_decision_date()->set_month(11);
  request.mutable_decision_date()->set_day(28);
  request.set_authority("UBND thành phố Đông Hà");
  ExpectOutside(
      scoring_->RecognizeAssessments(DongHaOfficer(), request).status(),
      "assessment " + u2.id(), "U2");
  for (const v1::Assessment& a : {u1, u2}) {
    auto stored = scoring_->GetAssessment(Admin(), GetRequest(a.id()));
    ASSERT_OK(stored);
    EXPECT_EQ(stored->stage(), v1::STAGE_REVIEWED);
  }

  request.clear_assessment_ids();
  request.add_assessment_ids(u1.id());
  request.add_assessment_ids("A0000000099");
  EXPECT_CODE(scoring_->RecognizeAssessments(DongHaOfficer(), request),
              absl::StatusCode::kNotFound);
  request.clear_assessment_ids();
  request.add_assessment_ids(u1.id());
  auto recognized = scoring_->RecognizeAssessments(DongHaOfficer(), request);
  ASSERT_OK(recognized);
  EXPECT_EQ(recognized->assessments(0).stage(), v1::STAGE_RECOGNIZED);
}

TEST_F(ScoringTest, AnOfficerReadsAssessmentsOfItsAreaOnly) {
  const v1::Assessment inside = MustSubmit(Answers("U1", 2019, 95));
  const v1::Assessment outside = MustSubmit(Answers("U2", 2019, 95));
  EXPECT_OK(scoring_->GetAssessment(DongHaOfficer(), GetRequest(inside.id())));
  ExpectOutside(
      scoring_->GetAssessment(DongHaOfficer(), GetRequest(outside.id()))
          .status(),
      "assessment " + outside.id(), "U2");
  EXPECT_CODE(
      scoring_->GetAssessment(DongHaOfficer(), GetRequest("A0000000099")),
      absl::StatusCode::kNotFound);
  // The unit's area comes from the registry: without it an officer's read
  // cannot be checked, while an unrestricted caller needs no registry.
  registry_.SetReachable(false);
  EXPECT_CODE(scoring_->GetAssessment(DongHaOfficer(), GetRequest(inside.id())),
              absl::StatusCode::kUnavailable);
  EXPECT_OK(scoring_->GetAssessment(Admin(), GetRequest(outside.id())));
}

TEST_F(ScoringTest, AnOfficerListsByAUnitOrAnAreaInsideItsOwn) {
  MustSubmit(Answers("U1", 2019, 95));
  MustSubmit(Answers("U2", 2019, 95));
  MustSubmit(Answers("U3", 2019, 95));
  const Principal officer = DongHaOfficer();

  auto by_unit = scoring_->ListAssessments(officer, ListRequest("U1", "", ""));
  ASSERT_OK(by_unit);
  EXPECT_EQ(by_unit->total_size(), 1);
  ExpectOutside(
      scoring_->ListAssessments(officer, ListRequest("U2", "", "")).status(),
      "unit U2");
  EXPECT_CODE(scoring_->ListAssessments(officer, ListRequest("U404", "", "")),
              absl::StatusCode::kNotFound);

  auto by_area =
      scoring_->ListAssessments(officer, ListRequest("", "2025-06", "461"));
  ASSERT_OK(by_area);
  EXPECT_EQ(by_area->total_size(), 2);  // U1 and U3
  // A commune of district 461 lies inside it.
  EXPECT_OK(
      scoring_->ListAssessments(officer, ListRequest("", "2025-06", "19330")));
  // The province holding the district, a sibling district, the same code
  // read in the other edition, and no filter at all are refused.
  ExpectOutside(
      scoring_->ListAssessments(officer, ListRequest("", "2025-06", "45"))
          .status(),
      "area 45 of 2025-06");
  ExpectOutside(
      scoring_->ListAssessments(officer, ListRequest("", "2025-06", "462"))
          .status(),
      "area 462 of 2025-06");
  EXPECT_CODE(scoring_->ListAssessments(officer, ListRequest("", "", "44")),
              absl::StatusCode::kPermissionDenied);
  EXPECT_CODE(scoring_->ListAssessments(officer, ListRequest("", "", "")),
              absl::StatusCode::kPermissionDenied);
  // An unrestricted caller lists the whole country.
  auto all = scoring_->ListAssessments(Admin(), ListRequest("", "", ""));
  ASSERT_OK(all);
  EXPECT_EQ(all->total_size(), 3);
}

TEST_F(ScoringTest, AnOfficerReadsStatisticsOfItsAreaOnly) {
  MustSubmit(Answers("U1", 2019, 95));
  const Principal officer = DongHaOfficer();
  auto stats =
      scoring_->GetSafetyStats(officer, StatsRequest("2025-06", "461"));
  ASSERT_OK(stats);
  ASSERT_EQ(stats->rows_size(), 1);
  EXPECT_EQ(stats->rows(0).assessed(), 1);
  ExpectOutside(
      scoring_->GetSafetyStats(officer, StatsRequest("2025-06", "45")).status(),
      "area 45 of 2025-06");
  EXPECT_CODE(scoring_->GetSafetyStats(officer, StatsRequest("", "")),
              absl::StatusCode::kPermissionDenied);
  EXPECT_OK(scoring_->GetSafetyStats(Admin(), StatsRequest("", "")));
}

TEST_F(ScoringTest, AnOfficerReadsTheHistoryOfUnitsOfItsAreaOnly) {
  MustSubmit(Answers("U1", 2019, 95));
  MustSubmit(Answers("U2", 2019, 95));
  auto history =
      scoring_->GetUnitHistory(DongHaOfficer(), HistoryRequest("U1"));
  ASSERT_OK(history);
  EXPECT_EQ(history->years_size(), 1);
  ExpectOutside(
      scoring_->GetUnitHistory(DongHaOfficer(), HistoryRequest("U2")).status(),
      "unit U2");
  EXPECT_CODE(scoring_->GetUnitHistory(DongHaOfficer(), HistoryRequest("U404")),
              absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace antt::scoring
