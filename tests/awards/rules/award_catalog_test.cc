#include "services/awards/award_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "tests/testing/test_util.h"

namespace antt::awards {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using json = nlohmann::json;

std::vector<std::string> Codes(const std::vector<const v1::AwardType*>& list) {
  std::vector<std::string> codes;
  for (const v1::AwardType* type : list) codes.push_back(type->code());
  return codes;
}

// ---------------------------------------------------------------- Shipped data

class ShippedCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<AwardCatalog>> loaded = AwardCatalog::Load(
        antt::testing::SourceDataDir() + "/awards/award_types.json");
    ASSERT_OK(loaded);
    catalog_ = std::move(*loaded);
  }

  std::unique_ptr<AwardCatalog> catalog_;
};

TEST_F(ShippedCatalogTest, LoadsTheFourTypesInFileOrder) {
  EXPECT_EQ(catalog_->size(), 4u);
  EXPECT_THAT(Codes(catalog_->List()),
              ElementsAre("KNC_ANTQ", "BK_BCA", "BK_UBND_TINH", "GK_CAT"));
  EXPECT_THAT(catalog_->source_file(), HasSubstr("awards/award_types.json"));
}

TEST_F(ShippedCatalogTest, NamesRecipientsAndAuthoritiesAreTheSpecs) {
  const v1::AwardType* knc = catalog_->Find("KNC_ANTQ");
  ASSERT_NE(knc, nullptr);
  EXPECT_EQ(knc->name(), "Kỷ niệm chương \"Bảo vệ an ninh Tổ quốc\"");
  EXPECT_THAT(knc->recipient_kinds(),
              ElementsAre(v1::RECIPIENT_KIND_INDIVIDUAL));
  EXPECT_EQ(knc->authority(), "Bộ trưởng Bộ Công an");
  EXPECT_TRUE(knc->once_per_person());
  EXPECT_FALSE(knc->provisional());
  bool cites_circular = false;
  for (const std::string& note : knc->notes()) {
    if (note.find("20/2025/TT-BCA") != std::string::npos) cites_circular = true;
  }
  EXPECT_TRUE(cites_circular);

  const struct {
    const char* code;
    const char* name;
    const char* authority;
  } kCollectiveAndIndividual[] = {
      {"BK_BCA", "Bằng khen của Bộ trưởng Bộ Công an", "Bộ trưởng Bộ Công an"},
      {"BK_UBND_TINH", "Bằng khen của Chủ tịch UBND tỉnh",
       "Chủ tịch UBND tỉnh"},
      {"GK_CAT", "Giấy khen của Giám đốc Công an tỉnh",
       "Giám đốc Công an tỉnh"},
  };
  for (const auto& expected : kCollectiveAndIndividual) {
    SCOPED_TRACE(expected.code);
    const v1::AwardType* type = catalog_->Find(expected.code);
    ASSERT_NE(type, nullptr);
    EXPECT_EQ(type->name(), expected.name);
    EXPECT_EQ(type->authority(), expected.authority);
    EXPECT_THAT(type->recipient_kinds(),
                ElementsAre(v1::RECIPIENT_KIND_COLLECTIVE,
                            v1::RECIPIENT_KIND_INDIVIDUAL));
    EXPECT_FALSE(type->once_per_person());
    // SPEC gives these rules without a legal source.
    EXPECT_TRUE(type->provisional());
    EXPECT_THAT(type->notes(), Not(IsEmpty()));
  }
}

TEST_F(ShippedCatalogTest, KncAntqParametersAreCircular20Of2025s) {
  const AwardRules* rules = catalog_->Rules("KNC_ANTQ");
  ASSERT_NE(rules, nullptr);
  const IndividualRules& r = rules->individual;
  EXPECT_DOUBLE_EQ(r.leader_years, 10);
  EXPECT_DOUBLE_EQ(r.protection_team_years_male, 15);
  EXPECT_DOUBLE_EQ(r.protection_team_years_female, 10);
  EXPECT_DOUBLE_EQ(r.hardship_multiplier, 2);
  EXPECT_TRUE(r.requires_prior_commendation);
  EXPECT_TRUE(r.excludes_police_service_medal);
  EXPECT_TRUE(r.no_event_in_period);
  EXPECT_FALSE(r.active);
  EXPECT_EQ(r.unit_recognized_last_years, 0);
}

TEST_F(ShippedCatalogTest, CollectiveAndIndividualParameters) {
  const AwardRules* bk_bca = catalog_->Rules("BK_BCA");
  const AwardRules* bk_tinh = catalog_->Rules("BK_UBND_TINH");
  const AwardRules* gk_cat = catalog_->Rules("GK_CAT");
  ASSERT_NE(bk_bca, nullptr);
  ASSERT_NE(bk_tinh, nullptr);
  ASSERT_NE(gk_cat, nullptr);

  EXPECT_TRUE(bk_bca->collective.active);
  EXPECT_TRUE(bk_bca->collective.recognized_every_year);
  EXPECT_TRUE(bk_bca->collective.excellent_in_last_year);
  EXPECT_EQ(bk_bca->collective.recognized_last_years, 0);

  EXPECT_TRUE(bk_tinh->collective.active);
  EXPECT_FALSE(bk_tinh->collective.recognized_every_year);
  EXPECT_EQ(bk_tinh->collective.recognized_last_years, 2);
  EXPECT_FALSE(bk_tinh->collective.excellent_in_last_year);

  EXPECT_TRUE(gk_cat->collective.active);
  EXPECT_EQ(gk_cat->collective.recognized_last_years, 1);

  for (const AwardRules* rules : {bk_bca, bk_tinh, gk_cat}) {
    EXPECT_TRUE(rules->individual.active);
    EXPECT_EQ(rules->individual.unit_recognized_last_years, 1);
    EXPECT_FALSE(rules->individual.HasServiceRule());
    EXPECT_FALSE(rules->individual.requires_prior_commendation);
  }
}

TEST_F(ShippedCatalogTest, UnknownCodeIsNull) {
  EXPECT_EQ(catalog_->Find("HC_BVANTQ"), nullptr);
  EXPECT_EQ(catalog_->Rules("HC_BVANTQ"), nullptr);
  EXPECT_EQ(catalog_->Find(""), nullptr);
  EXPECT_EQ(catalog_->Find("knc_antq"), nullptr);
}

// ---------------------------------------------------------------- Bad files

// A small valid catalogue each test breaks in one place.
json ValidCatalog() {
  return json::parse(R"({
    "notes": ["test"],
    "award_types": [
      {
        "code": "KNC_ANTQ",
        "name": "Kỷ niệm chương",
        "recipient_kinds": ["RECIPIENT_KIND_INDIVIDUAL"],
        "authority": "Bộ trưởng Bộ Công an",
        "once_per_person": true,
        "rules": {"individual": {
          "leader_years": 10,
          "protection_team_years_male": 15,
          "protection_team_years_female": 10,
          "hardship_multiplier": 2,
          "requires_prior_commendation": true
        }}
      },
      {
        "code": "GK_CAT",
        "name": "Giấy khen",
        "recipient_kinds": ["RECIPIENT_KIND_COLLECTIVE",
                            "RECIPIENT_KIND_INDIVIDUAL"],
        "authority": "Giám đốc Công an tỉnh",
        "provisional": true,
        "notes": ["no legal source"],
        "rules": {
          "collective": {"active": true, "recognized_last_years": 1},
          "individual": {"active": true, "unit_recognized_last_years": 1}
        }
      }
    ]
  })");
}

class BadCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = antt::testing::FreshTestDir() + "/award_types.json";
  }

  void Write(const std::string& text) {
    std::ofstream out(path_);
    out << text;
    ASSERT_TRUE(out.good()) << path_;
  }

  // Loading `root` fails with InvalidArgument, naming the file and saying
  // `problem`.
  void ExpectRejected(const json& root, const std::string& problem) {
    Write(root.dump(2));
    absl::StatusOr<std::unique_ptr<AwardCatalog>> loaded =
        AwardCatalog::Load(path_);
    ASSERT_FALSE(loaded.ok()) << root.dump(2);
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument)
        << loaded.status();
    EXPECT_THAT(std::string(loaded.status().message()), HasSubstr(path_));
    EXPECT_THAT(std::string(loaded.status().message()), HasSubstr(problem));
  }

  // ValidCatalog() changed by `edit`.
  static json Edited(const std::function<void(json&)>& edit) {
    json root = ValidCatalog();
    edit(root);
    return root;
  }

  std::string path_;
};

TEST_F(BadCatalogTest, TheBaseCatalogueIsValid) {
  Write(ValidCatalog().dump(2));
  absl::StatusOr<std::unique_ptr<AwardCatalog>> loaded =
      AwardCatalog::Load(path_);
  ASSERT_OK(loaded);
  EXPECT_THAT(Codes((*loaded)->List()), ElementsAre("KNC_ANTQ", "GK_CAT"));
  EXPECT_EQ((*loaded)->source_file(), path_);
}

TEST_F(BadCatalogTest, MissingFileIsNotFound) {
  absl::StatusOr<std::unique_ptr<AwardCatalog>> loaded =
      AwardCatalog::Load(path_ + ".missing");
  EXPECT_CODE(loaded, absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr("award_types.json.missing"));
}

TEST_F(BadCatalogTest, InvalidJson) {
  Write("{\"award_types\": [");
  absl::StatusOr<std::unique_ptr<AwardCatalog>> loaded =
      AwardCatalog::Load(path_);
  EXPECT_CODE(loaded, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(loaded.status().message()),
              HasSubstr(path_ + ": not valid JSON"));
}

TEST_F(BadCatalogTest, TopLevelNotAnObject) {
  ExpectRejected(json::array(), "the top level is not an object");
}

TEST_F(BadCatalogTest, UnknownTopLevelKey) {
  ExpectRejected(Edited([](json& r) { r["award_type"] = json::array(); }),
                 "unknown key \"award_type\"");
}

TEST_F(BadCatalogTest, NoTypes) {
  ExpectRejected(Edited([](json& r) { r["award_types"] = json::array(); }),
                 "award_types: must not be empty");
  ExpectRejected(Edited([](json& r) { r.erase("award_types"); }),
                 "award_types: must be a list");
}

TEST_F(BadCatalogTest, EmptyCode) {
  ExpectRejected(Edited([](json& r) { r["award_types"][1]["code"] = " "; }),
                 "award_types[1].code");
  ExpectRejected(Edited([](json& r) { r["award_types"][0].erase("code"); }),
                 "award_types[0].code: is required");
}

TEST_F(BadCatalogTest, CodeWithCharactersARuleIdCannotCarry) {
  ExpectRejected(
      Edited([](json& r) { r["award_types"][1]["code"] = "gk-cat"; }),
      "award_types[1].code: \"gk-cat\" may hold only A-Z, 0-9 and \"_\"");
}

TEST_F(BadCatalogTest, DuplicateCode) {
  ExpectRejected(
      Edited([](json& r) { r["award_types"][1]["code"] = "KNC_ANTQ"; }),
      "award_types[1].code: \"KNC_ANTQ\" appears twice");
}

TEST_F(BadCatalogTest, NameAndAuthorityRequired) {
  ExpectRejected(Edited([](json& r) { r["award_types"][0].erase("name"); }),
                 "award_types[0].name: is required");
  ExpectRejected(Edited([](json& r) { r["award_types"][1]["authority"] = ""; }),
                 "award_types[1].authority");
  ExpectRejected(Edited([](json& r) { r["award_types"][1]["name"] = 7; }),
                 "award_types[1].name: must be a string");
}

TEST_F(BadCatalogTest, EmptyRecipientKinds) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["recipient_kinds"] = json::array();
                 }),
                 "award_types[0].recipient_kinds: must not be empty");
}

TEST_F(BadCatalogTest, UnknownRecipientKind) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["recipient_kinds"][0] =
                       "RECIPIENT_KIND_TEAM";
                 }),
                 "award_types[0].recipient_kinds[0]: unknown recipient kind "
                 "\"RECIPIENT_KIND_TEAM\"");
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["recipient_kinds"][0] =
                       "RECIPIENT_KIND_UNSPECIFIED";
                 }),
                 "unknown recipient kind \"RECIPIENT_KIND_UNSPECIFIED\"");
}

TEST_F(BadCatalogTest, RepeatedRecipientKind) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][1]["recipient_kinds"][1] =
                       "RECIPIENT_KIND_COLLECTIVE";
                 }),
                 "award_types[1].recipient_kinds[1]: "
                 "RECIPIENT_KIND_COLLECTIVE appears twice");
}

TEST_F(BadCatalogTest, UnknownKeyInAType) {
  ExpectRejected(
      Edited([](json& r) { r["award_types"][1]["once_per_persn"] = true; }),
      "award_types[1]: unknown key \"once_per_persn\"");
}

TEST_F(BadCatalogTest, UnknownKeyInRules) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][1]["rules"]["team"] = json::object();
                 }),
                 "award_types[1].rules: unknown key \"team\"");
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["rules"]["individual"]["leader_yeras"] =
                       10;
                 }),
                 "award_types[0].rules.individual: unknown key "
                 "\"leader_yeras\"");
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][1]["rules"]["collective"]["excellent"] =
                       true;
                 }),
                 "award_types[1].rules.collective: unknown key \"excellent\"");
}

TEST_F(BadCatalogTest, ThresholdsMustBePositive) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["rules"]["individual"]["leader_years"] =
                       0;
                 }),
                 "award_types[0].rules.individual.leader_years: 0 is not "
                 "positive");
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["rules"]["individual"]["leader_years"] =
                       -10;
                 }),
                 "leader_years: -10 is not positive");
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["rules"]["individual"]
                    ["protection_team_years_female"] = 0;
                 }),
                 "protection_team_years_female: 0 is not positive");
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][1]["rules"]["collective"]["recognized_last_years"] = 0;
      }),
      "award_types[1].rules.collective.recognized_last_years: 0 is not a "
      "positive number of years");
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][1]["rules"]["individual"]
         ["unit_recognized_last_years"] = -1;
      }),
      "unit_recognized_last_years: -1 is not a positive number of years");
}

TEST_F(BadCatalogTest, ThresholdsMustBeNumbers) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["rules"]["individual"]["leader_years"] =
                       "10";
                 }),
                 "leader_years: must be a number");
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][1]["rules"]["collective"]["recognized_last_years"] =
            1.5;
      }),
      "recognized_last_years: must be an integer");
  ExpectRejected(
      Edited([](json& r) { r["award_types"][0]["once_per_person"] = "yes"; }),
      "award_types[0].once_per_person: must be true or false");
}

TEST_F(BadCatalogTest, ProtectionTeamThresholdsGoTogether) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][0]["rules"]["individual"].erase(
                       "protection_team_years_female");
                 }),
                 "protection_team_years_male and protection_team_years_female "
                 "go together");
}

TEST_F(BadCatalogTest, HardshipMultiplierAtLeastOneAndOnlyWithService) {
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][0]["rules"]["individual"]["hardship_multiplier"] = 0.5;
      }),
      "hardship_multiplier: 0.5 is below 1");
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][0]["rules"]["individual"]["hardship_multiplier"] = 1.5;
      }),
      "hardship_multiplier: 1.5 is not a whole number from 1 to 10");
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][1]["rules"]["individual"]["hardship_multiplier"] = 2;
      }),
      "award_types[1].rules.individual.hardship_multiplier: applies only with "
      "leader_years");
}

TEST_F(BadCatalogTest, RulesRequired) {
  ExpectRejected(Edited([](json& r) { r["award_types"][0].erase("rules"); }),
                 "award_types[0].rules: is required");
}

TEST_F(BadCatalogTest, BlockMissingForAnAcceptedKind) {
  ExpectRejected(
      Edited([](json& r) { r["award_types"][1]["rules"].erase("collective"); }),
      "award_types[1].rules.collective: is required: the type "
      "accepts RECIPIENT_KIND_COLLECTIVE");
}

TEST_F(BadCatalogTest, BlockForAKindNotAccepted) {
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][0]["rules"]["collective"] = json{{"active", true}};
      }),
      "award_types[0].rules.collective: is not allowed: the type "
      "does not accept RECIPIENT_KIND_COLLECTIVE");
}

TEST_F(BadCatalogTest, BlockThatAppliesNoRule) {
  ExpectRejected(Edited([](json& r) {
                   r["award_types"][1]["rules"]["individual"] = json::object();
                 }),
                 "award_types[1].rules.individual: applies no rule");
  ExpectRejected(
      Edited([](json& r) {
        r["award_types"][1]["rules"]["collective"] = json{{"active", false}};
      }),
      "award_types[1].rules.collective: applies no rule");
}

TEST_F(BadCatalogTest, ProvisionalTypeNeedsNotes) {
  ExpectRejected(Edited([](json& r) { r["award_types"][1].erase("notes"); }),
                 "award_types[1].notes: a provisional type must say");
}

TEST_F(BadCatalogTest, NotesAreStrings) {
  ExpectRejected(Edited([](json& r) { r["award_types"][1]["notes"][0] = 3; }),
                 "award_types[1].notes[0]: must be a string");
  ExpectRejected(Edited([](json& r) { r["notes"] = "one note"; }),
                 "notes: must be a list of strings");
}

}  // namespace
}  // namespace antt::awards
