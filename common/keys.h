#ifndef ANTT_COMMON_KEYS_H_
#define ANTT_COMMON_KEYS_H_

// Key encoding shared by every store. Integers are fixed-width big-endian so
// that RocksDB's bytewise order is numeric order; string parts are followed by
// a 0x00 separator, so they must not contain 0x00 (validated input never does).

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace antt {

inline constexpr char kKeySeparator = '\0';

void AppendUint64(std::string* key, uint64_t value);
void AppendUint32(std::string* key, uint32_t value);

// Decodes a big-endian integer from the front of `*in` and advances it.
// Returns nullopt when `*in` is too short.
[[nodiscard]] std::optional<uint64_t> ConsumeUint64(absl::string_view* in);
[[nodiscard]] std::optional<uint32_t> ConsumeUint32(absl::string_view* in);

// Builds a key from parts: KeyBuilder("t").Str(tax_code).Build().
class KeyBuilder final {
 public:
  explicit KeyBuilder(absl::string_view prefix);

  // Appends `part` and a separator.
  KeyBuilder& Str(absl::string_view part);
  // Appends `part` with no separator (a last part, or a fixed-width one).
  KeyBuilder& Raw(absl::string_view part);
  KeyBuilder& U64(uint64_t value);
  KeyBuilder& U32(uint32_t value);

  [[nodiscard]] std::string Build() const { return key_; }

 private:
  std::string key_;
};

// The smallest key greater than every key that starts with `prefix`, for an
// iterator's upper bound. Empty when no such key exists (all 0xFF).
[[nodiscard]] std::string PrefixSuccessor(absl::string_view prefix);

}  // namespace antt

#endif  // ANTT_COMMON_KEYS_H_
