#ifndef ANTT_COMMON_REQUEST_ID_H_
#define ANTT_COMMON_REQUEST_ID_H_

#include <string>

#include "absl/status/status.h"
#include "common/principal.h"

namespace antt {

// A client's idempotency key (AIP-155): empty (none), or 1 to 128 printable
// ASCII characters without spaces. InvalidArgument naming `field` otherwise.
[[nodiscard]] absl::Status CheckRequestId(
    const std::string& request_id, const std::string& field = "request_id");

// The key a store keeps `request_id` under for `caller`: the caller's name
// and the id, so that two callers who happen to choose the same id never get
// each other's record back. Empty for no id.
[[nodiscard]] std::string CallerRequestKey(const Principal& caller,
                                           const std::string& request_id);

}  // namespace antt

#endif  // ANTT_COMMON_REQUEST_ID_H_
