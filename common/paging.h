#ifndef ANTT_COMMON_PAGING_H_
#define ANTT_COMMON_PAGING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace antt {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// 0 → the default; 1..1000 as given; anything else → InvalidArgument naming
// `field`.
[[nodiscard]] absl::StatusOr<int> ResolvePageSize(
    int requested, std::string field = "page_size");

// Page tokens are opaque to clients: the position to resume after, bound to a
// fingerprint of the request's filters, so a token reused with other filters
// is rejected instead of silently skipping rows.
[[nodiscard]] std::string EncodePageToken(absl::string_view position,
                                          absl::string_view filters);

// The position stored in `token` ("" for an empty token). InvalidArgument
// naming "page_token" when it is malformed or was issued for other filters.
[[nodiscard]] absl::StatusOr<std::string> DecodePageToken(
    absl::string_view token, absl::string_view filters);

}  // namespace antt

#endif  // ANTT_COMMON_PAGING_H_
