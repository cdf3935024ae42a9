#include "services/registry/unit_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/date.h"
#include "common/field_mask.h"
#include "common/field_violations.h"
#include "services/registry/tax_code.h"

namespace antt::registry {
namespace {

std::string F(absl::string_view prefix, absl::string_view field) {
  return absl::StrCat(prefix, ".", field);
}

// Checks an optional area code of `edition` at `level` whose parent chain
// must reach `parent_code` (when non-empty).
void CheckAreaCode(const AreaCatalog& areas, absl::string_view edition,
                   const std::string& code, v1::AreaLevel level,
                   const std::string& parent_code, const std::string& field,
                   FieldViolations* violations) {
  if (code.empty()) return;
  const v1::Area* area = areas.Find(edition, code);
  if (area == nullptr || area->level() != level) {
    const char* level_name = level == v1::AREA_LEVEL_PROVINCE   ? "province"
                             : level == v1::AREA_LEVEL_DISTRICT ? "district"
                                                                : "commune";
    violations->Add(field, absl::StrCat("\"", code, "\" is not a ", level_name,
                                        " code of edition ", edition));
    return;
  }
  if (!parent_code.empty() && area->parent_code() != parent_code) {
    violations->Add(field, absl::StrCat(area->name(), " (", code,
                                        ") does not belong to area ",
                                        parent_code, " in edition ", edition));
  }
}

}  // namespace

void ComputeScope(v1::Unit* unit) {
  std::string reason;
  if (unit->armed_forces()) {
    reason = "Đơn vị lực lượng vũ trang (Thông tư 124/2021/TT-BCA, Điều 1)";
  } else if (unit->kind() == v1::UNIT_KIND_ENTERPRISE &&
             (unit->enterprise_size() == v1::ENTERPRISE_SIZE_MICRO ||
              unit->enterprise_size() == v1::ENTERPRISE_SIZE_SMALL)) {
    reason = "Doanh nghiệp nhỏ, siêu nhỏ (Thông tư 124/2021/TT-BCA, Điều 1)";
  } else if (unit->kind() == v1::UNIT_KIND_EDUCATION &&
             (unit->education_level() == v1::EDUCATION_LEVEL_PRIMARY ||
              unit->education_level() == v1::EDUCATION_LEVEL_KINDERGARTEN)) {
    reason =
        "Cơ sở giáo dục tiểu học, mầm non, nhà trẻ (Thông tư 124/2021/TT-BCA, "
        "Điều 1)";
  }
  unit->set_in_scope(reason.empty());
  unit->set_out_of_scope_reason(reason);
}

absl::Status NormalizeAndValidateUnit(const AreaCatalog& areas, v1::Unit* unit,
                                      absl::string_view prefix) {
  FieldViolations v;
  CheckText(unit->mutable_name(), F(prefix, "name"), 1, kMaxNameCharacters, &v);

  const bool kind_known = v1::UnitKind_IsValid(unit->kind()) &&
                          unit->kind() != v1::UNIT_KIND_UNSPECIFIED;
  if (!kind_known) {
    v.Add(F(prefix, "kind"),
          "is required: UNIT_KIND_AGENCY, UNIT_KIND_ENTERPRISE or "
          "UNIT_KIND_EDUCATION");
  }
  const bool enterprise = unit->kind() == v1::UNIT_KIND_ENTERPRISE;
  const bool education = unit->kind() == v1::UNIT_KIND_EDUCATION;

  // enterprise_size: required for enterprises, forbidden otherwise.
  if (!v1::EnterpriseSize_IsValid(unit->enterprise_size())) {
    v.Add(F(prefix, "enterprise_size"),
          absl::StrCat("unknown value ", unit->enterprise_size()));
  } else if (enterprise &&
             unit->enterprise_size() == v1::ENTERPRISE_SIZE_UNSPECIFIED) {
    v.Add(F(prefix, "enterprise_size"), "is required for an enterprise");
  } else if (kind_known && !enterprise &&
             unit->enterprise_size() != v1::ENTERPRISE_SIZE_UNSPECIFIED) {
    v.Add(F(prefix, "enterprise_size"), "is only for enterprises");
  }

  // education_level: required for schools, forbidden otherwise.
  if (!v1::EducationLevel_IsValid(unit->education_level())) {
    v.Add(F(prefix, "education_level"),
          absl::StrCat("unknown value ", unit->education_level()));
  } else if (education &&
             unit->education_level() == v1::EDUCATION_LEVEL_UNSPECIFIED) {
    v.Add(F(prefix, "education_level"),
          "is required for an education institution");
  } else if (kind_known && !education &&
             unit->education_level() != v1::EDUCATION_LEVEL_UNSPECIFIED) {
    v.Add(F(prefix, "education_level"), "is only for education institutions");
  }

  // tax_code: enterprises only, required, with a valid check digit.
  if (enterprise) {
    if (unit->tax_code().empty()) {
      v.Add(F(prefix, "tax_code"), "is required for an enterprise");
    } else if (absl::Status s = CheckTaxCode(unit->tax_code()); !s.ok()) {
      v.Add(F(prefix, "tax_code"), std::string(s.message()));
    }
  } else if (kind_known && !unit->tax_code().empty()) {
    v.Add(F(prefix, "tax_code"), "is only for enterprises");
  }

  // Location: the current edition, the legacy one, or both.
  if (unit->province_code().empty() && unit->legacy_province_code().empty()) {
    v.Add(F(prefix, "province_code"),
          "is required (or legacy_province_code for a unit known only in "
          "the 2025-06 edition)");
  }
  CheckAreaCode(areas, kCurrentEdition, unit->province_code(),
                v1::AREA_LEVEL_PROVINCE, "", F(prefix, "province_code"), &v);
  if (!unit->commune_code().empty() && unit->province_code().empty()) {
    v.Add(F(prefix, "commune_code"), "needs province_code");
  } else {
    CheckAreaCode(areas, kCurrentEdition, unit->commune_code(),
                  v1::AREA_LEVEL_COMMUNE, unit->province_code(),
                  F(prefix, "commune_code"), &v);
  }
  CheckAreaCode(areas, kLegacyEdition, unit->legacy_province_code(),
                v1::AREA_LEVEL_PROVINCE, "", F(prefix, "legacy_province_code"),
                &v);
  if (!unit->legacy_district_code().empty() &&
      unit->legacy_province_code().empty()) {
    v.Add(F(prefix, "legacy_district_code"), "needs legacy_province_code");
  } else {
    CheckAreaCode(areas, kLegacyEdition, unit->legacy_district_code(),
                  v1::AREA_LEVEL_DISTRICT, unit->legacy_province_code(),
                  F(prefix, "legacy_district_code"), &v);
  }
  if (!unit->legacy_commune_code().empty() &&
      unit->legacy_district_code().empty()) {
    v.Add(F(prefix, "legacy_commune_code"), "needs legacy_district_code");
  } else {
    CheckAreaCode(areas, kLegacyEdition, unit->legacy_commune_code(),
                  v1::AREA_LEVEL_COMMUNE, unit->legacy_district_code(),
                  F(prefix, "legacy_commune_code"), &v);
  }

  // managing_level decides who recognises the unit, so the area it names
  // must be given.
  switch (unit->managing_level()) {
    case v1::MANAGING_LEVEL_PROVINCE:
      break;
    case v1::MANAGING_LEVEL_COMMUNE:
      if (unit->commune_code().empty() && unit->legacy_commune_code().empty()) {
        v.Add(F(prefix, "managing_level"),
              "MANAGING_LEVEL_COMMUNE needs commune_code or "
              "legacy_commune_code");
      }
      break;
    case v1::MANAGING_LEVEL_DISTRICT:
      if (unit->legacy_district_code().empty()) {
        v.Add(F(prefix, "managing_level"),
              "MANAGING_LEVEL_DISTRICT needs legacy_district_code");
      }
      break;
    default:
      v.Add(F(prefix, "managing_level"),
            "is required: MANAGING_LEVEL_PROVINCE, MANAGING_LEVEL_COMMUNE or "
            "MANAGING_LEVEL_DISTRICT");
  }

  if (unit->has_established_date()) {
    if (IsEmptyDate(unit->established_date())) {
      unit->clear_established_date();
    } else if (absl::Status s = CheckDate(unit->established_date()); !s.ok()) {
      v.Add(F(prefix, "established_date"), std::string(s.message()));
    }
  }

  if (!unit->external_id().empty()) {
    const std::string& id = unit->external_id();
    bool printable = id.size() <= 64;
    for (unsigned char c : id) printable = printable && c > 0x20 && c < 0x7F;
    if (!printable) {
      v.Add(F(prefix, "external_id"),
            "must be 1 to 64 printable ASCII characters without spaces");
    }
  }
  CheckText(unit->mutable_managing_body(), F(prefix, "managing_body"), 0, 300,
            &v);
  CheckText(unit->mutable_address(), F(prefix, "address"), 0, 500, &v);
  if (unit->headcount() < 0) {
    v.Add(F(prefix, "headcount"), "must not be negative");
  }
  if (unit->security_force_size() < 0) {
    v.Add(F(prefix, "security_force_size"), "must not be negative");
  }
  if (unit->models_size() > kMaxModels) {
    v.Add(F(prefix, "models"),
          absl::StrCat("has ", unit->models_size(),
                       " models; a unit may have at most ", kMaxModels));
  }
  for (int i = 0; i < std::min(unit->models_size(), kMaxModels); ++i) {
    CheckText(unit->mutable_models(i), absl::StrCat(prefix, ".models[", i, "]"),
              1, kMaxModelCharacters, &v);
  }
  if (v.empty()) ComputeScope(unit);
  return v.ToStatus();
}

void ClearOutputOnlyFields(v1::Unit* unit) {
  unit->clear_id();
  unit->clear_in_scope();
  unit->clear_out_of_scope_reason();
  unit->clear_status();
  unit->clear_dissolve_date();
  unit->clear_dissolve_reason();
  unit->clear_create_time();
  unit->clear_update_time();
  unit->clear_etag();
}

namespace {

// Client-settable fields, by field-mask path.
const FieldNames& SettablePaths() {
  static const auto* paths = new FieldNames{"name",
                                            "kind",
                                            "enterprise_size",
                                            "education_level",
                                            "armed_forces",
                                            "tax_code",
                                            "province_code",
                                            "commune_code",
                                            "legacy_province_code",
                                            "legacy_district_code",
                                            "legacy_commune_code",
                                            "managing_level",
                                            "established_date",
                                            "external_id",
                                            "managing_body",
                                            "address",
                                            "headcount",
                                            "has_party_organization",
                                            "security_force_size",
                                            "models"};
  return *paths;
}

}  // namespace

absl::Status ApplyUnitMask(const v1::Unit& from,
                           const google::protobuf::FieldMask& mask,
                           v1::Unit* to) {
  return ApplyFieldMask(from, mask, SettablePaths(), to);
}

void CopySettableFields(const v1::Unit& from, v1::Unit* to) {
  google::protobuf::FieldMask all;
  all.add_paths("*");
  absl::Status s = ApplyFieldMask(from, all, SettablePaths(), to);
  (void)s;  // "*" names only settable fields: it cannot fail
}

}  // namespace antt::registry
