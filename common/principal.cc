#include "common/principal.h"

#include "absl/strings/str_cat.h"

namespace antt {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "ADMIN";
    case Role::kOfficer:
      return "OFFICER";
    case Role::kViewer:
      return "VIEWER";
    case Role::kService:
      return "SERVICE";
  }
  return "UNKNOWN";
}

bool Principal::InArea(absl::string_view record_edition,
                       const std::vector<absl::string_view>& codes) const {
  if (!limited_to_area()) return true;
  if (record_edition != edition) return false;
  for (absl::string_view code : codes) {
    if (code == area_code) return true;
  }
  return false;
}

std::string Principal::Describe() const {
  std::string text = absl::StrCat(name, " (", RoleName(role));
  if (limited_to_area()) {
    absl::StrAppend(&text, ", area ", area_code, " of ", edition);
  }
  return absl::StrCat(text, ")");
}

absl::Status OutsideArea(const Principal& principal, absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat(principal.Describe(), " may not act on ", what,
                   ": it lies outside the caller's area"));
}

}  // namespace antt
