#include "services/registry/area_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Codes(const std::vector<const v1::Area*>& areas) {
  std::vector<std::string> codes;
  for (const v1::Area* area : areas) codes.push_back(area->code());
  return codes;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// Smallest well-formed files of both editions.
constexpr char kTinyLegacy[] = R"([
  {"Code": "45", "FullName": "Tỉnh Quảng Trị", "District": [
    {"Code": "461", "FullName": "Thành phố Đông Hà", "Ward": [
      {"Code": "19330", "FullName": "Phường Đông Giang"}]},
    {"Code": "471", "FullName": "Huyện Cồn Cỏ", "Ward": null}]}
])";
constexpr char kTinyCurrent[] = R"([
  {"Code": "44", "FullName": "Tỉnh Quảng Trị", "Wards": [
    {"Code": "19333", "FullName": "Phường Đông Hà"}]}
])";

class AreaCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<AreaCatalog>> loaded =
        AreaCatalog::Load(antt::testing::SourceDataDir() + "/areas");
    ASSERT_OK(loaded);
    catalog_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }

  const AreaCatalog& catalog() const { return *catalog_; }

 private:
  static const AreaCatalog* catalog_;
};

const AreaCatalog* AreaCatalogTest::catalog_ = nullptr;

TEST_F(AreaCatalogTest, HasBothEditions) {
  EXPECT_THAT(catalog().Editions(), ElementsAre("2025-06", "2026-07"));
  EXPECT_TRUE(catalog().HasEdition(kLegacyEdition));
  EXPECT_TRUE(catalog().HasEdition(kCurrentEdition));
  EXPECT_FALSE(catalog().HasEdition("2024-01"));
  EXPECT_FALSE(catalog().HasEdition(""));
}

TEST_F(AreaCatalogTest, LegacyEditionCounts) {
  EXPECT_EQ(catalog().List(kLegacyEdition, "", v1::AREA_LEVEL_PROVINCE).size(),
            63u);
  EXPECT_EQ(catalog().List(kLegacyEdition, "", v1::AREA_LEVEL_DISTRICT).size(),
            696u);
  EXPECT_EQ(catalog().List(kLegacyEdition, "", v1::AREA_LEVEL_COMMUNE).size(),
            10035u);
  EXPECT_EQ(
      catalog().List(kLegacyEdition, "", v1::AREA_LEVEL_UNSPECIFIED).size(),
      63u + 696u + 10035u);
}

TEST_F(AreaCatalogTest, CurrentEditionCounts) {
  EXPECT_EQ(catalog().List(kCurrentEdition, "", v1::AREA_LEVEL_PROVINCE).size(),
            34u);
  EXPECT_EQ(catalog().List(kCurrentEdition, "", v1::AREA_LEVEL_COMMUNE).size(),
            3321u);
  EXPECT_THAT(catalog().List(kCurrentEdition, "", v1::AREA_LEVEL_DISTRICT),
              IsEmpty());
  EXPECT_EQ(
      catalog().List(kCurrentEdition, "", v1::AREA_LEVEL_UNSPECIFIED).size(),
      34u + 3321u);
}

TEST_F(AreaCatalogTest, FindsAProvinceOfEachEdition) {
  const v1::Area* legacy = catalog().Find(kLegacyEdition, "45");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->edition(), "2025-06");
  EXPECT_EQ(legacy->code(), "45");
  EXPECT_EQ(legacy->name(), "Tỉnh Quảng Trị");
  EXPECT_EQ(legacy->level(), v1::AREA_LEVEL_PROVINCE);
  EXPECT_EQ(legacy->parent_code(), "");

  const v1::Area* current = catalog().Find(kCurrentEdition, "44");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->edition(), "2026-07");
  EXPECT_EQ(current->name(), "Tỉnh Quảng Trị");
  EXPECT_EQ(current->level(), v1::AREA_LEVEL_PROVINCE);
}

TEST_F(AreaCatalogTest, FindsDistrictsAndCommunesWithTheirParents) {
  const v1::Area* district = catalog().Find(kLegacyEdition, "461");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->name(), "Thành phố Đông Hà");
  EXPECT_EQ(district->level(), v1::AREA_LEVEL_DISTRICT);
  EXPECT_EQ(district->parent_code(), "45");

  const v1::Area* commune = catalog().Find(kLegacyEdition, "19330");
  ASSERT_NE(commune, nullptr);
  EXPECT_EQ(commune->name(), "Phường Đông Giang");
  EXPECT_EQ(commune->level(), v1::AREA_LEVEL_COMMUNE);
  EXPECT_EQ(commune->parent_code(), "461");

  const v1::Area* current = catalog().Find(kCurrentEdition, "19333");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->name(), "Phường Đông Hà");
  EXPECT_EQ(current->level(), v1::AREA_LEVEL_COMMUNE);
  EXPECT_EQ(current->parent_code(), "44");
}

TEST_F(AreaCatalogTest, SameCodeNamesDifferentAreasInEachEdition) {
  const v1::Area* legacy = catalog().Find(kLegacyEdition, "19333");
  const v1::Area* current = catalog().Find(kCurrentEdition, "19333");
  ASSERT_NE(legacy, nullptr);
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(legacy->name(), "Phường 1");
  EXPECT_EQ(legacy->parent_code(), "461");
  EXPECT_EQ(current->name(), "Phường Đông Hà");
  EXPECT_EQ(current->parent_code(), "44");
}

TEST_F(AreaCatalogTest, FindUnknownIsNull) {
  EXPECT_EQ(catalog().Find(kCurrentEdition, "45"), nullptr);   // legacy only
  EXPECT_EQ(catalog().Find(kCurrentEdition, "461"), nullptr);  // no districts
  EXPECT_EQ(catalog().Find(kLegacyEdition, "99"), nullptr);
  EXPECT_EQ(catalog().Find(kLegacyEdition, ""), nullptr);
  EXPECT_EQ(catalog().Find("2024-01", "45"), nullptr);
}

TEST_F(AreaCatalogTest, LegacyQuangTriHasExactlyTenDistricts) {
  EXPECT_THAT(
      Codes(catalog().List(kLegacyEdition, "45", v1::AREA_LEVEL_DISTRICT)),
      ElementsAre("461", "462", "464", "465", "466", "467", "468", "469", "470",
                  "471"));
  // Children of a province in the legacy edition are districts only.
  EXPECT_EQ(
      catalog().List(kLegacyEdition, "45", v1::AREA_LEVEL_UNSPECIFIED).size(),
      10u);
  EXPECT_THAT(catalog().List(kLegacyEdition, "45", v1::AREA_LEVEL_COMMUNE),
              IsEmpty());
}

TEST_F(AreaCatalogTest, ListsCommunesOfADistrictInCodeOrder) {
  const std::vector<std::string> codes =
      Codes(catalog().List(kLegacyEdition, "461", v1::AREA_LEVEL_COMMUNE));
  ASSERT_EQ(codes.size(), 9u);
  EXPECT_EQ(codes.front(), "19330");
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  for (const v1::Area* area :
       catalog().List(kLegacyEdition, "461", v1::AREA_LEVEL_UNSPECIFIED)) {
    EXPECT_EQ(area->parent_code(), "461");
    EXPECT_EQ(area->level(), v1::AREA_LEVEL_COMMUNE);
  }
}

TEST_F(AreaCatalogTest, IslandDistrictWithoutCommunesListsNothing) {
  ASSERT_NE(catalog().Find(kLegacyEdition, "471"), nullptr);
  EXPECT_THAT(catalog().List(kLegacyEdition, "471", v1::AREA_LEVEL_UNSPECIFIED),
              IsEmpty());
}

TEST_F(AreaCatalogTest, ListsCommunesOfACurrentProvince) {
  const std::vector<const v1::Area*> communes =
      catalog().List(kCurrentEdition, "44", v1::AREA_LEVEL_COMMUNE);
  EXPECT_EQ(communes.size(), 78u);
  for (const v1::Area* area : communes) {
    EXPECT_EQ(area->parent_code(), "44");
    EXPECT_EQ(area->edition(), "2026-07");
  }
}

TEST_F(AreaCatalogTest, ListOfUnknownEditionOrParentIsEmpty) {
  EXPECT_THAT(catalog().List("2024-01", "", v1::AREA_LEVEL_UNSPECIFIED),
              IsEmpty());
  EXPECT_THAT(catalog().List(kLegacyEdition, "99", v1::AREA_LEVEL_UNSPECIFIED),
              IsEmpty());
}

TEST_F(AreaCatalogTest, IsWithinFollowsTheParentChain) {
  EXPECT_TRUE(catalog().IsWithin(kLegacyEdition, "19330", "19330"));
  EXPECT_TRUE(catalog().IsWithin(kLegacyEdition, "19330", "461"));
  EXPECT_TRUE(catalog().IsWithin(kLegacyEdition, "19330", "45"));
  EXPECT_TRUE(catalog().IsWithin(kLegacyEdition, "461", "45"));
  EXPECT_TRUE(catalog().IsWithin(kCurrentEdition, "19333", "44"));
}

TEST_F(AreaCatalogTest, IsWithinIsFalseOutsideTheChain) {
  EXPECT_FALSE(catalog().IsWithin(kLegacyEdition, "19330", "462"));
  EXPECT_FALSE(catalog().IsWithin(kLegacyEdition, "19330", "01"));
  EXPECT_FALSE(catalog().IsWithin(kLegacyEdition, "45", "461"));  // upward
  EXPECT_FALSE(catalog().IsWithin(kLegacyEdition, "99999", "45"));
  // Edition matters: 19333 lies in province 44 only in the current edition.
  EXPECT_FALSE(catalog().IsWithin(kLegacyEdition, "19333", "44"));
  EXPECT_FALSE(catalog().IsWithin(kCurrentEdition, "19333", "45"));
  EXPECT_FALSE(catalog().IsWithin("2024-01", "19330", "45"));
}

TEST(AreaCatalogLoadTest, LoadsMinimalFiles) {
  const std::string dir = antt::testing::FreshTestDir();
  WriteFile(dir + "/edition-2025-06.json", kTinyLegacy);
  WriteFile(dir + "/edition-2026-07.json", kTinyCurrent);
  absl::StatusOr<std::unique_ptr<AreaCatalog>> catalog = AreaCatalog::Load(dir);
  ASSERT_OK(catalog);
  EXPECT_EQ(
      (*catalog)->List(kLegacyEdition, "", v1::AREA_LEVEL_UNSPECIFIED).size(),
      4u);
  EXPECT_EQ(
      (*catalog)->List(kCurrentEdition, "", v1::AREA_LEVEL_UNSPECIFIED).size(),
      2u);
  const v1::Area* commune = (*catalog)->Find(kCurrentEdition, "19333");
  ASSERT_NE(commune, nullptr);
  EXPECT_EQ(commune->parent_code(), "44");
}

TEST(AreaCatalogLoadTest, MissingDirectoryIsNotFoundNamingTheFile) {
  const std::string dir = antt::testing::FreshTestDir() + "/does-not-exist";
  const absl::StatusOr<std::unique_ptr<AreaCatalog>> catalog =
      AreaCatalog::Load(dir);
  EXPECT_CODE(catalog, absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr("edition-2025-06.json"));
}

TEST(AreaCatalogLoadTest, MissingCurrentEditionIsNotFoundNamingTheFile) {
  const std::string dir = antt::testing::FreshTestDir();
  WriteFile(dir + "/edition-2025-06.json", kTinyLegacy);
  const absl::StatusOr<std::unique_ptr<AreaCatalog>> catalog =
      AreaCatalog::Load(dir);
  EXPECT_CODE(catalog, absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr("edition-2026-07.json"));
}

TEST(AreaCatalogLoadTest, MalformedJsonFailsNamingTheFile) {
  const std::string dir = antt::testing::FreshTestDir();
  WriteFile(dir + "/edition-2025-06.json", kTinyLegacy);
  WriteFile(dir + "/edition-2026-07.json", R"([{"Code": "44", "FullN)");
  const absl::StatusOr<std::unique_ptr<AreaCatalog>> catalog =
      AreaCatalog::Load(dir);
  EXPECT_CODE(catalog, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr(dir + "/edition-2026-07.json"));
}

TEST(AreaCatalogLoadTest, EmptyFileFailsNamingTheFile) {
  const std::string dir = antt::testing::FreshTestDir();
  WriteFile(dir + "/edition-2025-06.json", "");
  WriteFile(dir + "/edition-2026-07.json", kTinyCurrent);
  const absl::StatusOr<std::unique_ptr<AreaCatalog>> catalog =
      AreaCatalog::Load(dir);
  EXPECT_CODE(catalog, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr("edition-2025-06.json"));
}

// Well-formed JSON of the wrong shape: each fails naming the file and the
// problem.
struct ShapeCase {
  const char* name;
  const char* legacy_json;
  const char* problem;
};

class AreaCatalogShapeTest : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(AreaCatalogShapeTest, FailsNamingFileAndProblem) {
  const std::string dir = antt::testing::FreshTestDir();
  WriteFile(dir + "/edition-2025-06.json", GetParam().legacy_json);
  WriteFile(dir + "/edition-2026-07.json", kTinyCurrent);
  const absl::StatusOr<std::unique_ptr<AreaCatalog>> catalog =
      AreaCatalog::Load(dir);
  EXPECT_CODE(catalog, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr("edition-2025-06.json"));
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr(GetParam().problem));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, AreaCatalogShapeTest,
    ::testing::Values(
        ShapeCase{"NotAList", R"({"Code": "45"})", "not a list"},
        ShapeCase{"MissingName", R"([{"Code": "45"}])", "FullName"},
        ShapeCase{"NumericCode", R"([{"Code": 45, "FullName": "X"}])", "Code"},
        ShapeCase{"ShortProvinceCode", R"([{"Code": "4", "FullName": "X"}])",
                  "\"4\""},
        ShapeCase{"DistrictCodeOfWrongLength",
                  R"([{"Code": "45", "FullName": "X", "District": [
                        {"Code": "4610", "FullName": "Y"}]}])",
                  "\"4610\""},
        ShapeCase{"LettersInCode", R"([{"Code": "4A", "FullName": "X"}])",
                  "\"4A\""},
        ShapeCase{"DuplicateCode",
                  R"([{"Code": "45", "FullName": "X"},
                      {"Code": "45", "FullName": "Y"}])",
                  "twice"}),
    [](const ::testing::TestParamInfo<ShapeCase>& info) {
      return std::string(info.param.name);
    });

}  // namespace
}  // namespace antt::registry
