#include "common/call_deadline.h"

namespace antt {
namespace {

thread_local absl::Time current_deadline = absl::InfiniteFuture();

}  // namespace

absl::Time CurrentCallDeadline() { return current_deadline; }

ScopedCallDeadline::ScopedCallDeadline(absl::Time deadline)
    : previous_(current_deadline) {
  current_deadline = deadline;
}

ScopedCallDeadline::~ScopedCallDeadline() { current_deadline = previous_; }

}  // namespace antt
