#ifndef ANTT_SERVICES_REGISTRY_UNIT_RULES_H_
#define ANTT_SERVICES_REGISTRY_UNIT_RULES_H_

// The rules of SPEC section 1 for a unit's own fields. Pure functions: no
// storage, no gRPC. Uniqueness (tax code, external id) needs the store and is
// checked there, atomically with the write.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/registry/area_catalog.h"

namespace antt::registry {

inline constexpr int kMaxNameCharacters = 300;
inline constexpr int kMaxModelCharacters = 200;
// The models (mô hình) one unit runs: dozens at the most in practice.
inline constexpr int kMaxModels = 50;

// Normalises (name and models to NFC, codes trimmed of nothing: they must be
// exact) and validates every client-settable field of `unit`, then computes
// in_scope and out_of_scope_reason. Output-only fields are left alone.
// InvalidArgument lists every bad field as "<prefix>.<field>".
[[nodiscard]] absl::Status NormalizeAndValidateUnit(
    const AreaCatalog& areas, v1::Unit* unit,
    absl::string_view prefix = "unit");

// Sets in_scope and out_of_scope_reason from kind, size, level and
// armed_forces (Circular 124/2021/TT-BCA art. 1).
void ComputeScope(v1::Unit* unit);

// Clears every output-only field (a client may send them; they are ignored,
// as AIP-203 says).
void ClearOutputOnlyFields(v1::Unit* unit);

// Copies the fields named by `mask` from `from` into `to`: an empty mask
// copies the client-settable fields `from` populates, "*" replaces every
// client-settable field (AIP-134). InvalidArgument naming
// "update_mask" for an unknown or output-only path.
[[nodiscard]] absl::Status ApplyUnitMask(
    const v1::Unit& from, const google::protobuf::FieldMask& mask,
    v1::Unit* to);

// Replaces every client-settable field of `to` with `from`'s (an import row
// is the whole record).
void CopySettableFields(const v1::Unit& from, v1::Unit* to);

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_UNIT_RULES_H_
