#include "common/field_violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/text.h"
#include "google/rpc/error_details.pb.h"

namespace antt {

void FieldViolations::Add(std::string field, std::string description) {
  violations_.emplace_back(std::move(field), std::move(description));
}

absl::Status FieldViolations::ToStatus() const {
  return ToStatusWithCode(absl::StatusCode::kInvalidArgument);
}

absl::Status FieldViolations::ToStatusWithCode(absl::StatusCode code) const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::string message;
  for (const auto& [field, description] : violations_) {
    auto* v = bad_request.add_field_violations();
    v->set_field(field);
    v->set_description(description);
    absl::StrAppend(&message, message.empty() ? "" : "; ", field, ": ",
                    description);
  }
  absl::Status status(code, message);
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  return status;
}

void CheckText(std::string* value, const std::string& field, size_t min_chars,
               size_t max_chars, FieldViolations* violations) {
  absl::StatusOr<std::string> nfc = NormalizeNfc(*value);
  if (!nfc.ok()) {
    violations->Add(field, "is not valid UTF-8");
    return;
  }
  *value = std::string(TrimSpace(*nfc));
  if (HasControlCharacter(*value)) {
    violations->Add(field, "must not contain control characters");
    return;
  }
  const size_t chars = CharacterCount(*value);
  if (chars < min_chars || chars > max_chars) {
    violations->Add(field,
                    min_chars == 0
                        ? absl::StrCat("must be at most ", max_chars,
                                       " characters, got ", chars)
                        : absl::StrCat("must be ", min_chars, " to ", max_chars,
                                       " characters, got ", chars));
  }
}

absl::Status FieldError(absl::StatusCode code, std::string field,
                        std::string description) {
  FieldViolations violations;
  violations.Add(std::move(field), std::move(description));
  return violations.ToStatusWithCode(code);
}

absl::Status InvalidField(std::string field, std::string description) {
  return FieldError(absl::StatusCode::kInvalidArgument, std::move(field),
                    std::move(description));
}

std::vector<std::pair<std::string, std::string>> FieldViolationsOf(
    const absl::Status& status) {
  std::vector<std::pair<std::string, std::string>> out;
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload.has_value()) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : bad_request.field_violations()) {
    out.emplace_back(v.field(), v.description());
  }
  return out;
}

}  // namespace antt
