#ifndef ANTT_TESTS_TESTING_TEST_UTIL_H_
#define ANTT_TESTS_TESTING_TEST_UTIL_H_

// Shared test helpers. Abseil 20220623 has no status matchers, so these macros
// print the status message on failure.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define ANTT_STATUS_OF_(expr) ::antt::testing::StatusOf(expr)

#define ASSERT_OK(expr)                                        \
  do {                                                         \
    const ::absl::Status antt_status_ = ANTT_STATUS_OF_(expr); \
    ASSERT_TRUE(antt_status_.ok()) << antt_status_.ToString(); \
  } while (false)

#define EXPECT_OK(expr)                                        \
  do {                                                         \
    const ::absl::Status antt_status_ = ANTT_STATUS_OF_(expr); \
    EXPECT_TRUE(antt_status_.ok()) << antt_status_.ToString(); \
  } while (false)

#define EXPECT_CODE(expr, expected_code)                       \
  do {                                                         \
    const ::absl::Status antt_status_ = ANTT_STATUS_OF_(expr); \
    EXPECT_EQ(antt_status_.code(), (expected_code))            \
        << antt_status_.ToString();                            \
  } while (false)

namespace antt::testing {

inline absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// A fresh, empty directory under ::testing::TempDir() named after the
// running test and this process, so tests (and whole test runs) can run in
// parallel.
inline std::string FreshTestDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) /
      ("antt-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// The source tree's data directory (set by CMake).
inline std::string SourceDataDir() { return ANTT_SOURCE_DATA_DIR; }

}  // namespace antt::testing

#endif  // ANTT_TESTS_TESTING_TEST_UTIL_H_
