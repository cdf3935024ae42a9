#include "services/registry/unit_rules.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/date.h"
#include "common/field_violations.h"
#include "services/registry/area_catalog.h"
#include "tests/testing/test_util.h"

namespace antt::registry {
namespace {

using ::google::protobuf::FieldMask;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Codes below are from data/areas. Current edition (2026-07): province 44
// Tỉnh Quảng Trị, its commune 19333 Phường Đông Hà; 00004 Phường Ba Đình is in
// Hà Nội (01). Legacy edition (2025-06): province 45 Tỉnh Quảng Trị, its
// district 461 Thành phố Đông Hà with commune 19330 Phường Đông Giang, and
// district 462 Thị xã Quảng Trị with commune 19357; district 001 is in Hà Nội.

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

// The field names of the violations carried by `status`.
std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& [field, unused] : FieldViolationsOf(status)) {
    fields.push_back(field);
  }
  return fields;
}

v1::Unit Agency() {
  v1::Unit unit;
  unit.set_name("Sở Giáo dục và Đào tạo tỉnh Quảng Trị");
  unit.set_kind(v1::UNIT_KIND_AGENCY);
  unit.set_province_code("44");
  unit.set_managing_level(v1::MANAGING_LEVEL_PROVINCE);
  return unit;
}

v1::Unit Enterprise() {
  v1::Unit unit;
  unit.set_name("Công ty Cổ phần Đông Hà");
  unit.set_kind(v1::UNIT_KIND_ENTERPRISE);
  unit.set_enterprise_size(v1::ENTERPRISE_SIZE_MEDIUM);
  unit.set_tax_code("0100109106");
  unit.set_province_code("44");
  unit.set_commune_code("19333");
  unit.set_managing_level(v1::MANAGING_LEVEL_COMMUNE);
  return unit;
}

// Known only in the legacy edition, managed by its district.
v1::Unit School() {
  v1::Unit unit;
  unit.set_name("Trường THCS Nguyễn Du");
  unit.set_kind(v1::UNIT_KIND_EDUCATION);
  unit.set_education_level(v1::EDUCATION_LEVEL_LOWER_SECONDARY);
  unit.set_legacy_province_code("45");
  unit.set_legacy_district_code("461");
  unit.set_legacy_commune_code("19330");
  unit.set_managing_level(v1::MANAGING_LEVEL_DISTRICT);
  return unit;
}

class UnitRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<AreaCatalog>> loaded =
        AreaCatalog::Load(antt::testing::SourceDataDir() + "/areas");
    ASSERT_OK(loaded);
    areas_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete areas_;
    areas_ = nullptr;
  }

  static absl::Status Validate(v1::Unit* unit) {
    return NormalizeAndValidateUnit(*areas_, unit);
  }
  // The fields Validate() rejects in `unit`.
  static std::vector<std::string> Rejected(v1::Unit unit) {
    return Fields(Validate(&unit));
  }

  static const AreaCatalog* areas_;
};

const AreaCatalog* UnitRulesTest::areas_ = nullptr;

TEST_F(UnitRulesTest, BaseUnitsAreValid) {
  for (v1::Unit unit : {Agency(), Enterprise(), School()}) {
    EXPECT_OK(Validate(&unit));
  }
}

// --- name -------------------------------------------------------------------

TEST_F(UnitRulesTest, NameIsRequired) {
  v1::Unit unit = Agency();
  unit.clear_name();
  const absl::Status status = Validate(&unit);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(status), ElementsAre("unit.name"));
}

TEST_F(UnitRulesTest, WhitespaceOnlyNameIsRejected) {
  v1::Unit unit = Agency();
  unit.set_name("   \t  ");
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.name"));
  unit.set_name("\xC2\xA0\xC2\xA0");  // no-break spaces only
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.name"));
}

TEST_F(UnitRulesTest, NameIsStoredWithoutSurroundingSpaces) {
  v1::Unit unit = Agency();
  unit.set_name("\xC2\xA0 Sở Tư pháp ");
  ASSERT_OK(Validate(&unit));
  EXPECT_EQ(unit.name(), "Sở Tư pháp");
}

TEST_F(UnitRulesTest, NameOf300CharactersIsAccepted) {
  // 300 characters in 900 bytes: the limit counts characters.
  v1::Unit unit = Agency();
  unit.set_name(Repeat("ệ", 300));
  ASSERT_EQ(unit.name().size(), 900u);
  EXPECT_OK(Validate(&unit));
  EXPECT_EQ(unit.name(), Repeat("ệ", 300));
}

TEST_F(UnitRulesTest, NameOf301CharactersIsRejected) {
  v1::Unit unit = Agency();
  unit.set_name(Repeat("ệ", 301));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.name"));
  unit.set_name(Repeat("a", 301));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.name"));
}

TEST_F(UnitRulesTest, NameIsStoredNfc) {
  v1::Unit unit = Agency();
  // "Trường Nguyễn" decomposed: u + horn, o + horn + grave, e + circumflex +
  // tilde.
  unit.set_name(
      "Tru\xCC\x9B"
      "o\xCC\x9B\xCC\x80"
      "ng Nguye\xCC\x82\xCC\x83"
      "n");
  ASSERT_OK(Validate(&unit));
  EXPECT_EQ(unit.name(), "Trường Nguyễn");
}

TEST_F(UnitRulesTest, NameLengthIsCountedAfterNfc) {
  // 300 decomposed letters are 900 code points before NFC, 300 after.
  v1::Unit unit = Agency();
  unit.set_name(Repeat("e\xCC\x82\xCC\x83", 300));
  ASSERT_OK(Validate(&unit));
  EXPECT_EQ(unit.name(), Repeat("ễ", 300));
}

TEST_F(UnitRulesTest, NameWithControlCharacterIsRejected) {
  v1::Unit unit = Agency();
  unit.set_name("Công ty\x01 ABC");
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.name"));
  unit.set_name("Công ty\nABC");
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.name"));
}

TEST_F(UnitRulesTest, NameOfInvalidUtf8IsRejected) {
  v1::Unit unit = Agency();
  unit.set_name("C\xF4ng ty");  // Latin-1, not UTF-8
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.name"));
}

// --- kind -------------------------------------------------------------------

TEST_F(UnitRulesTest, KindIsRequired) {
  v1::Unit unit = Agency();
  unit.clear_kind();
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.kind"));
}

TEST_F(UnitRulesTest, UnknownKindIsRejected) {
  v1::Unit unit = Agency();
  unit.set_kind(static_cast<v1::UnitKind>(99));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.kind"));
}

// --- enterprise_size --------------------------------------------------------

TEST_F(UnitRulesTest, EnterpriseSizeIsRequiredForEnterprises) {
  v1::Unit unit = Enterprise();
  unit.clear_enterprise_size();
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.enterprise_size"));
}

TEST_F(UnitRulesTest, EnterpriseSizeIsForbiddenForOthers) {
  v1::Unit agency = Agency();
  agency.set_enterprise_size(v1::ENTERPRISE_SIZE_LARGE);
  EXPECT_THAT(Rejected(agency), ElementsAre("unit.enterprise_size"));
  v1::Unit school = School();
  school.set_enterprise_size(v1::ENTERPRISE_SIZE_SMALL);
  EXPECT_THAT(Rejected(school), ElementsAre("unit.enterprise_size"));
}

TEST_F(UnitRulesTest, UnknownEnterpriseSizeIsRejected) {
  v1::Unit unit = Enterprise();
  unit.set_enterprise_size(static_cast<v1::EnterpriseSize>(99));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.enterprise_size"));
}

// --- education_level --------------------------------------------------------

TEST_F(UnitRulesTest, EducationLevelIsRequiredForSchools) {
  v1::Unit unit = School();
  unit.clear_education_level();
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.education_level"));
}

TEST_F(UnitRulesTest, EducationLevelIsForbiddenForOthers) {
  v1::Unit agency = Agency();
  agency.set_education_level(v1::EDUCATION_LEVEL_HIGHER);
  EXPECT_THAT(Rejected(agency), ElementsAre("unit.education_level"));
  v1::Unit enterprise = Enterprise();
  enterprise.set_education_level(v1::EDUCATION_LEVEL_VOCATIONAL);
  EXPECT_THAT(Rejected(enterprise), ElementsAre("unit.education_level"));
}

TEST_F(UnitRulesTest, UnknownEducationLevelIsRejected) {
  v1::Unit unit = School();
  unit.set_education_level(static_cast<v1::EducationLevel>(42));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.education_level"));
}

// --- tax_code ---------------------------------------------------------------

TEST_F(UnitRulesTest, TaxCodeIsRequiredForEnterprises) {
  v1::Unit unit = Enterprise();
  unit.clear_tax_code();
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.tax_code"));
}

TEST_F(UnitRulesTest, TaxCodeWithWrongCheckDigitIsRejected) {
  v1::Unit unit = Enterprise();
  unit.set_tax_code("0100109107");
  const absl::Status status = Validate(&unit);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(::testing::Pair("unit.tax_code",
                                          ::testing::HasSubstr("expected 6"))));
}

TEST_F(UnitRulesTest, MalformedTaxCodeIsRejected) {
  for (const char* tax_code : {"010010910", "01001091060", "01001091A6",
                               "0100109106-01", "0100109106_001"}) {
    v1::Unit unit = Enterprise();
    unit.set_tax_code(tax_code);
    EXPECT_THAT(Rejected(unit), ElementsAre("unit.tax_code")) << tax_code;
  }
}

TEST_F(UnitRulesTest, BranchTaxCodeIsAccepted) {
  v1::Unit unit = Enterprise();
  unit.set_tax_code("0100109106-001");
  EXPECT_OK(Validate(&unit));
  EXPECT_EQ(unit.tax_code(), "0100109106-001");
}

TEST_F(UnitRulesTest, TaxCodeIsForbiddenForOthers) {
  v1::Unit agency = Agency();
  agency.set_tax_code("0100109106");
  EXPECT_THAT(Rejected(agency), ElementsAre("unit.tax_code"));
  v1::Unit school = School();
  school.set_tax_code("0100109106");
  EXPECT_THAT(Rejected(school), ElementsAre("unit.tax_code"));
}

// --- location ---------------------------------------------------------------

TEST_F(UnitRulesTest, ProvinceIsRequired) {
  v1::Unit unit = Agency();
  unit.clear_province_code();
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.province_code"));
}

TEST_F(UnitRulesTest, EitherEditionsProvinceIsEnough) {
  v1::Unit legacy_only = Agency();
  legacy_only.clear_province_code();
  legacy_only.set_legacy_province_code("45");
  EXPECT_OK(Validate(&legacy_only));

  v1::Unit both = School();
  both.set_province_code("44");
  both.set_commune_code("19333");
  EXPECT_OK(Validate(&both));
}

TEST_F(UnitRulesTest, UnknownProvinceIsRejected) {
  // 45 is Quảng Trị only in the legacy edition; 461 is a district; 19333 a
  // commune.
  for (const char* code : {"99", "45", "461", "19333", "4"}) {
    v1::Unit unit = Agency();
    unit.set_province_code(code);
    EXPECT_THAT(Rejected(unit), ElementsAre("unit.province_code")) << code;
  }
}

TEST_F(UnitRulesTest, CommuneOutsideTheProvinceIsRejected) {
  v1::Unit unit = Enterprise();
  unit.set_commune_code("00004");  // Phường Ba Đình, Hà Nội
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.commune_code"));
}

TEST_F(UnitRulesTest, UnknownCommuneIsRejected) {
  for (const char* code : {"99999", "44", "19330x"}) {
    v1::Unit unit = Enterprise();
    unit.set_commune_code(code);
    EXPECT_THAT(Rejected(unit), ElementsAre("unit.commune_code")) << code;
  }
}

TEST_F(UnitRulesTest, CommuneWithoutProvinceIsRejected) {
  v1::Unit unit = School();
  unit.set_commune_code("19333");
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.commune_code"));
}

TEST_F(UnitRulesTest, UnknownLegacyProvinceIsRejected) {
  v1::Unit unit = Agency();
  unit.set_legacy_province_code("99");
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.legacy_province_code"));
}

TEST_F(UnitRulesTest, DistrictOutsideTheLegacyProvinceIsRejected) {
  v1::Unit unit = School();
  unit.set_legacy_district_code("001");  // Quận Ba Đình, Hà Nội
  unit.clear_legacy_commune_code();
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.legacy_district_code"));
}

TEST_F(UnitRulesTest, DistrictWithoutLegacyProvinceIsRejected) {
  v1::Unit unit = Agency();
  unit.set_legacy_district_code("461");
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.legacy_district_code"));
}

TEST_F(UnitRulesTest, LegacyCommuneOutsideTheDistrictIsRejected) {
  v1::Unit unit = School();
  unit.set_legacy_commune_code("19357");  // in district 462, not 461
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.legacy_commune_code"));
}

TEST_F(UnitRulesTest, LegacyCommuneWithoutDistrictIsRejected) {
  v1::Unit unit = School();
  unit.clear_legacy_district_code();
  unit.set_managing_level(v1::MANAGING_LEVEL_PROVINCE);
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.legacy_commune_code"));
}

// --- managing_level ---------------------------------------------------------

TEST_F(UnitRulesTest, ManagingLevelIsRequired) {
  v1::Unit unit = Agency();
  unit.clear_managing_level();
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.managing_level"));
  unit.set_managing_level(static_cast<v1::ManagingLevel>(99));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.managing_level"));
}

TEST_F(UnitRulesTest, DistrictLevelNeedsALegacyDistrict) {
  v1::Unit unit = Agency();
  unit.set_managing_level(v1::MANAGING_LEVEL_DISTRICT);
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.managing_level"));

  unit.set_legacy_province_code("45");
  unit.set_legacy_district_code("461");
  EXPECT_OK(Validate(&unit));
}

TEST_F(UnitRulesTest, CommuneLevelNeedsACommune) {
  v1::Unit unit = Agency();
  unit.set_managing_level(v1::MANAGING_LEVEL_COMMUNE);
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.managing_level"));

  v1::Unit current = unit;
  current.set_commune_code("19333");
  EXPECT_OK(Validate(&current));

  v1::Unit legacy = School();
  legacy.set_managing_level(v1::MANAGING_LEVEL_COMMUNE);
  EXPECT_OK(Validate(&legacy));
}

// --- other fields -----------------------------------------------------------

TEST_F(UnitRulesTest, InvalidEstablishedDateIsRejected) {
  for (const google::type::Date& date :
       {MakeDate(2023, 2, 29), MakeDate(2023, 13, 1), MakeDate(1899, 1, 1),
        MakeDate(2020, 0, 0)}) {
    v1::Unit unit = Agency();
    *unit.mutable_established_date() = date;
    EXPECT_THAT(Rejected(unit), ElementsAre("unit.established_date"))
        << FormatDate(date);
  }
}

TEST_F(UnitRulesTest, ValidEstablishedDateIsKept) {
  v1::Unit unit = Agency();
  *unit.mutable_established_date() = MakeDate(2024, 2, 29);
  ASSERT_OK(Validate(&unit));
  EXPECT_EQ(FormatDate(unit.established_date()), "2024-02-29");
}

TEST_F(UnitRulesTest, EmptyEstablishedDateIsCleared) {
  v1::Unit unit = Agency();
  unit.mutable_established_date();  // present, all zero
  ASSERT_TRUE(unit.has_established_date());
  ASSERT_OK(Validate(&unit));
  EXPECT_FALSE(unit.has_established_date());
}

TEST_F(UnitRulesTest, ExternalIdUpTo64PrintableCharacters) {
  v1::Unit unit = Agency();
  unit.set_external_id(std::string(64, 'Q'));
  EXPECT_OK(Validate(&unit));
  unit.set_external_id("QT-SGD/2024_001");
  EXPECT_OK(Validate(&unit));
}

TEST_F(UnitRulesTest, ExternalIdTooLongIsRejected) {
  v1::Unit unit = Agency();
  unit.set_external_id(std::string(65, 'Q'));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.external_id"));
}

TEST_F(UnitRulesTest, ExternalIdWithSpacesOrNonAsciiIsRejected) {
  for (const char* id : {"QT 001", " QT001", "QT\t001", "Mã-001", "QT\x7F"}) {
    v1::Unit unit = Agency();
    unit.set_external_id(id);
    EXPECT_THAT(Rejected(unit), ElementsAre("unit.external_id")) << id;
  }
}

TEST_F(UnitRulesTest, NegativeHeadcountIsRejected) {
  v1::Unit unit = Agency();
  unit.set_headcount(-1);
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.headcount"));
  unit.set_headcount(0);
  EXPECT_OK(Validate(&unit));
}

TEST_F(UnitRulesTest, NegativeSecurityForceSizeIsRejected) {
  v1::Unit unit = Agency();
  unit.set_security_force_size(-3);
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.security_force_size"));
  unit.set_security_force_size(0);
  EXPECT_OK(Validate(&unit));
}

TEST_F(UnitRulesTest, EmptyModelIsRejectedByIndex) {
  v1::Unit unit = Agency();
  unit.add_models("Tổ an ninh xung kích");
  unit.add_models("");
  unit.add_models("  ");
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.models[1]", "unit.models[2]"));
}

TEST_F(UnitRulesTest, ModelOf201CharactersIsRejected) {
  v1::Unit unit = Agency();
  unit.add_models(Repeat("ộ", 201));
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.models[0]"));
  unit.set_models(0, Repeat("ộ", 200));
  EXPECT_OK(Validate(&unit));
}

TEST_F(UnitRulesTest, AtMost50Models) {
  v1::Unit unit = Agency();
  for (int i = 0; i < kMaxModels; ++i) unit.add_models("Tổ tự quản");
  EXPECT_OK(Validate(&unit));
  unit.add_models("");  // not looked into: the list itself is refused
  EXPECT_THAT(Rejected(unit), ElementsAre("unit.models"));
}

TEST_F(UnitRulesTest, ModelsAreStoredNfc) {
  v1::Unit unit = Agency();
  unit.add_models("To\xCC\x82\xCC\x89 tu\xCC\x9B\xCC\xA3 qua\xCC\x89n");
  ASSERT_OK(Validate(&unit));
  EXPECT_EQ(unit.models(0), "Tổ tự quản");
}

TEST_F(UnitRulesTest, OptionalTextsAreCheckedToo) {
  v1::Unit unit = Agency();
  unit.set_managing_body("S\xF4 GD");  // not UTF-8
  unit.set_address("Số 1\x02 Hùng Vương");
  EXPECT_THAT(Rejected(unit),
              UnorderedElementsAre("unit.managing_body", "unit.address"));
}

TEST_F(UnitRulesTest, EveryBadFieldIsReported) {
  v1::Unit unit = Enterprise();
  unit.set_name("");
  unit.clear_enterprise_size();
  unit.set_education_level(v1::EDUCATION_LEVEL_PRIMARY);
  unit.set_tax_code("0100109107");
  unit.set_province_code("99");
  unit.set_legacy_district_code("461");
  unit.set_managing_level(v1::MANAGING_LEVEL_UNSPECIFIED);
  *unit.mutable_established_date() = MakeDate(2023, 2, 30);
  unit.set_external_id("has space");
  unit.set_headcount(-1);
  unit.set_security_force_size(-1);
  unit.add_models("");
  const absl::Status status = Validate(&unit);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      Fields(status),
      UnorderedElementsAre(
          "unit.name", "unit.enterprise_size", "unit.education_level",
          "unit.tax_code", "unit.province_code",
          // commune 19333 cannot be checked against an unknown
          // province: it is not in "99".
          "unit.commune_code", "unit.legacy_district_code",
          "unit.managing_level", "unit.established_date", "unit.external_id",
          "unit.headcount", "unit.security_force_size", "unit.models[0]"));
}

TEST_F(UnitRulesTest, FieldsAreNamedWithTheGivenPrefix) {
  v1::Unit unit = Agency();
  unit.clear_name();
  unit.set_headcount(-1);
  const absl::Status status =
      NormalizeAndValidateUnit(*areas_, &unit, "units[3]");
  EXPECT_THAT(Fields(status),
              UnorderedElementsAre("units[3].name", "units[3].headcount"));
}

// --- scope (Circular 124/2021/TT-BCA) ---------------------------------------

struct ScopeCase {
  const char* name;
  v1::Unit unit;
  bool in_scope;
};

void PrintTo(const ScopeCase& c, std::ostream* os) { *os << c.name; }

v1::Unit WithSize(v1::EnterpriseSize size) {
  v1::Unit unit = Enterprise();
  unit.set_enterprise_size(size);
  return unit;
}

v1::Unit WithLevel(v1::EducationLevel level) {
  v1::Unit unit = School();
  unit.set_education_level(level);
  return unit;
}

template <typename T>
T ArmedForces(T unit) {
  unit.set_armed_forces(true);
  return unit;
}

class UnitScopeTest : public UnitRulesTest,
                      public ::testing::WithParamInterface<ScopeCase> {};

TEST_P(UnitScopeTest, InScopeExactlyWhenNotExcluded) {
  v1::Unit unit = GetParam().unit;
  // Stale output values from the client must be overwritten.
  unit.set_in_scope(!GetParam().in_scope);
  unit.set_out_of_scope_reason(GetParam().in_scope ? "stale reason" : "");
  ASSERT_OK(Validate(&unit));
  EXPECT_EQ(unit.in_scope(), GetParam().in_scope);
  if (GetParam().in_scope) {
    EXPECT_EQ(unit.out_of_scope_reason(), "");
  } else {
    EXPECT_NE(unit.out_of_scope_reason(), "");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Circular124, UnitScopeTest,
    ::testing::Values(
        ScopeCase{"Agency", Agency(), true},
        ScopeCase{"ArmedForcesAgency", ArmedForces(Agency()), false},
        ScopeCase{"MicroEnterprise", WithSize(v1::ENTERPRISE_SIZE_MICRO),
                  false},
        ScopeCase{"SmallEnterprise", WithSize(v1::ENTERPRISE_SIZE_SMALL),
                  false},
        ScopeCase{"MediumEnterprise", WithSize(v1::ENTERPRISE_SIZE_MEDIUM),
                  true},
        ScopeCase{"LargeEnterprise", WithSize(v1::ENTERPRISE_SIZE_LARGE), true},
        ScopeCase{"ArmedForcesEnterprise",
                  ArmedForces(WithSize(v1::ENTERPRISE_SIZE_LARGE)), false},
        ScopeCase{"Kindergarten", WithLevel(v1::EDUCATION_LEVEL_KINDERGARTEN),
                  false},
        ScopeCase{"Primary", WithLevel(v1::EDUCATION_LEVEL_PRIMARY), false},
        ScopeCase{"LowerSecondary",
                  WithLevel(v1::EDUCATION_LEVEL_LOWER_SECONDARY), true},
        ScopeCase{"UpperSecondary",
                  WithLevel(v1::EDUCATION_LEVEL_UPPER_SECONDARY), true},
        ScopeCase{"Vocational", WithLevel(v1::EDUCATION_LEVEL_VOCATIONAL),
                  true},
        ScopeCase{"Higher", WithLevel(v1::EDUCATION_LEVEL_HIGHER), true},
        ScopeCase{"OtherSchool", WithLevel(v1::EDUCATION_LEVEL_OTHER), true},
        ScopeCase{"ArmedForcesSchool",
                  ArmedForces(WithLevel(v1::EDUCATION_LEVEL_HIGHER)), false}),
    [](const ::testing::TestParamInfo<ScopeCase>& info) {
      return std::string(info.param.name);
    });

// --- output-only fields and masks -------------------------------------------

v1::Unit WithOutputOnlyFields(v1::Unit unit) {
  unit.set_id("u-000001");
  unit.set_in_scope(true);
  unit.set_out_of_scope_reason("x");
  unit.set_status(v1::UNIT_STATUS_DISSOLVED);
  *unit.mutable_dissolve_date() = MakeDate(2024, 1, 1);
  unit.set_dissolve_reason("sáp nhập");
  unit.mutable_create_time()->set_seconds(1);
  unit.mutable_update_time()->set_seconds(2);
  unit.set_etag("7");
  return unit;
}

TEST(ClearOutputOnlyFieldsTest, ClearsOutputOnlyAndKeepsTheRest) {
  v1::Unit unit = WithOutputOnlyFields(Enterprise());
  unit.set_headcount(12);
  ClearOutputOnlyFields(&unit);
  EXPECT_EQ(unit.id(), "");
  EXPECT_FALSE(unit.in_scope());
  EXPECT_EQ(unit.out_of_scope_reason(), "");
  EXPECT_EQ(unit.status(), v1::UNIT_STATUS_UNSPECIFIED);
  EXPECT_FALSE(unit.has_dissolve_date());
  EXPECT_EQ(unit.dissolve_reason(), "");
  EXPECT_FALSE(unit.has_create_time());
  EXPECT_FALSE(unit.has_update_time());
  EXPECT_EQ(unit.etag(), "");
  // Everything else is what the client sent.
  v1::Unit expected = Enterprise();
  expected.set_headcount(12);
  EXPECT_TRUE(MessageDifferencer::Equals(unit, expected));
}

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

TEST(ApplyUnitMaskTest, CopiesNamedFields) {
  const v1::Unit stored = WithOutputOnlyFields(Agency());
  v1::Unit to = stored;
  v1::Unit from = Enterprise();
  from.set_headcount(30);
  ASSERT_OK(ApplyUnitMask(from, Mask({"name", "headcount"}), &to));
  EXPECT_EQ(to.name(), "Công ty Cổ phần Đông Hà");
  EXPECT_EQ(to.headcount(), 30);
  EXPECT_EQ(to.kind(), v1::UNIT_KIND_AGENCY);
  EXPECT_EQ(to.tax_code(), "");
  EXPECT_EQ(to.id(), "u-000001");
  EXPECT_EQ(to.etag(), "7");
}

TEST(ApplyUnitMaskTest, EmptyMaskCopiesPopulatedSettableFieldsOnly) {
  const v1::Unit stored = WithOutputOnlyFields(Agency());
  v1::Unit to = stored;
  v1::Unit from = WithOutputOnlyFields(Enterprise());
  from.set_id("other");
  from.set_etag("99");
  from.set_status(v1::UNIT_STATUS_ACTIVE);
  ASSERT_OK(ApplyUnitMask(from, FieldMask(), &to));
  EXPECT_EQ(to.kind(), v1::UNIT_KIND_ENTERPRISE);
  EXPECT_EQ(to.tax_code(), "0100109106");
  EXPECT_EQ(to.commune_code(), "19333");
  EXPECT_EQ(to.managing_level(), v1::MANAGING_LEVEL_COMMUNE);
  EXPECT_EQ(to.id(), "u-000001");
  EXPECT_EQ(to.etag(), "7");
  EXPECT_EQ(to.status(), v1::UNIT_STATUS_DISSOLVED);
}

TEST(ApplyUnitMaskTest, OutputOnlyPathsAreRejected) {
  for (const char* path :
       {"status", "id", "etag", "in_scope", "out_of_scope_reason",
        "create_time", "update_time", "dissolve_date", "dissolve_reason",
        "no_such_field"}) {
    const v1::Unit stored = WithOutputOnlyFields(Agency());
    v1::Unit to = stored;
    const absl::Status status =
        ApplyUnitMask(Enterprise(), Mask({"name", path}), &to);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(Fields(status), ElementsAre("update_mask")) << path;
    EXPECT_TRUE(MessageDifferencer::Equals(to, stored)) << path;
  }
}

TEST(CopySettableFieldsTest, CopiesSettableKeepsOutputOnly) {
  v1::Unit to = WithOutputOnlyFields(Agency());
  v1::Unit from = School();
  from.set_id("ignored");
  CopySettableFields(from, &to);
  EXPECT_EQ(to.name(), "Trường THCS Nguyễn Du");
  EXPECT_EQ(to.province_code(), "");  // copied from `from`, where it is unset
  EXPECT_EQ(to.legacy_district_code(), "461");
  EXPECT_EQ(to.id(), "u-000001");
  EXPECT_EQ(to.status(), v1::UNIT_STATUS_DISSOLVED);
}

}  // namespace
}  // namespace antt::registry
