#ifndef ANTT_COMMON_FETCH_SCOPE_H_
#define ANTT_COMMON_FETCH_SCOPE_H_

// Calls to other services from a use case served on gRPC's callback
// threads, without a thread that waits for the network.
//
// The use cases are plain synchronous code ("get the unit from the registry,
// then decide"), written against small client interfaces. When a served call
// runs one, it runs inside the call's FetchScope: a client asked for an
// answer looks it up in the scope; one not fetched yet is noted as wanted,
// and the client answers PendingFetchError() (an Unavailable) in its place.
// The use case takes that like any dependency failure — it returns, having
// written nothing — and the call, seeing the scope wants answers, starts
// every wanted call at once with the async stubs and runs the use case again
// when the last answer is in, on that answer's thread. The second run finds
// its answers and goes further; a use case whose questions depend on earlier
// answers (a person, then the units the person led) takes a few rounds.
//
// What this asks of a use case:
// - Write nothing before its last call to another service. AuditLog::Write
//   refuses a write while the current scope still wants answers, so a use
//   case that breaks this fails its tests instead of writing twice.
// - Ask every question it can before acting on a missing answer: a loop over
//   many records keeps going past IsPendingFetch() errors, so one round
//   fetches them all instead of one round each.
// - Give the same answer for the same facts: it may run several times.
//
// Outside a scope (a background thread, a test calling the use case
// directly) the clients call and wait, as ordinary blocking clients.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace grpc {
class ClientContext;
}  // namespace grpc

namespace antt {

// Rounds of fetching one call may take before it fails with Internal: more
// than any use case needs, so reaching it means a use case asks an endless
// chain of questions.
inline constexpr int kMaxFetchRounds = 8;

class FetchScope final {
 public:
  // The answer to one request: the response, or the error it failed with,
  // already translated for our own caller (common/dependency.h).
  using Answer =
      absl::StatusOr<std::shared_ptr<const google::protobuf::Message>>;
  // Starts one call on `context` (whose deadline is set) and calls `done`
  // exactly once with its answer, from any thread.
  using Start = std::function<void(grpc::ClientContext* context,
                                   std::function<void(Answer)> done)>;

  // `deadline`: the served call's; no fetch outlives it.
  explicit FetchScope(absl::Time deadline);
  ~FetchScope();
  FetchScope(const FetchScope&) = delete;
  FetchScope& operator=(const FetchScope&) = delete;

  // The scope of the use case this thread is running, or nullptr.
  [[nodiscard]] static FetchScope* Current();

  // Makes `scope` the current one of this thread while it lives.
  class Activation final {
   public:
    explicit Activation(FetchScope* scope);
    ~Activation();
    Activation(const Activation&) = delete;
    Activation& operator=(const Activation&) = delete;

   private:
    FetchScope* previous_;
  };

  [[nodiscard]] absl::Time deadline() const { return deadline_; }

  // The answer fetched for `key`, or nullptr. On nullptr, `start` is kept to
  // fetch it (once per key, whatever the number of lookups) with a deadline
  // of `per_call` from the start, or the scope's deadline when sooner.
  // Called by the thread running the use case only.
  [[nodiscard]] const Answer* Lookup(const std::string& key,
                                     absl::Duration per_call, Start start);

  // Whether the last run asked for answers not fetched yet.
  [[nodiscard]] bool has_wanted() const { return !wanted_.empty(); }
  // Rounds of fetching started so far.
  [[nodiscard]] int rounds() const { return rounds_; }

  // Starts every wanted call at once, and calls `done` once all have
  // answered, on the thread of the last answer (at once when nothing is
  // wanted). Not again before `done` ran.
  void FetchWanted(absl::AnyInvocable<void() &&> done);

  // Cancels the calls in flight and any started later; they answer
  // CANCELLED. Thread-safe, from any thread.
  void Cancel();

 private:
  struct Entry {
    absl::Duration per_call;
    Start start;
    std::unique_ptr<grpc::ClientContext> context;  // once started
    std::unique_ptr<Answer> answer;                // once answered
  };

  void Answered(Entry* entry, Answer answer);

  const absl::Time deadline_;
  // Written by the thread running the use case; read by the answers' threads
  // only for entries of the round in flight, which the use case does not
  // touch until the round is over.
  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> entries_;
  std::vector<Entry*> wanted_;
  int rounds_ = 0;

  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<grpc::ClientContext*> in_flight_ ABSL_GUARDED_BY(mu_);
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
  absl::AnyInvocable<void() &&> done_ ABSL_GUARDED_BY(mu_);
};

// What a client answers in place of an answer not fetched yet: Unavailable,
// marked so IsPendingFetch() tells it from a dependency that is down.
[[nodiscard]] absl::Status PendingFetchError();
[[nodiscard]] bool IsPendingFetch(const absl::Status& status);

}  // namespace antt

#endif  // ANTT_COMMON_FETCH_SCOPE_H_
