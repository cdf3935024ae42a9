#include "tools/demo/province.h"

#include <gtest/gtest.h>

#include <set>

#include "services/registry/person_rules.h"
#include "services/registry/unit_rules.h"
#include "tests/testing/test_util.h"

namespace antt::demo {
namespace {

namespace rv1 = registry::v1;

class ProvinceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto areas =
        registry::AreaCatalog::Load(antt::testing::SourceDataDir() + "/areas");
    ASSERT_TRUE(areas.ok()) << areas.status();
    areas_ = std::move(areas).value().release();
    auto province = GenerateProvince(*areas_, ProvinceOptions{});
    ASSERT_TRUE(province.ok()) << province.status();
    province_ = new DemoProvince(*std::move(province));
  }
  static void TearDownTestSuite() {
    delete province_;
    delete areas_;
  }

  static registry::AreaCatalog* areas_;
  static DemoProvince* province_;
};
registry::AreaCatalog* ProvinceTest::areas_ = nullptr;
DemoProvince* ProvinceTest::province_ = nullptr;

TEST_F(ProvinceTest, EveryUnitIsValidWithUniqueKeysAndPlansOnlyInScope) {
  std::set<std::string> external_ids, tax_codes;
  int in_scope = 0;
  for (const DemoUnit& demo : province_->units) {
    rv1::Unit unit = demo.unit;
    const absl::Status valid =
        registry::NormalizeAndValidateUnit(*areas_, &unit);
    ASSERT_TRUE(valid.ok()) << valid << "\n" << demo.unit.ShortDebugString();
    EXPECT_EQ(unit.name(), demo.unit.name()) << "names are written NFC";
    EXPECT_TRUE(external_ids.insert(unit.external_id()).second)
        << unit.external_id();
    if (!unit.tax_code().empty()) {
      EXPECT_TRUE(tax_codes.insert(unit.tax_code()).second) << unit.tax_code();
    }
    EXPECT_EQ(unit.legacy_province_code(), "45");
    // A unit out of scope is never assessed; one in scope in every year it
    // existed.
    if (!unit.in_scope()) {
      EXPECT_TRUE(demo.years.empty()) << unit.name();
      continue;
    }
    ++in_scope;
    const int from = std::max(2014, unit.established_date().year());
    ASSERT_EQ(demo.years.size(), static_cast<size_t>(2019 - from + 1))
        << unit.name();
    for (const PlannedYear& year : demo.years) {
      if (year.outcome != Outcome::kFailed) continue;
      EXPECT_FALSE(year.event_type.empty());
      EXPECT_GE(year.event_date, absl::CivilDay(year.year - 1, 11, 16));
      EXPECT_LE(year.event_date, absl::CivilDay(year.year, 11, 15));
    }
  }
  EXPECT_GT(province_->units.size(), 2000u) << "a few thousand units";
  EXPECT_GT(in_scope, 900);
  EXPECT_LT(in_scope, static_cast<int>(province_->units.size()))
      << "some units are out of scope";
}

TEST_F(ProvinceTest, EveryYearMoreThan95PercentRecognized) {
  const std::vector<YearFigures> figures = ExpectedFigures(*province_);
  ASSERT_EQ(figures.size(), 6u);
  for (const YearFigures& f : figures) {
    EXPECT_GT(f.recognized, 0.95 * f.in_scope) << f.year;
    EXPECT_LT(f.recognized, f.assessed) << f.year << ": some units fail";
    EXPECT_LT(f.assessed, f.in_scope) << f.year << ": some never submit";
  }
  EXPECT_LT(figures.front().in_scope, figures.back().in_scope)
      << "units established during the period join later years";
}

TEST_F(ProvinceTest, TheReviewCampaignAwards94And58And41) {
  const AwardFigures awards = ExpectedAwards(*province_);
  EXPECT_EQ(awards.knc_individuals, 94);
  EXPECT_EQ(awards.certificate_collectives, 58);
  EXPECT_EQ(awards.certificate_individuals, 41);
  EXPECT_EQ(awards.refused, 13);
}

TEST_F(ProvinceTest, PersonsAreValidAndEachIsNominatedOncePerTypeAndCampaign) {
  for (const DemoPerson& demo : province_->persons) {
    ASSERT_GE(demo.unit, 0);
    const rv1::Unit& unit = province_->units[demo.unit].unit;
    rv1::Person person;
    person.set_full_name(demo.full_name);
    person.set_gender(demo.gender);
    person.set_birth_year(demo.birth_year);
    rv1::Position* position = person.add_positions();
    position->set_title(demo.title);
    position->set_role(demo.role);
    position->set_unit_id("U0000000001");
    position->mutable_start_date()->set_year(demo.since.year());
    position->mutable_start_date()->set_month(demo.since.month());
    position->mutable_start_date()->set_day(demo.since.day());
    const absl::Status valid = registry::NormalizeAndValidatePerson(
        &person, absl::CivilDay(2026, 11, 28));
    ASSERT_TRUE(valid.ok()) << valid << " " << demo.full_name;
    EXPECT_GE(demo.since.year(), unit.established_date().year())
        << demo.full_name << " in " << unit.name();
    EXPECT_GE(demo.since.year() - demo.birth_year, 20) << demo.full_name;
  }
  std::set<std::tuple<int, std::string, int, int>> seen;
  for (const DemoNomination& n : province_->nominations) {
    EXPECT_NE(n.unit >= 0, n.person >= 0) << "one recipient";
    EXPECT_TRUE(seen.insert({static_cast<int>(n.campaign), n.award_type, n.unit,
                             n.person})
                    .second)
        << n.award_type;
    EXPECT_EQ(n.eligible, n.why_not.empty());
  }
}

TEST_F(ProvinceTest, TheSameOptionsGiveTheSameProvince) {
  auto again = GenerateProvince(*areas_, ProvinceOptions{});
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->units.size(), province_->units.size());
  for (size_t i = 0; i < again->units.size(); ++i) {
    EXPECT_EQ(again->units[i].unit.SerializeAsString(),
              province_->units[i].unit.SerializeAsString());
  }
  ASSERT_EQ(again->persons.size(), province_->persons.size());
  for (size_t i = 0; i < again->persons.size(); ++i) {
    EXPECT_EQ(again->persons[i].full_name, province_->persons[i].full_name);
  }
  ProvinceOptions other;
  other.seed = 46;
  auto different = GenerateProvince(*areas_, other);
  ASSERT_TRUE(different.ok());
  EXPECT_NE(different->persons.front().full_name,
            province_->persons.front().full_name);
}

TEST_F(ProvinceTest, OneDecisionPerDistrictAndYear) {
  EXPECT_EQ(province_->decisions.size(), 10u * 6u);
  for (const Decision& d : province_->decisions) {
    EXPECT_EQ(d.date.year(), d.year);
    EXPECT_FALSE(d.number.empty());
  }
}

TEST_F(ProvinceTest, TooSmallAProvinceIsRefused) {
  ProvinceOptions tiny;
  tiny.communes_per_district = 1;
  tiny.enterprises = 10;
  auto province = GenerateProvince(*areas_, tiny);
  EXPECT_EQ(province.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(province.status().message().find("--enterprises"),
            std::string::npos);
}

}  // namespace
}  // namespace antt::demo
