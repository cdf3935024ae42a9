#ifndef ANTT_COMMON_PAGING_H_
#define ANTT_COMMON_PAGING_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace antt {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;
// A page of a list ends early (with a next page token) rather than carry
// more than this: with the bound on each record (RocksDb::kMaxRecordBytes)
// an answer always fits the 4 MiB message every client accepts.
inline constexpr size_t kMaxPageBytes = 2 << 20;

// Decides which items go on one page: at most `page_size` of them and, past
// the first, no more than kMaxPageBytes of encoded records in all. Items are
// offered in page order; once one is refused the page is full and every
// later one is refused too, so the next page token (the last item taken)
// skips nothing.
class PageFill final {
 public:
  explicit PageFill(int page_size) : page_size_(page_size) {}

  // True when an item of `bytes` goes on the page.
  [[nodiscard]] bool Take(size_t bytes) {
    if (full_ || items_ == page_size_ ||
        (items_ > 0 && bytes_ + bytes > kMaxPageBytes)) {
      full_ = true;
      return false;
    }
    ++items_;
    bytes_ += bytes;
    return true;
  }
  // Whether an item was refused: there is more after this page.
  [[nodiscard]] bool full() const { return full_; }

 private:
  int page_size_;
  int items_ = 0;
  size_t bytes_ = 0;
  bool full_ = false;
};

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
