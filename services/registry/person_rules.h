#ifndef ANTT_SERVICES_REGISTRY_PERSON_RULES_H_
#define ANTT_SERVICES_REGISTRY_PERSON_RULES_H_

// The rules of SPEC section 1 for a person's own fields. Whether the units a
// person names exist is checked by the caller (it needs the store).

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "antt/registry/v1/registry.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace antt::registry {

// The positions one person record holds: a whole career is a few dozen.
inline constexpr int kMaxPositions = 100;

// Normalises names to NFC and validates every client-settable field; `today`
// bounds birth years and position dates. Lists every bad field as
// "<prefix>.<field>".
[[nodiscard]] absl::Status NormalizeAndValidatePerson(
    v1::Person* person, absl::CivilDay today,
    absl::string_view prefix = "person");

void ClearOutputOnlyFields(v1::Person* person);

// As ApplyUnitMask, for persons.
[[nodiscard]] absl::Status ApplyPersonMask(
    const v1::Person& from, const google::protobuf::FieldMask& mask,
    v1::Person* to);

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_PERSON_RULES_H_
