#include "common/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/escaping.h"

namespace antt {
namespace {

// OpenSSL frees its global state in an atexit handler unless told not to.
// gRPC's threads (TLS handshakes, executors) can outlive main's return, and
// when one of them exits after that handler ran, its thread-local OpenSSL
// state is freed twice (an AddressSanitizer double-free at shutdown, now and
// then). Every process linking this file initialises OpenSSL first, before
// gRPC does, without the exit handler; the memory is the OS's at exit.
[[maybe_unused]] const bool kOpenSslWithoutExitCleanup =
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;

}  // namespace

std::string Sha256(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    // Only an out-of-memory OpenSSL fails here; nothing sensible follows.
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string Sha256Hex(absl::string_view data) {
  return absl::BytesToHexString(Sha256(data));
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace antt
