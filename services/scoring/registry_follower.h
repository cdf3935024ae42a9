#ifndef ANTT_SERVICES_SCORING_REGISTRY_FOLLOWER_H_
#define ANTT_SERVICES_SCORING_REGISTRY_FOLLOWER_H_

#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/scoring/registry_client.h"
#include "services/scoring/scoring_store.h"

namespace antt::scoring {

// Follows the registry's change feed into the store's mirror of units, which
// keeps the in-scope counters of the statistics current without ever scanning
// the registry. Resumes from the position stored with the mirror, so a
// restart neither misses nor double-counts a change; while the registry is
// unreachable it retries with backoff and statistics stay as last seen.
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

 private:
  void Run();

  RegistryClient* registry_;
  ScoringStore* store_;
  absl::Duration poll_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace antt::scoring

#endif  // ANTT_SERVICES_SCORING_REGISTRY_FOLLOWER_H_
