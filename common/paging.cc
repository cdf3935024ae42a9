#include "common/paging.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/field_violations.h"
#include "common/keys.h"

namespace antt {
namespace {

// FNV-1a: stable across processes and versions, unlike std::hash.
uint64_t Fingerprint(absl::string_view text) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int requested, std::string field) {
  if (requested == 0) return kDefaultPageSize;
  if (requested < 0 || requested > kMaxPageSize) {
    return InvalidField(std::move(field),
                        absl::StrCat("must be between 1 and ", kMaxPageSize,
                                     " (0 means ", kDefaultPageSize, ")"));
  }
  return requested;
}

std::string EncodePageToken(absl::string_view position,
                            absl::string_view filters) {
  std::string raw;
  AppendUint64(&raw, Fingerprint(filters));
  raw.append(position.data(), position.size());
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view filters) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  absl::string_view in(raw);
  const auto fingerprint = ConsumeUint64(&in);
  if (!fingerprint.has_value() || in.empty()) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  if (*fingerprint != Fingerprint(filters)) {
    return InvalidField("page_token",
                        "was issued for a request with other filters");
  }
  return std::string(in);
}

}  // namespace antt
