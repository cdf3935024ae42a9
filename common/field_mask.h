#ifndef ANTT_COMMON_FIELD_MASK_H_
#define ANTT_COMMON_FIELD_MASK_H_

#include <set>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace antt {

using FieldNames = std::set<std::string, std::less<>>;

// Copies the top-level fields named by `mask` from `from` into `to` (both of
// the same message type). As AIP-134 says, an empty mask names the fields of
// `settable` that `from` populates (non-default), and "*" names every field
// of `settable` (a full replacement: unset fields are cleared). InvalidArgument
// naming "update_mask" for a path that is not in `settable` (unknown or
// output-only); `to` is untouched then.
[[nodiscard]] absl::Status ApplyFieldMask(
    const google::protobuf::Message& from,
    const google::protobuf::FieldMask& mask, const FieldNames& settable,
    google::protobuf::Message* to);

}  // namespace antt

#endif  // ANTT_COMMON_FIELD_MASK_H_
