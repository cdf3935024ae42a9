#include "services/awards/eligibility.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/date.h"
#include "services/awards/award_catalog.h"
#include "tests/testing/test_util.h"

namespace antt::awards {
namespace {

using registry::v1::Person;
using registry::v1::Position;
using scoring::v1::GetUnitHistoryResponse;
using scoring::v1::HistoryYear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kFirst = 2014;
constexpr int kLast = 2019;

// ------------------------------------------------------------------ Builders

Person MakePerson(registry::v1::Gender gender) {
  Person p;
  p.set_id("p1");
  p.set_full_name("Nguyễn Văn A");
  p.set_gender(gender);
  p.set_birth_year(1970);
  p.set_unit_id("u1");
  p.set_status(registry::v1::PERSON_STATUS_ACTIVE);
  return p;
}

// A position from `start` to `end` (end {0,0,0}: ongoing).
void AddPosition(Person* p, registry::v1::PositionRole role,
                 const std::string& unit_id, google::type::Date start,
                 google::type::Date end, bool hardship = false) {
  Position* pos = p->add_positions();
  pos->set_title(role == registry::v1::POSITION_ROLE_LEADER ? "Giám đốc"
                                                            : "Tổ viên");
  pos->set_role(role);
  pos->set_unit_id(unit_id);
  *pos->mutable_start_date() = start;
  *pos->mutable_end_date() = end;
  pos->set_hardship_area(hardship);
}

const google::type::Date kOngoing;

void AddYear(GetUnitHistoryResponse* h, int year, scoring::v1::Stage stage,
             scoring::v1::Classification cls = scoring::v1::CLASSIFICATION_GOOD,
             int events = 0, std::vector<std::string> event_types = {}) {
  HistoryYear* y = h->add_years();
  y->set_year(year);
  y->set_stage(stage);
  y->set_meets_standard(stage == scoring::v1::STAGE_RECOGNIZED);
  y->set_classification(cls);
  y->set_events(events);
  for (const std::string& t : event_types) y->add_event_types(t);
}

// Recognised and GOOD in every year first..last, no events.
GetUnitHistoryResponse RecognizedYears(int first, int last) {
  GetUnitHistoryResponse h;
  for (int year = first; year <= last; ++year) {
    AddYear(&h, year, scoring::v1::STAGE_RECOGNIZED);
  }
  return h;
}

HistoryYear* YearOf(GetUnitHistoryResponse* h, int year) {
  for (HistoryYear& y : *h->mutable_years()) {
    if (y.year() == year) return &y;
  }
  ADD_FAILURE() << "no year " << year;
  return h->add_years();
}

// One more disqualifying event (6.3.a) in `year`.
void AddEvent(GetUnitHistoryResponse* h, int year) {
  HistoryYear* y = YearOf(h, year);
  y->set_events(y->events() + 1);
  y->add_event_types("6.3.a");
}

// An award decided by `decision` on `decided` (by default 15 December 2015,
// inside the 2014-2019 period of the tests).
v1::Nomination Award(const std::string& code, v1::NominationStage stage,
                     const std::string& decision,
                     const google::type::Date& decided = MakeDate(2015, 12,
                                                                  15)) {
  v1::Nomination n;
  n.set_id("n-" + code + "-" + decision);
  n.set_award_type(code);
  n.set_person_id("p1");
  n.set_stage(stage);
  n.set_decision_number(decision);
  *n.mutable_decision_date() = decided;
  return n;
}

// The service of `person` as the rules count it, without dissolved units.
ServiceLength Served(const Person& person, registry::v1::PositionRole role,
                     int last_year, int hardship_multiplier = 2) {
  return CountService(person, role, last_year, hardship_multiplier, {});
}

ServiceLength Length(int years, int months, int days) {
  ServiceLength length;
  length.years = years;
  length.months = months;
  length.days = days;
  return length;
}

std::vector<std::string> RuleIds(const std::vector<v1::RuleResult>& results) {
  std::vector<std::string> ids;
  for (const v1::RuleResult& r : results) ids.push_back(r.rule());
  return ids;
}

// The result of `rule`; a failed expectation (and an empty result) if absent.
v1::RuleResult Rule(const std::vector<v1::RuleResult>& results,
                    const std::string& rule) {
  for (const v1::RuleResult& r : results) {
    if (r.rule() == rule) return r;
  }
  ADD_FAILURE() << "no rule " << rule;
  v1::RuleResult missing;
  missing.set_passed(true);  // so an absent rule never passes a "fails" test
  missing.set_rule("missing " + rule);
  return missing;
}

// The shipped catalogue: the tests pin its parameters on both sides.
class EligibilityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<AwardCatalog>> loaded = AwardCatalog::Load(
        antt::testing::SourceDataDir() + "/awards/award_types.json");
    ASSERT_OK(loaded);
    catalog_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }

  static std::vector<v1::RuleResult> Run(const std::string& code,
                                         const EligibilityFacts& facts) {
    const v1::AwardType* type = catalog_->Find(code);
    const AwardRules* rules = catalog_->Rules(code);
    EXPECT_NE(type, nullptr) << code;
    if (type == nullptr || rules == nullptr) return {};
    return Evaluate(*type, *rules, facts);
  }

  // A KNC_ANTQ candidate who passes every rule: a man leading u1 since
  // 1 January 2010 (10 years to 31/12/2019), with an earlier GK_CAT, no
  // police medal, and u1 clean through the period.
  static EligibilityFacts KncCandidate() {
    EligibilityFacts f;
    f.first_year = kFirst;
    f.last_year = kLast;
    f.recipient_kind = v1::RECIPIENT_KIND_INDIVIDUAL;
    f.person = MakePerson(registry::v1::GENDER_MALE);
    AddPosition(&f.person, registry::v1::POSITION_ROLE_LEADER, "u1",
                MakeDate(2010, 1, 1), kOngoing);
    f.unit_history = RecognizedYears(kFirst, kLast);
    f.led_unit_histories["u1"] = RecognizedYears(kFirst, kLast);
    f.prior_awards.push_back(
        Award("GK_CAT", v1::NOMINATION_STAGE_ISSUED, "15/QĐ-CAT"));
    return f;
  }

  // A KNC_ANTQ candidate with no position yet, for the service-years tests.
  static EligibilityFacts KncWithoutPositions(registry::v1::Gender gender) {
    EligibilityFacts f = KncCandidate();
    f.person = MakePerson(gender);
    return f;
  }

  static EligibilityFacts Collective() {
    EligibilityFacts f;
    f.first_year = kFirst;
    f.last_year = kLast;
    f.recipient_kind = v1::RECIPIENT_KIND_COLLECTIVE;
    f.unit.set_id("u1");
    f.unit.set_name("Trường THPT Nguyễn Du");
    f.unit.set_status(registry::v1::UNIT_STATUS_ACTIVE);
    f.unit_history = RecognizedYears(kFirst, kLast);
    YearOf(&f.unit_history, kLast)
        ->set_classification(scoring::v1::CLASSIFICATION_EXCELLENT);
    return f;
  }

  static EligibilityFacts Individual() {
    EligibilityFacts f;
    f.first_year = kFirst;
    f.last_year = kLast;
    f.recipient_kind = v1::RECIPIENT_KIND_INDIVIDUAL;
    f.person = MakePerson(registry::v1::GENDER_FEMALE);
    f.unit_history = RecognizedYears(kLast, kLast);
    return f;
  }

 private:
  static const AwardCatalog* catalog_;
};

const AwardCatalog* EligibilityTest::catalog_ = nullptr;

// ---------------------------------------------------------------- KNC_ANTQ

TEST_F(EligibilityTest, KncCandidatePassesEveryRuleInOrder) {
  const std::vector<v1::RuleResult> results = Run("KNC_ANTQ", KncCandidate());
  EXPECT_THAT(RuleIds(results),
              ElementsAre("KNC_ANTQ.once_per_person", "KNC_ANTQ.service_years",
                          "KNC_ANTQ.prior_commendation",
                          "KNC_ANTQ.police_service_medal",
                          "KNC_ANTQ.no_event_in_period"));
  for (const v1::RuleResult& r : results) {
    EXPECT_TRUE(r.passed()) << r.rule() << ": " << r.detail();
    EXPECT_FALSE(r.detail().empty()) << r.rule();
  }
  EXPECT_TRUE(AllPassed(results));
}

TEST_F(EligibilityTest, LeaderTenYearsPassesNineDotNineFails) {
  EligibilityFacts ten = KncCandidate();  // from 1/1/2010
  v1::RuleResult r = Rule(Run("KNC_ANTQ", ten), "KNC_ANTQ.service_years");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("leader 10 năm, at least 10"));

  EligibilityFacts just_under = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&just_under.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2010, 2, 6), kOngoing);
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", just_under);
  r = Rule(results, "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("leader 9 năm 10 tháng 26 ngày, needs 10"));
  EXPECT_FALSE(AllPassed(results));

  // One day short of ten years is short.
  EligibilityFacts one_day_short =
      KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&one_day_short.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2010, 1, 2), kOngoing);
  r = Rule(Run("KNC_ANTQ", one_day_short), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("leader 9 năm 11 tháng 30 ngày, needs 10"));

  EligibilityFacts nine = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&nine.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2011, 1, 1), kOngoing);
  r = Rule(Run("KNC_ANTQ", nine), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("leader 9 năm, needs 10"));
}

// The boundaries of whole years, in a period with more than the average
// number of leap days (2012 and 2016 in 2011-2020): a day counted as a
// fraction of 365.25 would pass 9 years 364 days as 10.
TEST_F(EligibilityTest, TenYearsAreTenCalendarYearsToTheDay) {
  const auto leader_from = [](const google::type::Date& start) {
    EligibilityFacts f = KncWithoutPositions(registry::v1::GENDER_MALE);
    f.first_year = 2016;
    f.last_year = 2020;
    AddPosition(&f.person, registry::v1::POSITION_ROLE_LEADER, "u1", start,
                kOngoing);
    f.led_unit_histories["u1"] = RecognizedYears(2016, 2020);
    return Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years");
  };
  // The day before: 31 December 2010 to 31 December 2020.
  v1::RuleResult r = leader_from(MakeDate(2010, 12, 31));
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("leader 10 năm 1 ngày"));
  // The day itself: 1 January 2011, exactly ten years.
  r = leader_from(MakeDate(2011, 1, 1));
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("leader 10 năm, at least 10"));
  // The day after: 2 January 2011, a day short.
  r = leader_from(MakeDate(2011, 1, 2));
  EXPECT_FALSE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("leader 9 năm 11 tháng 30 ngày, needs 10"));
}

TEST_F(EligibilityTest, LengthOfCountsCalendarYearsMonthsAndDays) {
  using absl::CivilDay;
  EXPECT_EQ(LengthOf(CivilDay(2010, 1, 1), CivilDay(2019, 12, 31)),
            Length(10, 0, 0));
  EXPECT_EQ(LengthOf(CivilDay(2011, 1, 2), CivilDay(2020, 12, 31)),
            Length(9, 11, 30));
  EXPECT_EQ(LengthOf(CivilDay(2020, 3, 1), CivilDay(2020, 3, 1)),
            Length(0, 0, 1));
  EXPECT_EQ(LengthOf(CivilDay(2020, 3, 2), CivilDay(2020, 3, 1)),
            Length(0, 0, 0));
  // From the 31st, a month is not over before the 3rd of March (2019): the
  // day February lacks runs on.
  EXPECT_EQ(LengthOf(CivilDay(2019, 1, 31), CivilDay(2019, 2, 28)),
            Length(0, 0, 29));
  EXPECT_EQ(LengthOf(CivilDay(2019, 1, 31), CivilDay(2019, 3, 2)),
            Length(0, 1, 0));
  // From 29 February, a year is over on 28 February of a common year.
  EXPECT_EQ(LengthOf(CivilDay(2016, 2, 29), CivilDay(2017, 2, 28)),
            Length(1, 0, 0));
  EXPECT_EQ(LengthOf(CivilDay(2016, 2, 29), CivilDay(2017, 2, 27)),
            Length(0, 11, 30));

  ServiceLength sum = Length(4, 11, 20);
  sum += Length(5, 1, 15);
  EXPECT_EQ(sum, Length(10, 0, 35));  // days are never carried into months
  EXPECT_TRUE(sum.AtLeast(10));
  EXPECT_FALSE(Length(9, 11, 60).AtLeast(10));
  EXPECT_TRUE(Length(2, 6, 0).AtLeast(2.5));
  EXPECT_FALSE(Length(2, 5, 30).AtLeast(2.5));
  EXPECT_EQ(Length(4, 11, 30).Times(2), Length(9, 10, 60));
  EXPECT_EQ(Length(9, 11, 30).Text(), "9 năm 11 tháng 30 ngày");
  EXPECT_EQ(Length(10, 0, 0).Text(), "10 năm");
  EXPECT_EQ(Length(0, 0, 0).Text(), "0 ngày");
}

TEST_F(EligibilityTest, ProtectionTeamMenFifteenPassesFourteenFails) {
  EligibilityFacts fifteen = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&fifteen.person, registry::v1::POSITION_ROLE_PROTECTION_TEAM,
              "u1", MakeDate(2005, 1, 1), kOngoing);
  v1::RuleResult r = Rule(Run("KNC_ANTQ", fifteen), "KNC_ANTQ.service_years");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("protection team 15 năm"));

  EligibilityFacts fourteen = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&fourteen.person, registry::v1::POSITION_ROLE_PROTECTION_TEAM,
              "u1", MakeDate(2006, 1, 1), kOngoing);
  r = Rule(Run("KNC_ANTQ", fourteen), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("protection team 14 năm, needs 15 (men)"));
}

TEST_F(EligibilityTest, ProtectionTeamWomenTenPassesNineFails) {
  EligibilityFacts ten = KncWithoutPositions(registry::v1::GENDER_FEMALE);
  AddPosition(&ten.person, registry::v1::POSITION_ROLE_PROTECTION_TEAM, "u1",
              MakeDate(2010, 1, 1), kOngoing);
  v1::RuleResult r = Rule(Run("KNC_ANTQ", ten), "KNC_ANTQ.service_years");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("at least 10 (women)"));

  EligibilityFacts nine = KncWithoutPositions(registry::v1::GENDER_FEMALE);
  AddPosition(&nine.person, registry::v1::POSITION_ROLE_PROTECTION_TEAM, "u1",
              MakeDate(2011, 1, 1), kOngoing);
  r = Rule(Run("KNC_ANTQ", nine), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("protection team 9 năm, needs 10 (women)"));

  // The same ten years do not suffice for a man.
  EligibilityFacts man = ten;
  man.person.set_gender(registry::v1::GENDER_MALE);
  r = Rule(Run("KNC_ANTQ", man), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("needs 15 (men)"));
}

TEST_F(EligibilityTest, ProtectionTeamWithoutGenderFails) {
  EligibilityFacts f = KncWithoutPositions(registry::v1::GENDER_UNSPECIFIED);
  AddPosition(&f.person, registry::v1::POSITION_ROLE_PROTECTION_TEAM, "u1",
              MakeDate(1990, 1, 1), kOngoing);
  v1::RuleResult r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("gender not recorded"));
}

TEST_F(EligibilityTest, StaffYearsDoNotCount) {
  EligibilityFacts f = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&f.person, registry::v1::POSITION_ROLE_STAFF, "u1",
              MakeDate(1990, 1, 1), kOngoing);
  v1::RuleResult r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("leader 0 ngày, needs 10"));
}

TEST_F(EligibilityTest, HardshipYearsCountDouble) {
  // Six real years, 2014-2019, in a hardship area: twelve for the medal.
  EligibilityFacts hardship = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&hardship.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2014, 1, 1), kOngoing, /*hardship=*/true);
  EXPECT_EQ(Served(hardship.person, registry::v1::POSITION_ROLE_LEADER, kLast),
            Length(12, 0, 0));
  EXPECT_EQ(
      Served(hardship.person, registry::v1::POSITION_ROLE_LEADER, kLast, 1),
      Length(6, 0, 0));
  v1::RuleResult r = Rule(Run("KNC_ANTQ", hardship), "KNC_ANTQ.service_years");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("leader 12 năm (hardship counted double)"));

  EligibilityFacts plain = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&plain.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2014, 1, 1), kOngoing, /*hardship=*/false);
  r = Rule(Run("KNC_ANTQ", plain), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("leader 6 năm, needs 10"));
  EXPECT_THAT(r.detail(), Not(HasSubstr("hardship")));

  // A woman's protection-team years double too: 5 hardship years = 10.
  EligibilityFacts woman = KncWithoutPositions(registry::v1::GENDER_FEMALE);
  AddPosition(&woman.person, registry::v1::POSITION_ROLE_PROTECTION_TEAM, "u1",
              MakeDate(2015, 1, 1), kOngoing, /*hardship=*/true);
  r = Rule(Run("KNC_ANTQ", woman), "KNC_ANTQ.service_years");
  EXPECT_TRUE(r.passed()) << r.detail();

  // Doubled exactly: five hardship years less a day (4 năm 11 tháng 30 ngày)
  // are 9 năm 10 tháng 60 ngày, not ten.
  EligibilityFacts short_hardship =
      KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&short_hardship.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2015, 1, 2), kOngoing, /*hardship=*/true);
  r = Rule(Run("KNC_ANTQ", short_hardship), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("leader 9 năm 10 tháng 60 ngày"));
}

// A change between ordinary and hardship posts inside one run of service
// loses no day: the run is measured once, the hardship part added again.
TEST_F(EligibilityTest, AChangeOfKindInsideARunLosesNoDay) {
  const auto leader = registry::v1::POSITION_ROLE_LEADER;
  Person p = MakePerson(registry::v1::GENDER_MALE);
  AddPosition(&p, leader, "u1", MakeDate(2010, 1, 1), MakeDate(2014, 6, 15));
  AddPosition(&p, leader, "u2", MakeDate(2014, 6, 16), kOngoing,
              /*hardship=*/true);
  EXPECT_EQ(Served(p, leader, kLast, 1), Length(10, 0, 0));
  // 16 June 2014 - 31 December 2019 once more: 5 năm 6 tháng 16 ngày.
  EXPECT_EQ(Served(p, leader, kLast, 2), Length(15, 6, 16));

  // One hardship day inside ten years is ten years and a day.
  Person q = MakePerson(registry::v1::GENDER_MALE);
  AddPosition(&q, leader, "u1", MakeDate(2010, 1, 1), kOngoing);
  AddPosition(&q, leader, "u2", MakeDate(2014, 6, 16), MakeDate(2014, 6, 16),
              /*hardship=*/true);
  EXPECT_EQ(Served(q, leader, kLast, 2), Length(10, 0, 1));
}

TEST_F(EligibilityTest, PositionsAreCappedAtThirtyFirstDecemberOfLastYear) {
  // Leading u1 2010-2030: only 2010-2019 counts for a 2014-2019 campaign.
  EligibilityFacts f = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&f.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2010, 1, 1), MakeDate(2030, 12, 31));
  EXPECT_EQ(Served(f.person, registry::v1::POSITION_ROLE_LEADER, kLast),
            Length(10, 0, 0));
  v1::RuleResult r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("counted to 31 December 2019"));

  // The same positions in a campaign ending 2018: 9 years, not enough.
  f.last_year = 2018;
  r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("leader 9 năm, needs 10"));
  EXPECT_THAT(r.detail(), HasSubstr("counted to 31 December 2018"));

  // A position starting after the cut-off counts nothing.
  Person later = MakePerson(registry::v1::GENDER_MALE);
  AddPosition(&later, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2020, 1, 1), kOngoing);
  EXPECT_EQ(Served(later, registry::v1::POSITION_ROLE_LEADER, kLast),
            Length(0, 0, 0));
}

// A position ends at the latest when its unit is dissolved: a leader post
// without an end date at a unit dissolved in 2016 stops counting then, for
// the years of service and for the years the person led the unit.
TEST_F(EligibilityTest, APositionEndsWhenItsUnitIsDissolved) {
  EligibilityFacts f = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&f.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2006, 1, 1), kOngoing);
  // Dissolved on 30 June 2016: the day before, the day itself, the day after.
  for (const auto& [day, length] :
       std::vector<std::pair<google::type::Date, ServiceLength>>{
           {MakeDate(2016, 6, 29), Length(10, 5, 29)},
           {MakeDate(2016, 6, 30), Length(10, 6, 0)},
           {MakeDate(2016, 7, 1), Length(10, 6, 1)}}) {
    EXPECT_EQ(CountService(f.person, registry::v1::POSITION_ROLE_LEADER, kLast,
                           2, {{"u1", day}}),
              length);
  }
  f.unit_dissolve_dates["u1"] = MakeDate(2015, 12, 30);
  v1::RuleResult r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years");
  EXPECT_FALSE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("leader 9 năm 11 tháng 30 ngày"));
  f.unit_dissolve_dates["u1"] = MakeDate(2015, 12, 31);
  EXPECT_TRUE(Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years").passed());

  // Led 2014-2016 only: an event in 2017 (after the dissolution, in data
  // that says otherwise) is not the person's.
  f.unit_dissolve_dates["u1"] = MakeDate(2016, 6, 30);
  f.led_unit_histories["u1"] = RecognizedYears(kFirst, kLast);
  AddEvent(&f.led_unit_histories["u1"], 2017);
  r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.no_event_in_period");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("u1 (2014-2016)"));
  AddEvent(&f.led_unit_histories["u1"], 2016);
  EXPECT_FALSE(
      Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.no_event_in_period").passed());
}

TEST_F(EligibilityTest, OverlappingPositionsCountOnce) {
  // Leading two units at once for six years is six years, not twelve.
  EligibilityFacts f = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&f.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2014, 1, 1), kOngoing);
  AddPosition(&f.person, registry::v1::POSITION_ROLE_LEADER, "u2",
              MakeDate(2014, 1, 1), kOngoing);
  f.led_unit_histories["u2"] = RecognizedYears(kFirst, kLast);
  EXPECT_EQ(Served(f.person, registry::v1::POSITION_ROLE_LEADER, kLast),
            Length(6, 0, 0));
  EXPECT_FALSE(Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.service_years").passed());

  // Consecutive positions add up: 2010-2014 in u1, 2015-2019 in u2.
  EligibilityFacts seq = KncWithoutPositions(registry::v1::GENDER_MALE);
  AddPosition(&seq.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2010, 1, 1), MakeDate(2014, 12, 31));
  AddPosition(&seq.person, registry::v1::POSITION_ROLE_LEADER, "u2",
              MakeDate(2015, 1, 1), kOngoing);
  seq.led_unit_histories["u2"] = RecognizedYears(kFirst, kLast);
  EXPECT_TRUE(Rule(Run("KNC_ANTQ", seq), "KNC_ANTQ.service_years").passed());
}

TEST_F(EligibilityTest, NoPriorCommendationFails) {
  EligibilityFacts f = KncCandidate();
  f.prior_awards.clear();
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", f);
  v1::RuleResult r = Rule(results, "KNC_ANTQ.prior_commendation");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("no earlier commendation"));
  EXPECT_FALSE(AllPassed(results));

  // A revoked commendation is no commendation.
  f.prior_awards.push_back(
      Award("GK_CAT", v1::NOMINATION_STAGE_REVOKED, "9/QĐ-CAT"));
  r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.prior_commendation");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("1 revoked award not counted"));

  // An issued one of any type counts, and is named.
  f.prior_awards.push_back(
      Award("BK_UBND_TINH", v1::NOMINATION_STAGE_ISSUED, "77/QĐ-UBND"));
  r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.prior_commendation");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("BK_UBND_TINH (decision 77/QĐ-UBND)"));
}

// Only a commendation decided by the end of the campaign's period counts:
// the day itself, not the day after.
TEST_F(EligibilityTest, ACommendationDecidedAfterThePeriodDoesNotCount) {
  EligibilityFacts f = KncCandidate();
  f.prior_awards.clear();
  f.prior_awards.push_back(Award("GK_CAT", v1::NOMINATION_STAGE_ISSUED,
                                 "3/QĐ-CAT", MakeDate(2020, 1, 1)));
  v1::RuleResult r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.prior_commendation");
  EXPECT_FALSE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("by 31 December 2019 (1 award decided "
                                    "after it, or without a decision date"));
  f.prior_awards[0] = Award("GK_CAT", v1::NOMINATION_STAGE_ISSUED, "3/QĐ-CAT",
                            MakeDate(2019, 12, 31));
  EXPECT_TRUE(Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.prior_commendation").passed());
  f.prior_awards[0] = Award("GK_CAT", v1::NOMINATION_STAGE_ISSUED, "3/QĐ-CAT",
                            MakeDate(2019, 12, 30));
  EXPECT_TRUE(Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.prior_commendation").passed());
  f.prior_awards[0].clear_decision_date();
  EXPECT_FALSE(
      Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.prior_commendation").passed());
}

TEST_F(EligibilityTest, TheMedalASecondTimeFails) {
  EligibilityFacts f = KncCandidate();
  f.prior_awards.push_back(
      Award("KNC_ANTQ", v1::NOMINATION_STAGE_ISSUED, "1234/QĐ-BCA"));
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", f);
  v1::RuleResult r = Rule(results, "KNC_ANTQ.once_per_person");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(),
              HasSubstr("already awarded KNC_ANTQ (decision 1234/QĐ-BCA)"));
  EXPECT_FALSE(AllPassed(results));
}

TEST_F(EligibilityTest, ARevokedMedalDoesNotCount) {
  EligibilityFacts f = KncCandidate();
  f.prior_awards.push_back(
      Award("KNC_ANTQ", v1::NOMINATION_STAGE_REVOKED, "1234/QĐ-BCA"));
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", f);
  v1::RuleResult r = Rule(results, "KNC_ANTQ.once_per_person");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("1 revoked award not counted"));
  EXPECT_TRUE(AllPassed(results));
}

TEST_F(EligibilityTest, PoliceServiceMedalHolderFails) {
  EligibilityFacts f = KncCandidate();
  f.person.set_holds_police_service_medal(true);
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", f);
  v1::RuleResult r = Rule(results, "KNC_ANTQ.police_service_medal");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("holds a police long-service medal"));
  EXPECT_FALSE(AllPassed(results));
}

TEST_F(EligibilityTest, AnEventInALedUnitFailsNamingUnitAndYear) {
  EligibilityFacts f = KncCandidate();
  HistoryYear* y = YearOf(&f.led_unit_histories["u1"], 2017);
  y->set_events(2);
  y->add_event_types("6.3.a");
  y->add_event_types("6.3.d");
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", f);
  v1::RuleResult r = Rule(results, "KNC_ANTQ.no_event_in_period");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(),
              HasSubstr("unit u1: 2 disqualifying events in 2017 (6.3.a, "
                        "6.3.d)"));
  EXPECT_FALSE(AllPassed(results));
}

TEST_F(EligibilityTest, EventsOutsideTheLeadershipInThePeriodDoNotCount) {
  // An event in 2013, before the period, does not count.
  EligibilityFacts before = KncCandidate();
  AddYear(&before.led_unit_histories["u1"], 2013,
          scoring::v1::STAGE_NOT_RECOGNIZED, scoring::v1::CLASSIFICATION_WEAK,
          1, {"6.3.e"});
  EXPECT_TRUE(
      Rule(Run("KNC_ANTQ", before), "KNC_ANTQ.no_event_in_period").passed());

  // u2, led only 2014-2015, had an event in 2018 under someone else.
  EligibilityFacts moved = KncCandidate();
  AddPosition(&moved.person, registry::v1::POSITION_ROLE_LEADER, "u2",
              MakeDate(2012, 3, 1), MakeDate(2015, 6, 30));
  moved.led_unit_histories["u2"] = RecognizedYears(kFirst, kLast);
  YearOf(&moved.led_unit_histories["u2"], 2018)->set_events(1);
  v1::RuleResult r =
      Rule(Run("KNC_ANTQ", moved), "KNC_ANTQ.no_event_in_period");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("u2 (2014-2015)"));

  // ...but one in 2015, while the person led it, fails.
  YearOf(&moved.led_unit_histories["u2"], 2015)->set_events(1);
  r = Rule(Run("KNC_ANTQ", moved), "KNC_ANTQ.no_event_in_period");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("unit u2: 1 disqualifying event in 2015"));
}

TEST_F(EligibilityTest, ALedUnitWithoutHistoryCannotBeCheckedAndFails) {
  EligibilityFacts f = KncCandidate();
  f.led_unit_histories.clear();
  v1::RuleResult r = Rule(Run("KNC_ANTQ", f), "KNC_ANTQ.no_event_in_period");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("unit u1: no history to check"));
}

TEST_F(EligibilityTest, AProtectionTeamMemberLedNoUnit) {
  EligibilityFacts f = KncWithoutPositions(registry::v1::GENDER_FEMALE);
  AddPosition(&f.person, registry::v1::POSITION_ROLE_PROTECTION_TEAM, "u1",
              MakeDate(2008, 1, 1), kOngoing);
  f.led_unit_histories.clear();
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", f);
  v1::RuleResult r = Rule(results, "KNC_ANTQ.no_event_in_period");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(), HasSubstr("led no unit in 2014-2019"));
  EXPECT_TRUE(AllPassed(results));
}

TEST_F(EligibilityTest, KncForAUnitIsTheWrongRecipientKind) {
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", Collective());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].rule(), "KNC_ANTQ.recipient_kind");
  EXPECT_FALSE(results[0].passed());
  EXPECT_THAT(results[0].detail(),
              HasSubstr("KNC_ANTQ is for individuals, not collectives"));
  EXPECT_FALSE(AllPassed(results));

  EligibilityFacts unspecified = KncCandidate();
  unspecified.recipient_kind = v1::RECIPIENT_KIND_UNSPECIFIED;
  results = Run("BK_BCA", unspecified);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].rule(), "BK_BCA.recipient_kind");
  EXPECT_FALSE(results[0].passed());
}

TEST_F(EligibilityTest, AnEmptyCampaignPeriodFails) {
  EligibilityFacts f = KncCandidate();
  f.first_year = 2019;
  f.last_year = 2014;
  std::vector<v1::RuleResult> results = Run("KNC_ANTQ", f);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].rule(), "KNC_ANTQ.campaign_period");
  EXPECT_FALSE(results[0].passed());
}

// ---------------------------------------------------------------- Collectives

TEST_F(EligibilityTest, BkBcaCollectivePassesEveryRule) {
  std::vector<v1::RuleResult> results = Run("BK_BCA", Collective());
  EXPECT_THAT(RuleIds(results),
              ElementsAre("BK_BCA.unit_active", "BK_BCA.recognized_every_year",
                          "BK_BCA.excellent_in_last_year"));
  EXPECT_TRUE(AllPassed(results));
  EXPECT_THAT(Rule(results, "BK_BCA.recognized_every_year").detail(),
              HasSubstr("recognised in every year 2014-2019"));
  EXPECT_THAT(Rule(results, "BK_BCA.excellent_in_last_year").detail(),
              HasSubstr("classified EXCELLENT in 2019"));
}

TEST_F(EligibilityTest, BkBcaWithAMissingYearNamesIt) {
  EligibilityFacts f = Collective();
  GetUnitHistoryResponse h;
  for (int year = kFirst; year <= kLast; ++year) {
    if (year != 2016) AddYear(&h, year, scoring::v1::STAGE_RECOGNIZED);
  }
  YearOf(&h, kLast)->set_classification(scoring::v1::CLASSIFICATION_EXCELLENT);
  f.unit_history = h;
  std::vector<v1::RuleResult> results = Run("BK_BCA", f);
  v1::RuleResult r = Rule(results, "BK_BCA.recognized_every_year");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("not recognised in 2016"));
  EXPECT_THAT(r.detail(), Not(HasSubstr("2015")));
  EXPECT_THAT(r.detail(), Not(HasSubstr("2017")));
  EXPECT_FALSE(AllPassed(results));
  EXPECT_TRUE(Rule(results, "BK_BCA.excellent_in_last_year").passed());
}

TEST_F(EligibilityTest, BkBcaNeedsTheFirstYearToo) {
  EligibilityFacts f = Collective();
  f.unit_history = RecognizedYears(kFirst + 1, kLast);
  YearOf(&f.unit_history, kLast)
      ->set_classification(scoring::v1::CLASSIFICATION_EXCELLENT);
  v1::RuleResult r = Rule(Run("BK_BCA", f), "BK_BCA.recognized_every_year");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("not recognised in 2014 (no assessment)"));

  // Years before the period do not stand in for it, nor matter.
  AddYear(&f.unit_history, 2013, scoring::v1::STAGE_RECOGNIZED);
  EXPECT_FALSE(Rule(Run("BK_BCA", f), "BK_BCA.recognized_every_year").passed());
  EligibilityFacts g = Collective();
  AddYear(&g.unit_history, 2013, scoring::v1::STAGE_NOT_RECOGNIZED);
  EXPECT_TRUE(Rule(Run("BK_BCA", g), "BK_BCA.recognized_every_year").passed());
}

TEST_F(EligibilityTest, BkBcaNamesEveryYearNotRecognised) {
  EligibilityFacts f = Collective();
  YearOf(&f.unit_history, 2015)->set_stage(scoring::v1::STAGE_NOT_RECOGNIZED);
  YearOf(&f.unit_history, 2018)->set_stage(scoring::v1::STAGE_REVIEWED);
  v1::RuleResult r = Rule(Run("BK_BCA", f), "BK_BCA.recognized_every_year");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(),
              HasSubstr("not recognised in 2015 (stage NOT_RECOGNIZED), 2018 "
                        "(stage REVIEWED)"));
}

TEST_F(EligibilityTest, BkBcaNotExcellentInTheLastYearFails) {
  EligibilityFacts f = Collective();
  YearOf(&f.unit_history, kLast)
      ->set_classification(scoring::v1::CLASSIFICATION_GOOD);
  // EXCELLENT in an earlier year does not help.
  YearOf(&f.unit_history, 2018)
      ->set_classification(scoring::v1::CLASSIFICATION_EXCELLENT);
  std::vector<v1::RuleResult> results = Run("BK_BCA", f);
  v1::RuleResult r = Rule(results, "BK_BCA.excellent_in_last_year");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(),
              HasSubstr("classified GOOD in 2019, needs EXCELLENT"));
  EXPECT_TRUE(Rule(results, "BK_BCA.recognized_every_year").passed());
  EXPECT_FALSE(AllPassed(results));
}

TEST_F(EligibilityTest, BkBcaWithoutALastYearAssessment) {
  EligibilityFacts f = Collective();
  f.unit_history = RecognizedYears(kFirst, kLast - 1);
  std::vector<v1::RuleResult> results = Run("BK_BCA", f);
  EXPECT_THAT(Rule(results, "BK_BCA.excellent_in_last_year").detail(),
              HasSubstr("no assessment in 2019"));
  EXPECT_THAT(Rule(results, "BK_BCA.recognized_every_year").detail(),
              HasSubstr("not recognised in 2019 (no assessment)"));
  EXPECT_FALSE(Rule(results, "BK_BCA.excellent_in_last_year").passed());
}

TEST_F(EligibilityTest, BkUbndTinhNeedsTheLastTwoYears) {
  EligibilityFacts two = Collective();
  two.unit_history = RecognizedYears(2018, 2019);
  std::vector<v1::RuleResult> results = Run("BK_UBND_TINH", two);
  EXPECT_THAT(RuleIds(results),
              ElementsAre("BK_UBND_TINH.unit_active",
                          "BK_UBND_TINH.recognized_last_years"));
  EXPECT_TRUE(AllPassed(results));
  EXPECT_THAT(Rule(results, "BK_UBND_TINH.recognized_last_years").detail(),
              HasSubstr("recognised in every year 2018-2019"));

  EligibilityFacts one = Collective();
  one.unit_history = RecognizedYears(2019, 2019);
  v1::RuleResult r =
      Rule(Run("BK_UBND_TINH", one), "BK_UBND_TINH.recognized_last_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("not recognised in 2018 (no assessment)"));

  // The two years must be the last two: 2017 and 2018 are not enough.
  EligibilityFacts earlier = Collective();
  earlier.unit_history = RecognizedYears(2014, 2018);
  r = Rule(Run("BK_UBND_TINH", earlier), "BK_UBND_TINH.recognized_last_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(), HasSubstr("not recognised in 2019"));

  // A one-year campaign still looks at the year before.
  EligibilityFacts short_campaign = Collective();
  short_campaign.first_year = 2019;
  short_campaign.unit_history = RecognizedYears(2019, 2019);
  EXPECT_FALSE(Rule(Run("BK_UBND_TINH", short_campaign),
                    "BK_UBND_TINH.recognized_last_years")
                   .passed());
}

TEST_F(EligibilityTest, GkCatNeedsTheLastYear) {
  EligibilityFacts last = Collective();
  last.unit_history = RecognizedYears(2019, 2019);
  std::vector<v1::RuleResult> results = Run("GK_CAT", last);
  EXPECT_THAT(RuleIds(results), ElementsAre("GK_CAT.unit_active",
                                            "GK_CAT.recognized_last_years"));
  EXPECT_TRUE(AllPassed(results));
  EXPECT_THAT(Rule(results, "GK_CAT.recognized_last_years").detail(),
              HasSubstr("recognised in 2019"));

  EligibilityFacts not_last = Collective();
  YearOf(&not_last.unit_history, 2019)
      ->set_stage(scoring::v1::STAGE_NOT_RECOGNIZED);
  v1::RuleResult r =
      Rule(Run("GK_CAT", not_last), "GK_CAT.recognized_last_years");
  EXPECT_FALSE(r.passed());
  EXPECT_THAT(r.detail(),
              HasSubstr("not recognised in 2019 (stage NOT_RECOGNIZED)"));
}

TEST_F(EligibilityTest, ADissolvedUnitFailsEveryCollectiveType) {
  for (const std::string code : {"BK_BCA", "BK_UBND_TINH", "GK_CAT"}) {
    SCOPED_TRACE(code);
    EligibilityFacts f = Collective();
    f.unit.set_status(registry::v1::UNIT_STATUS_DISSOLVED);
    *f.unit.mutable_dissolve_date() = MakeDate(2019, 12, 1);
    f.unit.set_dissolve_reason("sáp nhập");
    std::vector<v1::RuleResult> results = Run(code, f);
    v1::RuleResult r = Rule(results, code + ".unit_active");
    EXPECT_FALSE(r.passed());
    EXPECT_THAT(r.detail(),
                HasSubstr("unit is DISSOLVED since 2019-12-01: sáp nhập"));
    EXPECT_FALSE(AllPassed(results));
  }
}

// ---------------------------------------------------------------- Individuals

TEST_F(EligibilityTest, IndividualBkAndGkNeedAnActivePersonInARecognisedUnit) {
  for (const std::string code : {"BK_BCA", "BK_UBND_TINH", "GK_CAT"}) {
    SCOPED_TRACE(code);
    std::vector<v1::RuleResult> results = Run(code, Individual());
    EXPECT_THAT(RuleIds(results),
                ElementsAre(code + ".person_active",
                            code + ".unit_recognized_last_years"));
    EXPECT_TRUE(AllPassed(results));
    EXPECT_THAT(Rule(results, code + ".unit_recognized_last_years").detail(),
                HasSubstr("unit u1 recognised in 2019"));
  }
}

TEST_F(EligibilityTest, AnInactivePersonFails) {
  for (const std::string code : {"BK_BCA", "BK_UBND_TINH", "GK_CAT"}) {
    SCOPED_TRACE(code);
    EligibilityFacts f = Individual();
    f.person.set_status(registry::v1::PERSON_STATUS_INACTIVE);
    std::vector<v1::RuleResult> results = Run(code, f);
    v1::RuleResult r = Rule(results, code + ".person_active");
    EXPECT_FALSE(r.passed());
    EXPECT_THAT(r.detail(), HasSubstr("INACTIVE"));
    EXPECT_FALSE(AllPassed(results));
  }
}

TEST_F(EligibilityTest, IndividualWhoseUnitWasNotRecognisedFails) {
  for (const std::string code : {"BK_BCA", "BK_UBND_TINH", "GK_CAT"}) {
    SCOPED_TRACE(code);
    EligibilityFacts f = Individual();
    f.unit_history = RecognizedYears(kFirst, kLast - 1);  // all but 2019
    std::vector<v1::RuleResult> results = Run(code, f);
    v1::RuleResult r = Rule(results, code + ".unit_recognized_last_years");
    EXPECT_FALSE(r.passed());
    EXPECT_THAT(r.detail(),
                HasSubstr("unit u1 not recognised in 2019 (no assessment)"));
    EXPECT_FALSE(AllPassed(results));

    EligibilityFacts no_unit = Individual();
    no_unit.person.clear_unit_id();
    r = Rule(Run(code, no_unit), code + ".unit_recognized_last_years");
    EXPECT_FALSE(r.passed());
    EXPECT_THAT(r.detail(), HasSubstr("no current unit"));
  }
}

TEST_F(EligibilityTest, KncDoesNotRequireAnActivePerson) {
  // Retired leaders are the medal's usual recipients; no rule checks status.
  EligibilityFacts f = KncCandidate();
  f.person.set_status(registry::v1::PERSON_STATUS_INACTIVE);
  EXPECT_TRUE(AllPassed(Run("KNC_ANTQ", f)));
}

// ---------------------------------------------------------------- AllPassed

TEST(AllPassedTest, EmptyOrAnyFailureIsNotEligible) {
  EXPECT_FALSE(AllPassed({}));
  v1::RuleResult pass;
  pass.set_rule("X.a");
  pass.set_passed(true);
  v1::RuleResult fail;
  fail.set_rule("X.b");
  fail.set_passed(false);
  EXPECT_TRUE(AllPassed({pass}));
  EXPECT_TRUE(AllPassed({pass, pass}));
  EXPECT_FALSE(AllPassed({pass, fail}));
  EXPECT_FALSE(AllPassed({fail}));
}

// Rules apply only when the parameters say so: a hand-built rule set.
TEST(EvaluateTest, OnlyTheRulesTheParametersApplyAreReported) {
  v1::AwardType type;
  type.set_code("TEST");
  type.add_recipient_kinds(v1::RECIPIENT_KIND_INDIVIDUAL);
  AwardRules rules;
  rules.individual.excludes_police_service_medal = true;
  EligibilityFacts f;
  f.first_year = 2020;
  f.last_year = 2020;
  f.recipient_kind = v1::RECIPIENT_KIND_INDIVIDUAL;
  f.person = MakePerson(registry::v1::GENDER_MALE);
  std::vector<v1::RuleResult> results = Evaluate(type, rules, f);
  EXPECT_THAT(RuleIds(results), ElementsAre("TEST.police_service_medal"));
  EXPECT_TRUE(AllPassed(results));

  // A leader threshold of 2.5 years with a x3 hardship multiplier: one
  // hardship year and a half are four and a half.
  rules.individual.leader_years = 2.5;
  rules.individual.hardship_multiplier = 3;
  AddPosition(&f.person, registry::v1::POSITION_ROLE_LEADER, "u1",
              MakeDate(2019, 7, 1), kOngoing, /*hardship=*/true);
  results = Evaluate(type, rules, f);
  v1::RuleResult r = Rule(results, "TEST.service_years");
  EXPECT_TRUE(r.passed()) << r.detail();
  EXPECT_THAT(r.detail(),
              HasSubstr("leader 4 năm 6 tháng (hardship counted x3), at least "
                        "2.5"));
}

}  // namespace
}  // namespace antt::awards
