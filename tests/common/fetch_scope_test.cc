// FetchScope on its own: answers looked up, wanted, fetched in one round,
// cancelled; and the rule that nothing is written while answers are wanted.

#include "common/fetch_scope.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "antt/audit/v1/audit.pb.h"
#include "common/audit.h"
#include "common/dependency.h"
#include "common/rocksdb_db.h"
#include "tests/testing/test_util.h"

namespace antt {
namespace {

using Answer = FetchScope::Answer;

// An answer carrying `sequence`, as a message.
Answer Response(uint64_t sequence) {
  auto record = std::make_shared<audit::v1::AuditRecord>();
  record->set_sequence(sequence);
  return std::shared_ptr<const google::protobuf::Message>(record);
}

uint64_t SequenceOf(const Answer& answer) {
  return static_cast<const audit::v1::AuditRecord&>(**answer).sequence();
}

// A Start that answers `answer` from another thread, as gRPC would, and
// counts its calls.
FetchScope::Start AnswerLater(Answer answer, std::atomic<int>* starts) {
  return
      [answer, starts](grpc::ClientContext*, std::function<void(Answer)> done) {
        ++*starts;
        std::thread([answer, done] { done(answer); }).detach();
      };
}

TEST(FetchScopeTest, AMissIsWantedOnceAndFetchedInOneRound) {
  FetchScope scope(absl::Now() + absl::Seconds(10));
  std::atomic<int> starts{0};
  {
    const FetchScope::Activation active(&scope);
    EXPECT_EQ(FetchScope::Current(), &scope);
    EXPECT_EQ(
        scope.Lookup("a", absl::Seconds(1), AnswerLater(Response(1), &starts)),
        nullptr);
    // Asked again in the same run: still one fetch.
    EXPECT_EQ(
        scope.Lookup("a", absl::Seconds(1), AnswerLater(Response(9), &starts)),
        nullptr);
    EXPECT_EQ(scope.Lookup("b", absl::Seconds(1),
                           AnswerLater(absl::NotFoundError("no b"), &starts)),
              nullptr);
  }
  EXPECT_EQ(FetchScope::Current(), nullptr);
  EXPECT_TRUE(scope.has_wanted());

  absl::Notification fetched;
  scope.FetchWanted([&] { fetched.Notify(); });
  ASSERT_TRUE(fetched.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(starts, 2);
  EXPECT_EQ(scope.rounds(), 1);
  EXPECT_FALSE(scope.has_wanted());

  const Answer* a =
      scope.Lookup("a", absl::Seconds(1), AnswerLater(Response(7), &starts));
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->ok());
  EXPECT_EQ(SequenceOf(*a), 1u);
  const Answer* b =
      scope.Lookup("b", absl::Seconds(1), AnswerLater(Response(7), &starts));
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(scope.has_wanted());
  EXPECT_EQ(starts, 2);
}

TEST(FetchScopeTest, NothingWantedRunsDoneAtOnce) {
  FetchScope scope(absl::Now() + absl::Seconds(10));
  bool done = false;
  scope.FetchWanted([&] { done = true; });
  EXPECT_TRUE(done);
}

TEST(FetchScopeTest, EachFetchGetsTheSoonerOfItsOwnAndTheCallsDeadline) {
  const absl::Time call_deadline = absl::Now() + absl::Seconds(2);
  FetchScope scope(call_deadline);
  std::vector<absl::Time> deadlines;
  const auto record_deadline = [&](grpc::ClientContext* context,
                                   std::function<void(Answer)> done) {
    deadlines.push_back(absl::FromChrono(context->deadline()));
    done(Response(1));
  };
  EXPECT_EQ(scope.Lookup("long", absl::Seconds(30), record_deadline), nullptr);
  EXPECT_EQ(scope.Lookup("short", absl::Milliseconds(100), record_deadline),
            nullptr);
  bool done = false;
  scope.FetchWanted([&] { done = true; });
  ASSERT_TRUE(done);
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0], call_deadline);
  EXPECT_LT(deadlines[1], call_deadline - absl::Seconds(1));
}

// Cancelling real calls is the serving layer's test (serving_test.cc): a
// fake call cannot see TryCancel. Here: a cancel while a round is in flight
// still ends the round, and every later round is answered CANCELLED without
// starting anything.
TEST(FetchScopeTest, AfterCancelNothingMoreIsStarted) {
  FetchScope scope(absl::Now() + absl::Seconds(30));
  std::atomic<int> starts{0};
  const auto slow = [&](grpc::ClientContext*,
                        std::function<void(Answer)> done) {
    ++starts;
    std::thread([done] {
      absl::SleepFor(absl::Milliseconds(50));
      done(absl::CancelledError("cancelled"));
    }).detach();
  };
  EXPECT_EQ(scope.Lookup("x", absl::Seconds(30), slow), nullptr);
  absl::Notification fetched;
  scope.FetchWanted([&] { fetched.Notify(); });
  scope.Cancel();
  ASSERT_TRUE(fetched.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(starts, 1);

  EXPECT_EQ(scope.Lookup("y", absl::Seconds(1), slow), nullptr);
  absl::Notification second;
  scope.FetchWanted([&] { second.Notify(); });
  ASSERT_TRUE(second.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(starts, 1);
  const Answer* y = scope.Lookup("y", absl::Seconds(1), slow);
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(scope.rounds(), 2);
}

TEST(FetchScopeTest, PendingFetchErrorIsToldFromARealOutage) {
  EXPECT_TRUE(IsPendingFetch(PendingFetchError()));
  EXPECT_EQ(PendingFetchError().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(IsPendingFetch(absl::UnavailableError("registry down")));
  EXPECT_FALSE(IsPendingFetch(absl::OkStatus()));
}

TEST(DependencyErrorTest, OurOwnExpiredDeadlineIsNotBlamedOnTheDependency) {
  const grpc::Status timeout(grpc::StatusCode::DEADLINE_EXCEEDED,
                             "Deadline Exceeded");
  EXPECT_EQ(DependencyError(timeout, "scoring", "127.0.0.1:1",
                            absl::Now() - absl::Milliseconds(1))
                .code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(
      DependencyError(timeout, "scoring", "127.0.0.1:1", absl::InfiniteFuture())
          .code(),
      absl::StatusCode::kUnavailable);
  const grpc::Status missing(grpc::StatusCode::NOT_FOUND, "no unit U9");
  EXPECT_EQ(DependencyError(missing, "registry", "127.0.0.1:1",
                            absl::InfiniteFuture())
                .code(),
            absl::StatusCode::kNotFound);
  const grpc::Status refused(grpc::StatusCode::UNAUTHENTICATED, "bad token");
  EXPECT_EQ(DependencyError(refused, "registry", "127.0.0.1:1",
                            absl::InfiniteFuture())
                .code(),
            absl::StatusCode::kInternal);
}

// A use case that would write while it still waits for answers of another
// service would write again on its next run: the audit log refuses it.
TEST(FetchScopeTest, NothingIsWrittenWhileAnswersAreWanted) {
  const std::string dir = antt::testing::FreshTestDir();
  auto db = RocksDb::Open(dir + "/db", {"default", "audit"});
  ASSERT_OK(db);
  auto log = AuditLog::Open(db->get(), /*cf=*/1);
  ASSERT_OK(log);
  FetchScope scope(absl::Now() + absl::Seconds(10));
  std::atomic<int> starts{0};
  {
    const FetchScope::Activation active(&scope);
    const ScopedAuditCall call({"officer", "antt.test.v1.Test/Change", "x"});
    EXPECT_EQ(scope.Lookup("unit", absl::Seconds(1),
                           AnswerLater(Response(1), &starts)),
              nullptr);
    rocksdb::WriteBatch batch;
    ASSERT_TRUE(batch.Put((*db)->cf(0), "k", "v").ok());
    absl::Status refused = (*log)->Write(&batch, {"k"});
    EXPECT_EQ(refused.code(), absl::StatusCode::kInternal) << refused;
  }
  EXPECT_EQ((*log)->LastRecord().sequence, 0u);
  std::string value;
  EXPECT_TRUE((*db)
                  ->db()
                  ->Get(rocksdb::ReadOptions(), (*db)->cf(0), "k", &value)
                  .IsNotFound());
  // The scope must not die with the fetch unstarted: run the round.
  absl::Notification fetched;
  scope.FetchWanted([&] { fetched.Notify(); });
  ASSERT_TRUE(fetched.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

}  // namespace
}  // namespace antt
