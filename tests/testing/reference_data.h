#ifndef ANTT_TESTS_TESTING_REFERENCE_DATA_H_
#define ANTT_TESTS_TESTING_REFERENCE_DATA_H_

// The area code lists shipped in data/areas, loaded once per test binary.

#include <memory>

#include "gtest/gtest.h"
#include "services/registry/area_catalog.h"
#include "tests/testing/test_util.h"

namespace antt::testing {

// Loads `T` once per test binary with `load` (returning
// absl::StatusOr<std::unique_ptr<T>>), failing the test when it cannot.
template <typename T, typename Load>
const T& LoadOnce(Load load) {
  static const T* const loaded = [&] {
    auto result = load();
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->release() : nullptr;
  }();
  return *loaded;
}

inline const registry::AreaCatalog& SourceAreas() {
  return LoadOnce<registry::AreaCatalog>(
      [] { return registry::AreaCatalog::Load(SourceDataDir() + "/areas"); });
}

}  // namespace antt::testing

#endif  // ANTT_TESTS_TESTING_REFERENCE_DATA_H_
