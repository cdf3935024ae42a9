#ifndef ANTT_COMMON_ETAG_H_
#define ANTT_COMMON_ETAG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace antt {

// A non-empty etag a client sends must name the stored version (AIP-154):
// Aborted otherwise, telling the client to read `what` ("unit U…") again.
[[nodiscard]] absl::Status CheckEtag(const std::string& given,
                                     const std::string& stored,
                                     absl::string_view what);

}  // namespace antt

#endif  // ANTT_COMMON_ETAG_H_
