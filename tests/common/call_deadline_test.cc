#include "common/call_deadline.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/time/clock.h"
#include "common/dependency.h"

namespace antt {
namespace {

TEST(CallDeadlineTest, ScopesNestAndRestore) {
  EXPECT_EQ(CurrentCallDeadline(), absl::InfiniteFuture());
  const absl::Time outer = absl::Now() + absl::Seconds(30);
  {
    ScopedCallDeadline a(outer);
    EXPECT_EQ(CurrentCallDeadline(), outer);
    {
      ScopedCallDeadline b(outer - absl::Seconds(10));
      EXPECT_EQ(CurrentCallDeadline(), outer - absl::Seconds(10));
    }
    EXPECT_EQ(CurrentCallDeadline(), outer);
    // Another thread serves another call.
    std::thread([] {
      EXPECT_EQ(CurrentCallDeadline(), absl::InfiniteFuture());
    }).join();
  }
  EXPECT_EQ(CurrentCallDeadline(), absl::InfiniteFuture());
}

TEST(CallDeadlineTest, DependencyCallsEndByTheCallersDeadline) {
  const absl::Time soon = absl::Now() + absl::Milliseconds(500);
  {
    ScopedCallDeadline caller(soon);
    auto context = DependencyContext(absl::Seconds(3));
    EXPECT_LE(absl::FromChrono(context->deadline()), soon);
  }
  auto context = DependencyContext(absl::Seconds(3));
  EXPECT_GT(absl::FromChrono(context->deadline()), soon + absl::Seconds(1));
}

TEST(CallDeadlineTest, OurOwnExpiredDeadlineIsNotBlamedOnTheDependency) {
  const grpc::Status timeout(grpc::StatusCode::DEADLINE_EXCEEDED,
                             "Deadline Exceeded");
  {
    ScopedCallDeadline caller(absl::Now() - absl::Milliseconds(1));
    EXPECT_EQ(DependencyError(timeout, "scoring", "127.0.0.1:1").code(),
              absl::StatusCode::kDeadlineExceeded);
  }
  EXPECT_EQ(DependencyError(timeout, "scoring", "127.0.0.1:1").code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace antt
