#include "services/scoring/criteria_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "tests/testing/test_util.h"

namespace antt::scoring {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using json = nlohmann::json;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::vector<std::string> SetIds(const std::vector<const v1::CriteriaSet*>& l) {
  std::vector<std::string> ids;
  for (const v1::CriteriaSet* set : l) ids.push_back(set->id());
  return ids;
}

int PointsSum(const v1::CriteriaSet& set) {
  int sum = 0;
  for (const auto& item : set.points_items()) sum += item.max_points();
  return sum;
}

const v1::Condition* FindCondition(const v1::CriteriaSet& set,
                                   const std::string& id) {
  for (const auto& c : set.conditions()) {
    if (c.id() == id) return &c;
  }
  return nullptr;
}

const v1::DisqualifyingEvent* FindEvent(const v1::CriteriaSet& set,
                                        const std::string& id) {
  for (const auto& e : set.disqualifying_events()) {
    if (e.id() == id) return &e;
  }
  return nullptr;
}

// ---------------------------------------------------------------- Shipped data

class ShippedCriteriaTest : public ::testing::Test {
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

  const CriteriaCatalog& catalog() const { return *catalog_; }
  const v1::CriteriaSet& Set(const std::string& id) const {
    const v1::CriteriaSet* set = catalog_->Find(id);
    EXPECT_NE(set, nullptr) << id;
    static const v1::CriteriaSet kEmpty;
    return set == nullptr ? kEmpty : *set;
  }

 private:
  static const CriteriaCatalog* catalog_;
};

const CriteriaCatalog* ShippedCriteriaTest::catalog_ = nullptr;

TEST_F(ShippedCriteriaTest, LoadsTheFourSets) {
  ASSERT_NE(&catalog(), nullptr);
  EXPECT_EQ(catalog().size(), 4u);
  EXPECT_THAT(SetIds(catalog().List(registry::v1::UNIT_KIND_UNSPECIFIED, 0)),
              ElementsAre("TT124-2021/CQDN", "TT124-2021/CSGD",
                          "TT23-2012/CQDN", "TT23-2012/CSGD"));
  EXPECT_THAT(Set("TT124-2021/CQDN").source_file(),
              HasSubstr("criteria/TT124-2021-CQDN.json"));
  EXPECT_THAT(Set("TT23-2012/CSGD").source_file(),
              HasSubstr("criteria/TT23-2012-CSGD.json"));
}

TEST_F(ShippedCriteriaTest, EverySetHasA100PointTableAndProvisionalThresholds) {
  for (const v1::CriteriaSet* set :
       catalog().List(registry::v1::UNIT_KIND_UNSPECIFIED, 0)) {
    SCOPED_TRACE(set->id());
    EXPECT_EQ(PointsSum(*set), 100);
    EXPECT_EQ(set->thresholds().excellent(), 90);
    EXPECT_EQ(set->thresholds().good(), 70);
    EXPECT_EQ(set->thresholds().average(), 50);
    EXPECT_TRUE(set->thresholds().provisional());
    // Decision 510: items 1, 2, 3 and 4a are verified (3 + 3 + 5 + 1).
    int verified = 0;
    int placeholder = 0;
    for (const auto& item : set->points_items()) {
      if (item.provisional()) {
        placeholder += item.max_points();
        EXPECT_THAT(item.text(), HasSubstr("Tỉnh phải thay")) << item.id();
      } else {
        verified += item.max_points();
      }
    }
    EXPECT_EQ(verified, 12);
    EXPECT_EQ(placeholder, 88);
    EXPECT_TRUE(set->provisional());
    EXPECT_THAT(set->provisional_notes(),
                ::testing::Contains(HasSubstr("thresholds are provisional")));
    EXPECT_THAT(set->provisional_notes(),
                ::testing::Contains(HasSubstr("88 of 100 points")));
  }
  const v1::CriteriaSet& set = Set("TT124-2021/CQDN");
  ASSERT_GE(set.points_items_size(), 4);
  EXPECT_EQ(set.points_items(3).id(), "510.4a");
  EXPECT_EQ(set.points_items(3).max_points(), 1);
  EXPECT_THAT(set.points_items(3).text(),
              HasSubstr("Xây dựng quy chế hoặc kế hoạch phối hợp"));
}

TEST_F(ShippedCriteriaTest, YearsAndKinds) {
  const v1::CriteriaSet& tt124 = Set("TT124-2021/CQDN");
  EXPECT_EQ(tt124.first_year(), 2022);
  EXPECT_EQ(tt124.last_year(), 0);
  EXPECT_THAT(tt124.kinds(), ElementsAre(registry::v1::UNIT_KIND_AGENCY,
                                         registry::v1::UNIT_KIND_ENTERPRISE));
  const v1::CriteriaSet& tt23 = Set("TT23-2012/CSGD");
  EXPECT_EQ(tt23.first_year(), 2012);
  EXPECT_EQ(tt23.last_year(), 2021);
  EXPECT_THAT(tt23.kinds(), ElementsAre(registry::v1::UNIT_KIND_EDUCATION));
}

TEST_F(ShippedCriteriaTest, Tt124CqdnHasFiveConditionsAndEventsAToH) {
  const v1::CriteriaSet& set = Set("TT124-2021/CQDN");
  ASSERT_EQ(set.conditions_size(), 5);
  for (const auto& c : set.conditions()) {
    EXPECT_FALSE(c.provisional()) << c.id();
    EXPECT_EQ(c.decided_by_events(), c.id() == "6.3") << c.id();
  }
  EXPECT_EQ(set.conditions(2).text(),
            "Không để xảy ra một trong các trường hợp sau:");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"6.3.a", "Điểm a khoản 3 Điều 6"},  {"6.3.b", "Điểm b khoản 3 Điều 6"},
      {"6.3.c", "Điểm c khoản 3 Điều 6"},  {"6.3.d", "Điểm d khoản 3 Điều 6"},
      {"6.3.dd", "Điểm đ khoản 3 Điều 6"}, {"6.3.e", "Điểm e khoản 3 Điều 6"},
      {"6.3.g", "Điểm g khoản 3 Điều 6"},  {"6.3.h", "Điểm h khoản 3 Điều 6"}};
  ASSERT_EQ(set.disqualifying_events_size(), 8);
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(set.disqualifying_events(i).id(), expected[i].first);
    EXPECT_EQ(set.disqualifying_events(i).label(), expected[i].second);
    EXPECT_FALSE(set.disqualifying_events(i).provisional());
    ids.push_back(expected[i].first);
  }
  EXPECT_EQ(catalog().EventsOfCondition("TT124-2021/CQDN", "6.3"), ids);
  EXPECT_EQ(FindEvent(set, "6.3.d")->text(),
            "Đình công, lãn công trái pháp luật");
  EXPECT_EQ(catalog().ConditionOfEvent("TT124-2021/CQDN", "6.3.h"), "6.3");
}

TEST_F(ShippedCriteriaTest, Tt124CsgdHasSixConditionsTwoDecidedByEvents) {
  const v1::CriteriaSet& set = Set("TT124-2021/CSGD");
  ASSERT_EQ(set.conditions_size(), 6);
  EXPECT_EQ(catalog().EventsOfCondition("TT124-2021/CSGD", "7.3"),
            (std::vector<std::string>{"6.3.a", "6.3.b", "6.3.c", "6.3.dd",
                                      "6.3.e", "6.3.g"}));
  EXPECT_EQ(catalog().EventsOfCondition("TT124-2021/CSGD", "7.4"),
            (std::vector<std::string>{"7.4.1", "7.4.2"}));
  EXPECT_THAT(catalog().EventsOfCondition("TT124-2021/CSGD", "7.1"), IsEmpty());
  EXPECT_EQ(FindEvent(set, "6.3.d"), nullptr);
  EXPECT_EQ(FindEvent(set, "6.3.h"), nullptr);
  ASSERT_NE(FindEvent(set, "6.3.dd"), nullptr);
  EXPECT_EQ(FindEvent(set, "6.3.dd")->label(), "Điểm đ khoản 3 Điều 6");
  ASSERT_NE(FindEvent(set, "7.4.1"), nullptr);
  EXPECT_EQ(FindEvent(set, "7.4.1")->text(), "bạo lực học đường");
  EXPECT_THAT(FindEvent(set, "7.4.1")->note(), HasSubstr("tách"));
  EXPECT_THAT(FindCondition(set, "7.4")->note(), HasSubstr("tách"));
}

TEST_F(ShippedCriteriaTest, Tt23MarksWhatTheSourceLacks) {
  const v1::CriteriaSet& cqdn = Set("TT23-2012/CQDN");
  ASSERT_EQ(cqdn.conditions_size(), 4);
  const v1::Condition* cut = FindCondition(cqdn, "7.4");
  ASSERT_NE(cut, nullptr);
  EXPECT_TRUE(cut->provisional());
  EXPECT_THAT(cut->note(), HasSubstr("Nguồn dừng ở đây"));
  EXPECT_TRUE(FindCondition(cqdn, "7.3")->decided_by_events());
  EXPECT_EQ(catalog().EventsOfCondition("TT23-2012/CQDN", "7.3").size(), 5u);
  EXPECT_THAT(FindCondition(cqdn, "7.1")->text(), HasSubstr("…"));
  EXPECT_THAT(cqdn.provisional_notes(),
              ::testing::Contains(HasSubstr("conditions 7.1, 7.2, 7.3, 7.4")));

  const v1::CriteriaSet& csgd = Set("TT23-2012/CSGD");
  EXPECT_TRUE(FindCondition(csgd, "8.2")->provisional());
  EXPECT_THAT(FindCondition(csgd, "8.2")->note(),
              HasSubstr("Nguồn dừng ở đây"));
  // The school event list is not in the sources: the CQDN one, provisional.
  EXPECT_EQ(catalog().EventsOfCondition("TT23-2012/CSGD", "8.events"),
            catalog().EventsOfCondition("TT23-2012/CQDN", "7.3"));
  for (const auto& e : csgd.disqualifying_events()) {
    EXPECT_TRUE(e.provisional()) << e.id();
    EXPECT_THAT(e.note(), HasSubstr("không có trong nguồn")) << e.id();
  }
}

// Legal wording must come from SOURCES.md: every text is found there verbatim,
// except placeholders, which start with "[" and are provisional.
TEST_F(ShippedCriteriaTest, EveryLegalTextIsQuotedFromSources) {
  const std::string sources =
      ReadAll(antt::testing::SourceDataDir() + "/criteria/SOURCES.md");
  ASSERT_FALSE(sources.empty());
  int quoted = 0;
  auto check = [&](const std::string& where, const std::string& text,
                   bool provisional) {
    if (!text.empty() && text[0] == '[') {
      EXPECT_TRUE(provisional) << where;
      return;
    }
    ++quoted;
    EXPECT_NE(sources.find(text), std::string::npos)
        << where << " is not in SOURCES.md: " << text;
  };
  for (const v1::CriteriaSet* set :
       catalog().List(registry::v1::UNIT_KIND_UNSPECIFIED, 0)) {
    for (const auto& c : set->conditions()) {
      check(set->id() + " condition " + c.id(), c.text(), c.provisional());
    }
    for (const auto& e : set->disqualifying_events()) {
      check(set->id() + " event " + e.id(), e.text(), e.provisional());
    }
    for (const auto& p : set->points_items()) {
      check(set->id() + " item " + p.id(), p.text(), p.provisional());
    }
  }
  EXPECT_GT(quoted, 50);
}

TEST_F(ShippedCriteriaTest, ForKindAndYear) {
  using registry::v1::UNIT_KIND_AGENCY;
  using registry::v1::UNIT_KIND_EDUCATION;
  using registry::v1::UNIT_KIND_ENTERPRISE;
  auto id = [&](registry::v1::UnitKind kind, int year) -> std::string {
    absl::StatusOr<const v1::CriteriaSet*> set =
        catalog().ForKindAndYear(kind, year);
    return set.ok() ? (*set)->id() : set.status().ToString();
  };
  EXPECT_EQ(id(UNIT_KIND_AGENCY, 2012), "TT23-2012/CQDN");
  EXPECT_EQ(id(UNIT_KIND_AGENCY, 2021), "TT23-2012/CQDN");
  EXPECT_EQ(id(UNIT_KIND_AGENCY, 2022), "TT124-2021/CQDN");
  EXPECT_EQ(id(UNIT_KIND_ENTERPRISE, 2021), "TT23-2012/CQDN");
  EXPECT_EQ(id(UNIT_KIND_ENTERPRISE, 2040), "TT124-2021/CQDN");
  EXPECT_EQ(id(UNIT_KIND_EDUCATION, 2021), "TT23-2012/CSGD");
  EXPECT_EQ(id(UNIT_KIND_EDUCATION, 2022), "TT124-2021/CSGD");

  absl::StatusOr<const v1::CriteriaSet*> none =
      catalog().ForKindAndYear(UNIT_KIND_AGENCY, 2011);
  EXPECT_CODE(none, absl::StatusCode::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("UNIT_KIND_AGENCY in 2011"));
  EXPECT_CODE(
      catalog().ForKindAndYear(registry::v1::UNIT_KIND_UNSPECIFIED, 2022),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(ShippedCriteriaTest, ListFilters) {
  EXPECT_THAT(SetIds(catalog().List(registry::v1::UNIT_KIND_EDUCATION, 0)),
              ElementsAre("TT124-2021/CSGD", "TT23-2012/CSGD"));
  EXPECT_THAT(SetIds(catalog().List(registry::v1::UNIT_KIND_UNSPECIFIED, 2022)),
              ElementsAre("TT124-2021/CQDN", "TT124-2021/CSGD"));
  EXPECT_THAT(SetIds(catalog().List(registry::v1::UNIT_KIND_ENTERPRISE, 2015)),
              ElementsAre("TT23-2012/CQDN"));
  EXPECT_THAT(catalog().List(registry::v1::UNIT_KIND_AGENCY, 2011), IsEmpty());
  EXPECT_EQ(catalog().Find("TT124-2021/XYZ"), nullptr);
  EXPECT_THAT(catalog().EventsOfCondition("nope", "6.3"), IsEmpty());
  EXPECT_EQ(catalog().ConditionOfEvent("TT124-2021/CQDN", "nope"), "");
}

// ---------------------------------------------------------------- Bad files

// The smallest valid set; each test breaks one rule.
json ValidSet() {
  return json::parse(R"({
    "id": "T/A",
    "title": "Bộ thử",
    "legal_basis": "Thử",
    "kinds": ["UNIT_KIND_AGENCY"],
    "first_year": 2012,
    "last_year": 2021,
    "conditions": [
      {"id": "1", "text": "Điều kiện một"},
      {"id": "3", "text": "Không để xảy ra:", "decided_by_events": true,
       "events": ["3.a", "3.b"]}
    ],
    "disqualifying_events": [
      {"id": "3.a", "label": "Điểm a", "text": "Vụ a"},
      {"id": "3.b", "label": "Điểm b", "text": "Vụ b"}
    ],
    "points_items": [
      {"id": "i1", "text": "Mục 1", "max_points": 60},
      {"id": "i2", "text": "Mục 2", "max_points": 40}
    ],
    "thresholds": {"excellent": 90, "good": 70, "average": 50}
  })");
}

class BadCriteriaFileTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = antt::testing::FreshTestDir(); }

  std::string Write(const std::string& name, const json& set) {
    const std::string path = dir_ + "/" + name;
    WriteFile(path, set.dump(2));
    return path;
  }

  // Loads the directory, expects InvalidArgument and returns the message.
  std::string LoadError() {
    absl::StatusOr<std::unique_ptr<CriteriaCatalog>> loaded =
        CriteriaCatalog::LoadDir(dir_);
    EXPECT_CODE(loaded, absl::StatusCode::kInvalidArgument);
    return std::string(loaded.status().message());
  }

  std::string dir_;
};

TEST_F(BadCriteriaFileTest, ValidSetLoads) {
  const std::string path = Write("a.json", ValidSet());
  WriteFile(dir_ + "/README.md", "not a set");
  absl::StatusOr<std::unique_ptr<CriteriaCatalog>> loaded =
      CriteriaCatalog::LoadDir(dir_);
  ASSERT_OK(loaded);
  const v1::CriteriaSet* set = (*loaded)->Find("T/A");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->source_file(), path);
  EXPECT_FALSE(set->provisional());
  EXPECT_THAT(set->provisional_notes(), IsEmpty());
  EXPECT_EQ((*loaded)->EventsOfCondition("T/A", "3"),
            (std::vector<std::string>{"3.a", "3.b"}));
}

TEST_F(BadCriteriaFileTest, AnyProvisionalPartMakesTheSetProvisional) {
  json set = ValidSet();
  set["points_items"][1]["provisional"] = true;
  set["notes"] = {"Ghi chú của tệp"};
  Write("a.json", set);
  absl::StatusOr<std::unique_ptr<CriteriaCatalog>> loaded =
      CriteriaCatalog::LoadDir(dir_);
  ASSERT_OK(loaded);
  const v1::CriteriaSet* s = (*loaded)->Find("T/A");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->provisional());
  EXPECT_THAT(s->provisional_notes(),
              ElementsAre(HasSubstr("points items i2 (40 of 100 points)"),
                          "Ghi chú của tệp"));
}

TEST_F(BadCriteriaFileTest, DuplicateSetIdAcrossFiles) {
  const std::string first = Write("a.json", ValidSet());
  json other = ValidSet();
  other["kinds"] = {"UNIT_KIND_EDUCATION"};  // no year overlap per kind
  const std::string second = Write("b.json", other);
  const std::string message = LoadError();
  EXPECT_THAT(message,
              HasSubstr(second + ": id T/A is already defined in " + first));
}

TEST_F(BadCriteriaFileTest, DuplicateConditionId) {
  json set = ValidSet();
  set["conditions"][1]["id"] = "1";
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": conditions[1].id: condition id \"1\" "
                               "appears twice"));
}

TEST_F(BadCriteriaFileTest, DuplicateEventId) {
  json set = ValidSet();
  set["disqualifying_events"][1]["id"] = "3.a";
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": disqualifying_events[1].id: event id "
                               "\"3.a\" appears twice"));
}

TEST_F(BadCriteriaFileTest, DuplicatePointsItemId) {
  json set = ValidSet();
  set["points_items"][1]["id"] = "i1";
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": points_items[1].id: points item id \"i1\" "
                               "appears twice"));
}

TEST_F(BadCriteriaFileTest, PointsSumTo99) {
  json set = ValidSet();
  set["points_items"][1]["max_points"] = 39;
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": points sum to 99, not 100"));
}

TEST_F(BadCriteriaFileTest, MaxPointsMustBePositive) {
  json set = ValidSet();
  set["points_items"][0]["max_points"] = 0;
  set["points_items"][1]["max_points"] = 100;
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": points_items[0].max_points: "
                                            "must be 1 to 100, got 0"));
}

TEST_F(BadCriteriaFileTest, ThresholdsMustBeOrdered) {
  json set = ValidSet();
  set["thresholds"]["good"] = 95;
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": thresholds: must be ordered 0 < average < "
                               "good < excellent <= 100, got average 50, "
                               "good 95, excellent 90"));
}

TEST_F(BadCriteriaFileTest, ThresholdsAtMost100) {
  json set = ValidSet();
  set["thresholds"]["excellent"] = 101;
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": thresholds: must be ordered"));
}

TEST_F(BadCriteriaFileTest, AverageMustBePositive) {
  json set = ValidSet();
  set["thresholds"]["average"] = 0;
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": thresholds: must be ordered"));
}

TEST_F(BadCriteriaFileTest, LastYearBeforeFirstYear) {
  json set = ValidSet();
  set["last_year"] = 2011;
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": last_year: 2011 is before first_year 2012"));
}

TEST_F(BadCriteriaFileTest, OverlappingYearsForAKind) {
  Write("a.json", ValidSet());  // AGENCY 2012-2021
  json later = ValidSet();
  later["id"] = "T/B";
  later["kinds"] = {"UNIT_KIND_EDUCATION", "UNIT_KIND_AGENCY"};
  later["first_year"] = 2021;
  later["last_year"] = 0;
  const std::string path = Write("b.json", later);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": years 2021 on for UNIT_KIND_AGENCY overlap "
                               "T/A (years 2012-2021"));
}

TEST_F(BadCriteriaFileTest, AdjacentYearsAndOtherKindsDoNotOverlap) {
  Write("a.json", ValidSet());  // AGENCY 2012-2021
  json later = ValidSet();
  later["id"] = "T/B";
  later["first_year"] = 2022;
  later["last_year"] = 0;
  Write("b.json", later);
  json school = ValidSet();
  school["id"] = "T/C";
  school["kinds"] = {"UNIT_KIND_EDUCATION"};
  Write("c.json", school);
  absl::StatusOr<std::unique_ptr<CriteriaCatalog>> loaded =
      CriteriaCatalog::LoadDir(dir_);
  ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->size(), 3u);
  absl::StatusOr<const v1::CriteriaSet*> set =
      (*loaded)->ForKindAndYear(registry::v1::UNIT_KIND_AGENCY, 2022);
  ASSERT_OK(set);
  EXPECT_EQ((*set)->id(), "T/B");
}

TEST_F(BadCriteriaFileTest, UnknownKind) {
  json set = ValidSet();
  set["kinds"] = {"UNIT_KIND_AGENCY", "UNIT_KIND_SCHOOL"};
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": kinds[1]: unknown kind "
                                            "\"UNIT_KIND_SCHOOL\""));
}

TEST_F(BadCriteriaFileTest, UnspecifiedKindIsNotAKind) {
  json set = ValidSet();
  set["kinds"] = {"UNIT_KIND_UNSPECIFIED"};
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": kinds[0]: unknown kind "
                                            "\"UNIT_KIND_UNSPECIFIED\""));
}

TEST_F(BadCriteriaFileTest, KindsMustNotBeEmpty) {
  json set = ValidSet();
  set["kinds"] = json::array();
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": kinds: must not be empty"));
}

TEST_F(BadCriteriaFileTest, MalformedJson) {
  const std::string path = dir_ + "/x.json";
  WriteFile(path, R"({"id": "T/A", "title": )");
  EXPECT_THAT(LoadError(), HasSubstr(path + ": not valid JSON"));
}

TEST_F(BadCriteriaFileTest, EventNotInAnyCondition) {
  json set = ValidSet();
  set["conditions"][1]["events"] = {"3.a"};
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": event 3.b is not in the events of any "
                               "decided_by_events condition"));
}

TEST_F(BadCriteriaFileTest, EventInTwoConditions) {
  json set = ValidSet();
  set["conditions"].push_back(json::parse(
      R"({"id": "4", "text": "Khác", "decided_by_events": true,
          "events": ["3.b"]})"));
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": conditions[2].events[0]: event 3.b already "
                               "belongs to condition 3"));
}

TEST_F(BadCriteriaFileTest, ConditionListsAnUnknownEvent) {
  json set = ValidSet();
  set["conditions"][1]["events"] = {"3.a", "3.b", "3.z"};
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": conditions[1].events[2]: "
                                            "\"3.z\" is not one of the set's "
                                            "disqualifying_events"));
}

TEST_F(BadCriteriaFileTest, DecidedByEventsNeedsEvents) {
  json set = ValidSet();
  set["conditions"][1].erase("events");
  set["disqualifying_events"] = json::array();
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": conditions[1].events: "
                                            "condition 3 is decided_by_events "
                                            "but lists no events"));
}

TEST_F(BadCriteriaFileTest, AnsweredConditionListsNoEvents) {
  json set = ValidSet();
  set["conditions"][0]["events"] = {"3.a"};
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": conditions[0].events: only a "
                               "decided_by_events condition lists events"));
}

TEST_F(BadCriteriaFileTest, TextsMustNotBeEmpty) {
  json set = ValidSet();
  set["disqualifying_events"][0]["text"] = "   ";
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": disqualifying_events[0].text: "
                                            "must be 1 to"));
}

TEST_F(BadCriteriaFileTest, MissingText) {
  json set = ValidSet();
  set["conditions"][0].erase("text");
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(),
              HasSubstr(path + ": conditions[0].text: is required"));
}

TEST_F(BadCriteriaFileTest, UnknownKeyIsATypo) {
  json set = ValidSet();
  set["conditions"][1]["decided_by_event"] = true;
  const std::string path = Write("x.json", set);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": conditions[1]: unknown key "
                                            "\"decided_by_event\""));
}

TEST_F(BadCriteriaFileTest, TheFirstBadFileInNameOrderIsReported) {
  Write("a.json", ValidSet());
  json bad = ValidSet();
  bad["id"] = "T/B";
  bad["kinds"] = {"UNIT_KIND_EDUCATION"};
  bad["points_items"][0]["max_points"] = 61;
  const std::string path = Write("b.json", bad);
  EXPECT_THAT(LoadError(), HasSubstr(path + ": points sum to 101, not 100"));
}

TEST_F(BadCriteriaFileTest, EmptyOrMissingDirectory) {
  absl::StatusOr<std::unique_ptr<CriteriaCatalog>> empty =
      CriteriaCatalog::LoadDir(dir_);
  EXPECT_CODE(empty, absl::StatusCode::kNotFound);
  EXPECT_THAT(empty.status().message(), HasSubstr(dir_ + ": no criteria set"));
  absl::StatusOr<std::unique_ptr<CriteriaCatalog>> missing =
      CriteriaCatalog::LoadDir(dir_ + "/nope");
  EXPECT_CODE(missing, absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(dir_ + "/nope: "));
}

}  // namespace
}  // namespace antt::scoring
