#ifndef ANTT_COMMON_DIGEST_H_
#define ANTT_COMMON_DIGEST_H_

// SHA-256 and constant-time comparison, from OpenSSL (libcrypto), for token
// hashes and the audit chain.

#include <string>

#include "absl/strings/string_view.h"

namespace antt {

// The 32-byte SHA-256 digest of `data`.
[[nodiscard]] std::string Sha256(absl::string_view data);

// Lower-case hex of SHA-256(data): 64 characters.
[[nodiscard]] std::string Sha256Hex(absl::string_view data);

// Whether `a` and `b` are equal, in time that depends only on their lengths.
[[nodiscard]] bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace antt

#endif  // ANTT_COMMON_DIGEST_H_
