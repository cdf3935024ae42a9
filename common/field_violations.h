#ifndef ANTT_COMMON_FIELD_VIOLATIONS_H_
#define ANTT_COMMON_FIELD_VIOLATIONS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace antt {

// The type URL under which a google.rpc.BadRequest rides in an absl::Status
// payload; ToGrpcStatus() moves it into the gRPC status details.
inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";

// Collects every bad field of a request, so a caller learns all of them at
// once, then becomes one InvalidArgument status carrying a BadRequest.
class FieldViolations final {
 public:
  // `field` is the path in the request, e.g. "unit.tax_code".
  void Add(std::string field, std::string description);
  [[nodiscard]] bool empty() const { return violations_.empty(); }
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>&
  violations() const {
    return violations_;
  }

  // OK when empty; otherwise InvalidArgument whose message lists the fields
  // and whose payload is the serialized google.rpc.BadRequest.
  [[nodiscard]] absl::Status ToStatus() const;
  [[nodiscard]] absl::Status ToStatusWithCode(absl::StatusCode code) const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// Normalises `*value` to NFC, trims surrounding white space (TrimSpace), and
// checks it is valid UTF-8 without control characters, of min_chars..max_chars
// characters; adds a violation for `field` to `violations` otherwise. min_chars
// 0 makes it optional.
void CheckText(std::string* value, const std::string& field, size_t min_chars,
               size_t max_chars, FieldViolations* violations);

// A status of `code` whose payload names one field, for errors other than
// InvalidArgument that are still about a field (e.g. AlreadyExists for a tax
// code another unit holds).
[[nodiscard]] absl::Status FieldError(absl::StatusCode code, std::string field,
                                      std::string description);

// Shorthand for one bad field: FieldError(kInvalidArgument, ...).
[[nodiscard]] absl::Status InvalidField(std::string field,
                                        std::string description);

// The field violations carried by `status` (empty when none): for tests and
// for reporting import rows.
[[nodiscard]] std::vector<std::pair<std::string, std::string>>
FieldViolationsOf(const absl::Status& status);

}  // namespace antt

#endif  // ANTT_COMMON_FIELD_VIOLATIONS_H_
