#include "services/registry/area_scope.h"

#include "absl/strings/str_cat.h"

namespace antt::registry {

bool UnitInScope(const Principal& caller, const v1::Unit& unit) {
  return caller.InArea(kCurrentEdition,
                       {unit.province_code(), unit.commune_code()}) ||
         caller.InArea(kLegacyEdition, {unit.legacy_province_code(),
                                        unit.legacy_district_code(),
                                        unit.legacy_commune_code()});
}

absl::Status CheckUnitInScope(const Principal& caller, const v1::Unit& unit) {
  if (UnitInScope(caller, unit)) return absl::OkStatus();
  return OutsideArea(
      caller,
      absl::StrCat("unit ", unit.id().empty() ? unit.name() : unit.id()));
}

absl::Status CheckAreaFilter(const Principal& caller, const AreaCatalog& areas,
                             absl::string_view edition,
                             absl::string_view area_code) {
  if (!caller.limited_to_area()) return absl::OkStatus();
  if (area_code.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(
        caller.Describe(), " must filter by its area (area_code ",
        caller.area_code, ", edition ", caller.edition, ") or one inside it"));
  }
  if (edition == caller.edition &&
      areas.IsWithin(edition, area_code, caller.area_code)) {
    return absl::OkStatus();
  }
  return OutsideArea(caller, absl::StrCat("area ", area_code, " of ", edition));
}

}  // namespace antt::registry
