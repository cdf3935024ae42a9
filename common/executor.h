#ifndef ANTT_COMMON_EXECUTOR_H_
#define ANTT_COMMON_EXECUTOR_H_

// A small pool of threads for work that may block for long (a backup, the
// walk of a long audit chain, a decision's synced write), so it never runs
// on gRPC's callback threads, which every other call needs. The queue is
// bounded: when it is full, work is refused at once and the caller answers
// RESOURCE_EXHAUSTED, rather than queueing without end.

#include <cstddef>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace antt {

class Executor final {
 public:
  // `threads` ≥ 1 threads; at most `max_queued` tasks waiting for one.
  Executor(std::string name, int threads, size_t max_queued);
  // Runs the tasks queued already, then joins the threads.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs `task` on one of the threads, in order of arrival. False when the
  // queue is full or the executor is shutting down; `task` is then
  // destroyed without running.
  [[nodiscard]] bool TrySchedule(absl::AnyInvocable<void() &&> task);

  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  void Run();

  const std::string name_;
  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace antt

#endif  // ANTT_COMMON_EXECUTOR_H_
