#ifndef ANTT_SERVICES_SCORING_REGISTRY_FOLLOWER_H_
#define ANTT_SERVICES_SCORING_REGISTRY_FOLLOWER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/scoring_store.h"

namespace antt::scoring {

// Follows the registry's change feed into the store's mirror of units, which
// keeps the in-scope counters of the statistics current without ever scanning
// the registry. Each page of the feed carries its units as they are now
// (ListChanges with_units), so following costs one call per page, not one
// per unit. Resumes from the position stored with the mirror, so a restart
// neither misses nor double-counts a change; while the registry is
// unreachable it retries with backoff and statistics stay as last seen.
//
// A unit that cannot be read (the registry answers anything but
// UNAVAILABLE or DEADLINE_EXCEEDED for it) does not stop the feed for every
// other unit: it is skipped, logged, counted and kept in the store's list of
// unreadable units, which each pass retries until the unit reads again.
class RegistryFollower final {
 public:
  // Neither is owned. `poll` is the pause between polls once caught up.
  RegistryFollower(RegistryClient* registry, ScoringStore* store,
                   absl::Duration poll);
  ~RegistryFollower();  // stops the thread

  // Reads the feed until caught up. Thread-compatible: one caller at a time
  // (the background thread, or a test).
  [[nodiscard]] absl::Status SyncOnce();

  // Starts / stops the background thread.
  void Start();
  void Stop();

  // Units skipped since start, and those still waiting for a retry (the
  // metrics antt_registry_follower_skips_total and
  // antt_registry_follower_unreadable_units).
  [[nodiscard]] int64_t skips() const {
    return skips_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] int64_t unreadable() const {
    return unreadable_.load(std::memory_order_relaxed);
  }
  // Changes of the feed not yet applied, as of the last page (the feed's
  // head then, less what the mirror had applied before the page, and after
  // it once applied; antt_registry_follower_lag), and when the follower last
  // applied a page or found nothing new (unix seconds, 0: not yet;
  // antt_registry_follower_last_success_timestamp_seconds): old while the
  // registry is unreachable or a page keeps failing, however busy the feed.
  [[nodiscard]] int64_t lag() const {
    return lag_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] int64_t last_success() const {
    return last_success_.load(std::memory_order_relaxed);
  }

 private:
  void Run();
  // Applies unit `id` of a change, read from the registry; skips it when it
  // cannot be read for a reason other than the registry being unreachable
  // (which is returned, to retry the page).
  absl::Status ApplyOrSkip(const std::string& id, uint64_t sequence);
  // Tries the units skipped before again.
  absl::Status RetryUnreadable();
  // Sets the lag from the feed's head and the sequence the mirror has
  // applied; logs (once) a head before it.
  void NoteLag(uint64_t head, uint64_t applied);

  RegistryClient* registry_;
  ScoringStore* store_;
  absl::Duration poll_;
  std::atomic<int64_t> skips_{0};
  std::atomic<int64_t> unreadable_{0};
  std::atomic<int64_t> lag_{0};
  std::atomic<int64_t> last_success_{0};
  std::atomic<bool> registry_behind_{false};
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_REGISTRY_FOLLOWER_H_
