#ifndef ANTT_TESTS_LOAD_UNIT_GENERATOR_H_
#define ANTT_TESTS_LOAD_UNIT_GENERATOR_H_

// Deterministic generator of valid units for load tools and benchmarks.
//
// Every unit it returns passes NormalizeAndValidateUnit (services/registry/
// unit_rules.cc) and, within one generator, has a unique tax code
// (enterprises) or a unique external id (agencies and schools), so a stream
// of them imports as all-created into a registry that holds none of them.
// The mix is ~50 % enterprises, ~30 % schools, ~20 % agencies, all in Quảng
// Trị: current province "44" (edition 2026-07), legacy province "45" and one
// of its ten legacy districts (edition 2025-06), managed at province level.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "antt/registry/v1/registry.pb.h"

namespace antt::registry::load {

// Disjoint key spaces, so units of different namespaces never collide on a
// unique key in one database. The tax-code serial space holds 10^7 numbers.
struct KeySpace {
  std::string external_id_prefix;  // e.g. "QT-IMP"; printable ASCII, no space
  uint32_t first_tax_serial = 0;   // first 7-digit serial after "32"
};

inline const KeySpace kGetKeySpace{"QT-GET", 0};
inline const KeySpace kImportKeySpace{"QT-IMP", 5'000'000};

class UnitGenerator final {
 public:
  // The same seed and key space give the same sequence of units.
  UnitGenerator(uint64_t seed, KeySpace key_space);

  // The next unit. Client-settable fields only: no id, status or times.
  [[nodiscard]] v1::Unit Next();

  // The next unused valid tax code of this generator: "32", a 7-digit serial
  // and the check digit; serials without a check digit are skipped. Returns
  // "" once the serial space is exhausted.
  [[nodiscard]] std::string NextTaxCode();

  // The next unused external id: "<prefix>-<7 digits>".
  [[nodiscard]] std::string NextExternalId();

  [[nodiscard]] int64_t generated() const { return generated_; }

 private:
  uint64_t Random();               // splitmix64: the same on every platform
  int Uniform(int n);              // in [0, n)
  int Between(int low, int high);  // in [low, high]
  template <size_t N>
  absl::string_view Pick(const absl::string_view (&items)[N]) {
    return items[Uniform(static_cast<int>(N))];
  }

  uint64_t state_;
  KeySpace key_space_;
  uint32_t next_tax_serial_;
  int64_t next_external_ = 1;
  int64_t generated_ = 0;
};

}  // namespace antt::registry::load

#endif  // ANTT_TESTS_LOAD_UNIT_GENERATOR_H_
