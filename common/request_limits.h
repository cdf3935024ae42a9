#ifndef ANTT_COMMON_REQUEST_LIMITS_H_
#define ANTT_COMMON_REQUEST_LIMITS_H_

// The limits every request to an ANTT method obeys before any use case sees
// it, whatever its method: no one text (string or bytes field) longer than
// kMaxTextBytes, no one list (repeated field) longer than kMaxListItems.
// The use cases hold their own fields to much tighter, documented limits
// (a unit's name, its models, a person's positions: README, "Limits"); these
// catch everything else — an id of a megabyte, 20,000 answers — at once, so
// nothing that large is validated, looked up, echoed in an error or stored.

#include <cstddef>

#include "absl/status/status.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace antt {

inline constexpr size_t kMaxTextBytes = 64 << 10;
inline constexpr int kMaxListItems = 10000;

// OK, or InvalidArgument (google.rpc.BadRequest) naming each field path that
// breaks a limit ("unit.models", "assessment.conditions[3].note").
// `encoded_size` is the request's size on the wire: a request under
// kMaxListItems bytes can break neither limit and is not looked into.
[[nodiscard]] absl::Status CheckRequestLimits(
    const google::protobuf::Message& request, size_t encoded_size);

}  // namespace antt

#endif  // ANTT_COMMON_REQUEST_LIMITS_H_
