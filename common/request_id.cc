#include "common/request_id.h"

#include "absl/strings/str_cat.h"
#include "common/field_violations.h"

namespace antt {

absl::Status CheckRequestId(const std::string& request_id,
                            const std::string& field) {
  constexpr size_t kMaxLength = 128;
  bool printable = request_id.size() <= kMaxLength;
  for (unsigned char c : request_id)
    printable = printable && c > 0x20 && c < 0x7F;
  if (!printable) {
    return InvalidField(field, "must be 1 to 128 printable ASCII characters");
  }
  return absl::OkStatus();
}

std::string CallerRequestKey(const Principal& caller,
                             const std::string& request_id) {
  if (request_id.empty()) return "";
  // Request ids are printable ASCII, so the unit separator cannot occur in
  // one and the pair is unambiguous.
  return absl::StrCat(caller.name, "\x1f", request_id);
}

}  // namespace antt
