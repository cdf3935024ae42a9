#ifndef ANTT_TESTS_REGISTRY_FIXTURES_H_
#define ANTT_TESTS_REGISTRY_FIXTURES_H_

// Valid records for registry tests, located in Quảng Trị: legacy province 45
// (district 461 Đông Hà, commune 19330 Phường Đông Giang) and current
// province 44 (commune 18859 Phường Đồng Thuận).

#include <string>

#include "absl/strings/str_format.h"
#include "antt/registry/v1/registry.pb.h"
#include "services/registry/tax_code.h"

namespace antt::registry::testing {

// The n-th valid 10-digit tax code (n >= 0), all distinct.
inline std::string ValidTaxCode(int n) {
  for (int prefix = 100000000 + n * 7;; ++prefix) {
    const std::string nine = absl::StrFormat("%09d", prefix);
    const int check = TaxCodeCheckDigit(nine);
    if (check >= 0) return nine + static_cast<char>('0' + check);
  }
}

inline v1::Unit Located(v1::Unit unit) {
  unit.set_province_code("44");
  unit.set_commune_code("18859");
  unit.set_legacy_province_code("45");
  unit.set_legacy_district_code("461");
  unit.set_legacy_commune_code("19330");
  unit.set_managing_level(v1::MANAGING_LEVEL_PROVINCE);
  return unit;
}

inline v1::Unit Agency(const std::string& name,
                       const std::string& external_id = "") {
  v1::Unit unit;
  unit.set_name(name);
  unit.set_kind(v1::UNIT_KIND_AGENCY);
  unit.set_external_id(external_id);
  unit.set_headcount(40);
  return Located(unit);
}

inline v1::Unit Enterprise(
    const std::string& name, const std::string& tax_code,
    v1::EnterpriseSize size = v1::ENTERPRISE_SIZE_MEDIUM) {
  v1::Unit unit;
  unit.set_name(name);
  unit.set_kind(v1::UNIT_KIND_ENTERPRISE);
  unit.set_enterprise_size(size);
  unit.set_tax_code(tax_code);
  return Located(unit);
}

inline v1::Unit School(const std::string& name, v1::EducationLevel level,
                       const std::string& external_id = "") {
  v1::Unit unit;
  unit.set_name(name);
  unit.set_kind(v1::UNIT_KIND_EDUCATION);
  unit.set_education_level(level);
  unit.set_external_id(external_id);
  return Located(unit);
}

inline v1::Person Leader(const std::string& name, const std::string& unit_id,
                         int start_year) {
  v1::Person person;
  person.set_full_name(name);
  person.set_gender(v1::GENDER_MALE);
  person.set_birth_year(1970);
  person.set_unit_id(unit_id);
  v1::Position* position = person.add_positions();
  position->set_title("Giám đốc");
  position->set_role(v1::POSITION_ROLE_LEADER);
  position->set_unit_id(unit_id);
  position->mutable_start_date()->set_year(start_year);
  position->mutable_start_date()->set_month(1);
  position->mutable_start_date()->set_day(1);
  return person;
}

}  // namespace antt::registry::testing

#endif  // ANTT_TESTS_REGISTRY_FIXTURES_H_
