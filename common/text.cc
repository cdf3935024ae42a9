#include "common/text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"

namespace antt {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};
using Utf8Buffer = std::unique_ptr<utf8proc_uint8_t, FreeDeleter>;

// Runs utf8proc_map; returns false on invalid UTF-8.
bool Map(absl::string_view text, int options, std::string* out) {
  utf8proc_uint8_t* result = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &result,
                   static_cast<utf8proc_option_t>(options));
  Utf8Buffer owned(result);
  if (n < 0) return false;
  out->assign(reinterpret_cast<const char*>(result), static_cast<size_t>(n));
  return true;
}

bool IsAscii(absl::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizeNfc(absl::string_view text) {
  // ASCII is valid UTF-8 and already NFC.
  if (IsAscii(text)) return std::string(text);
  std::string out;
  if (!Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE, &out)) {
    return absl::InvalidArgumentError("not valid UTF-8");
  }
  return out;
}

size_t CharacterCount(absl::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;  // count lead bytes, skip continuations
  }
  return count;
}

bool HasControlCharacter(absl::string_view text) {
  if (IsAscii(text)) {
    for (unsigned char c : text) {
      if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
  }
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;  // invalid UTF-8 is reported elsewhere
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC) return true;
    p += n;
    left -= n;
  }
  return false;
}

namespace {

bool IsSpace(utf8proc_int32_t cp) {
  return cp == ' ' || (cp >= '\t' && cp <= '\r') ||
         utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

}  // namespace

absl::string_view TrimSpace(absl::string_view text) {
  // Leading: skip code points while they are spaces.
  while (!text.empty()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                         static_cast<utf8proc_ssize_t>(text.size()), &cp);
    if (n <= 0 || !IsSpace(cp)) break;
    text.remove_prefix(static_cast<size_t>(n));
  }
  // Trailing: find the start of the last code point, test it, drop it.
  while (!text.empty()) {
    size_t start = text.size() - 1;
    while (start > 0 &&
           (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data() + start),
        static_cast<utf8proc_ssize_t>(text.size() - start), &cp);
    if (n <= 0 || !IsSpace(cp)) break;
    text.remove_suffix(text.size() - start);
  }
  return text;
}

std::string FoldForSearch(absl::string_view text) {
  std::string stripped;
  // Decompose, fold case, and drop the combining marks that carry Vietnamese
  // tones and vowel shapes (ư → u, ơ → o, â → a, ...).
  if (!Map(text,
           UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
               UTF8PROC_STRIPMARK,
           &stripped)) {
    return "";
  }
  std::string out;
  out.reserve(stripped.size());
  bool pending_space = false;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(stripped.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(stripped.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) break;
    p += n;
    left -= n;
    if (cp == 0x0111) cp = 'd';  // đ has no decomposition; Đ folded to đ above
    const utf8proc_category_t cat = utf8proc_category(cp);
    const bool word_char =
        (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (!word_char) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    utf8proc_uint8_t buf[4];
    const utf8proc_ssize_t len = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  }
  return out;
}

std::vector<std::string> SearchWords(absl::string_view text) {
  std::vector<std::string> words;
  for (absl::string_view w :
       absl::StrSplit(FoldForSearch(text), ' ', absl::SkipEmpty())) {
    bool seen = false;
    for (const std::string& existing : words) seen = seen || existing == w;
    if (!seen) words.emplace_back(w);
  }
  return words;
}

bool MatchesQuery(absl::string_view folded_text,
                  absl::string_view folded_query) {
  std::vector<absl::string_view> words =
      absl::StrSplit(folded_text, ' ', absl::SkipEmpty());
  for (absl::string_view q :
       absl::StrSplit(folded_query, ' ', absl::SkipEmpty())) {
    bool found = false;
    for (absl::string_view w : words) {
      if (w.substr(0, q.size()) == q) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace antt
