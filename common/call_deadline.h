#ifndef ANTT_COMMON_CALL_DEADLINE_H_
#define ANTT_COMMON_CALL_DEADLINE_H_

// The deadline of the incoming call a thread is serving, so that the calls it
// makes to other services never outlive it (STYLE: every incoming deadline is
// honoured). Set by Handle() for the duration of a handler; read by
// DependencyContext(). Sync-API handlers run on one thread, so a thread-local
// is exact.

#include "absl/time/time.h"

namespace antt {

// InfiniteFuture() when the thread serves no call.
[[nodiscard]] absl::Time CurrentCallDeadline();

// Sets the current call's deadline for this scope, restoring the previous one.
class ScopedCallDeadline final {
 public:
  explicit ScopedCallDeadline(absl::Time deadline);
  ~ScopedCallDeadline();
  ScopedCallDeadline(const ScopedCallDeadline&) = delete;
  ScopedCallDeadline& operator=(const ScopedCallDeadline&) = delete;

 private:
  absl::Time previous_;
};

}  // namespace antt

#endif  // ANTT_COMMON_CALL_DEADLINE_H_
