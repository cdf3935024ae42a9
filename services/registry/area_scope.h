#ifndef ANTT_SERVICES_REGISTRY_AREA_SCOPE_H_
#define ANTT_SERVICES_REGISTRY_AREA_SCOPE_H_

// Area scope of an OFFICER limited to one area (SPEC section 4): which units
// and which area filters it may touch. Shared by the three services, since a
// unit's areas decide the scope of its persons, assessments and nominations.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"
#include "common/principal.h"
#include "services/registry/area_catalog.h"

namespace antt::registry {

// Whether `unit` is filed under `caller`'s area, at any level of the area's
// edition. True for a caller without an area limit.
[[nodiscard]] bool UnitInScope(const Principal& caller, const v1::Unit& unit);

// PERMISSION_DENIED naming the unit unless UnitInScope.
[[nodiscard]] absl::Status CheckUnitInScope(const Principal& caller,
                                            const v1::Unit& unit);

// For a listing or statistic filtered by area: OK when `caller` has no area
// limit, or when (edition, area_code) is the caller's area or lies inside it.
// PERMISSION_DENIED otherwise, also for no area filter at all.
[[nodiscard]] absl::Status CheckAreaFilter(const Principal& caller,
                                           const AreaCatalog& areas,
                                           absl::string_view edition,
                                           absl::string_view area_code);

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_AREA_SCOPE_H_
