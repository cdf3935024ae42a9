#ifndef ANTT_COMMON_TEXT_H_
#define ANTT_COMMON_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace antt {

// Returns `text` in Unicode Normalization Form C. Fails with InvalidArgument
// when `text` is not valid UTF-8.
[[nodiscard]] absl::StatusOr<std::string> NormalizeNfc(absl::string_view text);

// Number of Unicode code points in valid UTF-8 `text` (what SPEC calls
// "characters": after NFC every Vietnamese letter is one code point).
[[nodiscard]] size_t CharacterCount(absl::string_view text);

// True when `text` holds a C0/C1 control character (tab and newline included).
[[nodiscard]] bool HasControlCharacter(absl::string_view text);

// `text` without leading and trailing white space: ASCII white space and every
// Unicode space separator (e.g. U+00A0 no-break space). Invalid UTF-8 is
// returned unchanged.
[[nodiscard]] absl::string_view TrimSpace(absl::string_view text);

// Folds `text` for search: NFC, case fold, diacritics stripped, "đ"/"Đ" → "d",
// every run of non-alphanumeric characters → one space, trimmed. So
// "Trường THPT Nguyễn Du" folds to "truong thpt nguyen du". Invalid UTF-8
// folds to "".
[[nodiscard]] std::string FoldForSearch(absl::string_view text);

// The distinct words of FoldForSearch(text), in first-seen order.
[[nodiscard]] std::vector<std::string> SearchWords(absl::string_view text);

// True when every word of `folded_query` is a prefix of some word of
// `folded_text` (both already folded).
[[nodiscard]] bool MatchesQuery(absl::string_view folded_text,
                                absl::string_view folded_query);

}  // namespace antt

#endif  // ANTT_COMMON_TEXT_H_
