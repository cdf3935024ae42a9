#include "common/etag.h"

#include "absl/strings/str_cat.h"

namespace antt {

absl::Status CheckEtag(const std::string& given, const std::string& stored,
                       absl::string_view what) {
  if (!given.empty() && given != stored) {
    return absl::AbortedError(
        absl::StrCat(what, " was changed by someone else (etag ", given,
                     " is stale, now ", stored, "): read it again and retry"));
  }
  return absl::OkStatus();
}

}  // namespace antt
