#ifndef ANTT_COMMON_PRINCIPAL_H_
#define ANTT_COMMON_PRINCIPAL_H_

// Who a call is made by: a principal of the principals file, its role and
// its area scope (SPEC section 4). No gRPC here, so domain code can take a
// caller; authentication lives in common/auth.h.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace antt {

enum class Role : uint8_t {
  kAdmin = 1,    // everything, including the audit log and overrides
  kOfficer = 2,  // reads and writes, optionally within one area
  kViewer = 4,   // reads and Score
  kService = 8,  // ANTT services calling each other: reads
};

// A set of roles, as a bit mask.
using Roles = uint8_t;
inline constexpr Roles RolesOf(std::initializer_list<Role> roles) {
  Roles mask = 0;
  for (Role role : roles) mask |= static_cast<Roles>(role);
  return mask;
}
inline constexpr Roles kAdminOnly = RolesOf({Role::kAdmin});
inline constexpr Roles kWriters = RolesOf({Role::kAdmin, Role::kOfficer});
inline constexpr Roles kReaders =
    RolesOf({Role::kAdmin, Role::kOfficer, Role::kViewer, Role::kService});

[[nodiscard]] absl::string_view RoleName(Role role);

struct Principal {
  std::string name;
  Role role = Role::kViewer;
  // For an OFFICER limited to one area: its code and the edition of the
  // area lists it belongs to. Empty: the whole country.
  std::string area_code;
  std::string edition;

  [[nodiscard]] bool limited_to_area() const { return !area_code.empty(); }
  // Whether a record filed under `codes` (area codes of `edition`, any
  // level) lies in this principal's scope. Always true for a principal
  // without an area limit.
  [[nodiscard]] bool InArea(absl::string_view edition,
                            const std::vector<absl::string_view>& codes) const;
  // "name (ROLE, area 45 of 2025-06)": for messages and logs.
  [[nodiscard]] std::string Describe() const;
};

// PERMISSION_DENIED saying `principal` may not act on `what`.
[[nodiscard]] absl::Status OutsideArea(const Principal& principal,
                                       absl::string_view what);

}  // namespace antt

#endif  // ANTT_COMMON_PRINCIPAL_H_
