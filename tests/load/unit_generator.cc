#include "tests/load/unit_generator.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/registry/tax_code.h"
#include "tools/demo/words.h"

namespace antt::registry::load {
namespace {

using demo::words::kBrands;
using demo::words::kCompanyForms;
using demo::words::kDistrictAgencies;
using demo::words::kProvinceAgencies;
using demo::words::kStreets;
using demo::words::kTrades;

// The ten district-level units of legacy province 45 (Tỉnh Quảng Trị) in
// edition 2025-06 (data/areas/edition-2025-06.json).
struct District {
  absl::string_view code;
  absl::string_view name;  // as written inside a unit name or an address
};
constexpr District kDistricts[] = {
    {"461", "thành phố Đông Hà"}, {"462", "thị xã Quảng Trị"},
    {"464", "huyện Vĩnh Linh"},   {"465", "huyện Hướng Hóa"},
    {"466", "huyện Gio Linh"},    {"467", "huyện Đa Krông"},
    {"468", "huyện Cam Lộ"},      {"469", "huyện Triệu Phong"},
    {"470", "huyện Hải Lăng"},    {"471", "huyện Cồn Cỏ"},
};
constexpr absl::string_view kCurrentProvince = "44";  // edition 2026-07
constexpr absl::string_view kLegacyProvince = "45";   // edition 2025-06
constexpr absl::string_view kTaxPrefix = "32";  // tax codes issued in Quảng Trị
constexpr uint32_t kTaxSerials = 10'000'000;  // 7 digits after the prefix

constexpr absl::string_view kSchoolNames[] = {
    "Nguyễn Du",    "Lê Lợi",          "Chu Văn An",      "Phan Bội Châu",
    "Nguyễn Huệ",   "Lê Duẩn",         "Trần Hưng Đạo",   "Nguyễn Trãi",
    "Lê Thế Hiếu",  "Nguyễn Hữu Thận", "Phan Châu Trinh", "Hàm Nghi",
    "Võ Thị Sáu",   "Kim Đồng",        "Lê Quý Đôn",      "Nguyễn Bỉnh Khiêm",
    "Trần Thị Tâm", "Cồn Tiên",        "Cửa Tùng",        "Hướng Phùng",
    "Hoa Sen",      "Sơn Ca",          "Hoa Phượng",      "Tuổi Thơ",
    "Bến Quan",     "Vĩnh Kim",        "Triệu Đại",       "Hải Thượng"};
constexpr absl::string_view kModels[] = {
    "Tổ tự quản về an ninh, trật tự", "Đội phòng cháy và chữa cháy cơ sở",
    "Cổng trường an toàn giao thông", "Camera an ninh",
    "Tổ bảo vệ cơ quan tự phòng, tự quản"};

// Weighted choice: `weights` sum to 100.
template <size_t N>
int Weighted(int roll, const int (&weights)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (roll < weights[i]) return static_cast<int>(i);
    roll -= weights[i];
  }
  return static_cast<int>(N) - 1;
}

}  // namespace

UnitGenerator::UnitGenerator(uint64_t seed, KeySpace key_space)
    : state_(seed),
      key_space_(std::move(key_space)),
      next_tax_serial_(key_space_.first_tax_serial) {}

uint64_t UnitGenerator::Random() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int UnitGenerator::Uniform(int n) {
  return static_cast<int>(Random() % static_cast<uint64_t>(n));
}

int UnitGenerator::Between(int low, int high) {
  return low + Uniform(high - low + 1);
}

std::string UnitGenerator::NextTaxCode() {
  while (next_tax_serial_ < kTaxSerials) {
    const std::string first_nine =
        absl::StrFormat("%s%07u", kTaxPrefix, next_tax_serial_++);
    const int check = TaxCodeCheckDigit(first_nine);
    if (check >= 0) return absl::StrCat(first_nine, check);
  }
  return "";
}

std::string UnitGenerator::NextExternalId() {
  return absl::StrFormat("%s-%07d", key_space_.external_id_prefix,
                         next_external_++);
}

v1::Unit UnitGenerator::Next() {
  ++generated_;
  v1::Unit unit;
  const District& district =
      kDistricts[Uniform(static_cast<int>(std::size(kDistricts)))];
  unit.set_province_code(std::string(kCurrentProvince));
  unit.set_legacy_province_code(std::string(kLegacyProvince));
  unit.set_legacy_district_code(std::string(district.code));
  unit.set_managing_level(v1::MANAGING_LEVEL_PROVINCE);

  const int kind_roll = Uniform(100);
  if (kind_roll < 50) {
    unit.set_kind(v1::UNIT_KIND_ENTERPRISE);
    constexpr int kSizeWeights[] = {30, 35, 25, 10};
    const int size = Weighted(Uniform(100), kSizeWeights);
    constexpr v1::EnterpriseSize kSizes[] = {
        v1::ENTERPRISE_SIZE_MICRO, v1::ENTERPRISE_SIZE_SMALL,
        v1::ENTERPRISE_SIZE_MEDIUM, v1::ENTERPRISE_SIZE_LARGE};
    unit.set_enterprise_size(kSizes[size]);
    unit.set_name(absl::StrCat(Pick(kCompanyForms), " ", Pick(kTrades), " ",
                               Pick(kBrands)));
    unit.set_tax_code(NextTaxCode());
    constexpr int kHeadcountLow[] = {1, 11, 101, 201};
    constexpr int kHeadcountHigh[] = {10, 100, 200, 2000};
    unit.set_headcount(Between(kHeadcountLow[size], kHeadcountHigh[size]));
  } else if (kind_roll < 80) {
    unit.set_kind(v1::UNIT_KIND_EDUCATION);
    constexpr int kLevelWeights[] = {25, 25, 20, 15, 8, 3, 4};
    const int level = Weighted(Uniform(100), kLevelWeights);
    constexpr v1::EducationLevel kLevels[] = {
        v1::EDUCATION_LEVEL_KINDERGARTEN,
        v1::EDUCATION_LEVEL_PRIMARY,
        v1::EDUCATION_LEVEL_LOWER_SECONDARY,
        v1::EDUCATION_LEVEL_UPPER_SECONDARY,
        v1::EDUCATION_LEVEL_VOCATIONAL,
        v1::EDUCATION_LEVEL_HIGHER,
        v1::EDUCATION_LEVEL_OTHER};
    constexpr absl::string_view kPrefixes[] = {
        "Trường Mầm non",
        "Trường Tiểu học",
        "Trường THCS",
        "Trường THPT",
        "Trường Cao đẳng",
        "Phân hiệu Trường Đại học",
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên"};
    unit.set_education_level(kLevels[level]);
    unit.set_name(absl::StrCat(kPrefixes[level], " ", Pick(kSchoolNames)));
    unit.set_external_id(NextExternalId());
    unit.set_managing_body(
        level <= 2 ? absl::StrCat("Phòng Giáo dục và Đào tạo ", district.name)
        : level == 5 ? "Bộ Giáo dục và Đào tạo"
                     : "Sở Giáo dục và Đào tạo tỉnh Quảng Trị");
    unit.set_headcount(Between(15, 150));
  } else {
    unit.set_kind(v1::UNIT_KIND_AGENCY);
    if (Uniform(100) < 3) {
      unit.set_armed_forces(true);
      unit.set_name(absl::StrCat("Ban Chỉ huy Quân sự ", district.name));
    } else if (Uniform(2) == 0) {
      unit.set_name(absl::StrCat(Pick(kDistrictAgencies), " ", district.name));
    } else {
      unit.set_name(absl::StrCat(Pick(kProvinceAgencies), " tỉnh Quảng Trị"));
    }
    unit.set_external_id(NextExternalId());
    unit.set_managing_body("Ủy ban nhân dân tỉnh Quảng Trị");
    unit.set_headcount(Between(10, 200));
  }

  unit.set_address(absl::StrCat("Số ", Between(1, 300), " đường ",
                                Pick(kStreets), ", ", district.name,
                                ", tỉnh Quảng Trị"));
  if (Uniform(100) < 60) {
    google::type::Date* date = unit.mutable_established_date();
    date->set_year(Between(1976, 2024));
    date->set_month(Between(1, 12));
    date->set_day(Between(1, 28));
  }
  unit.set_has_party_organization(unit.headcount() >= 30 && Uniform(100) < 70);
  unit.set_security_force_size(Between(0, std::min(10, unit.headcount())));
  if (Uniform(100) < 30) unit.add_models(std::string(Pick(kModels)));
  return unit;
}

}  // namespace antt::registry::load
