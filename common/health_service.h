#ifndef ANTT_COMMON_HEALTH_SERVICE_H_
#define ANTT_COMMON_HEALTH_SERVICE_H_

// grpc.health.v1.Health, served by every ANTT server on its main port and on
// its plaintext health port, both from one HealthState. On the callback API,
// so Watch streams hold no thread however many are open; each counts
// against the server's limit of open streams.

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "common/auth.h"
#include "common/callback_service.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace antt {

// Health may be asked by every authenticated caller (and by anyone on the
// plaintext health port, which serves nothing else).
[[nodiscard]] const AccessPolicy& HealthAccessPolicy();

// The status both ports report for "" and the server's own service name
// (any other name is unknown), and the Watch streams following it.
// Thread-safe.
class HealthState final {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // A Watch stream, told of every change.
  class Watcher {
   public:
    virtual ~Watcher() = default;
    // The status is now `status`. Called with the state's lock held.
    virtual void Update(ServingStatus status) = 0;
    // The stream must end (the server is stopping). Called with the lock
    // held.
    virtual void End() = 0;
  };

  explicit HealthState(std::string service_name)
      : service_name_(std::move(service_name)) {}

  void SetServing(bool serving);
  // Ends every Watch stream, and any opened afterwards, so that the server
  // can stop without waiting for them.
  void EndWatches();

  // SERVING or NOT_SERVING for a known name, SERVICE_UNKNOWN otherwise.
  [[nodiscard]] ServingStatus StatusOf(const std::string& service) const;

  // Adds `watcher` (told of the current status at once), or ends it at once
  // when the watches have ended. Remove before the watcher goes away.
  void Add(Watcher* watcher, const std::string& service);
  void Remove(Watcher* watcher);

 private:
  [[nodiscard]] ServingStatus StatusOfLocked(const std::string& service) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const std::string service_name_;
  mutable absl::Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  // Each watcher and the name it watches.
  absl::flat_hash_map<Watcher*, std::string> watchers_ ABSL_GUARDED_BY(mu_);
};

class HealthService final : public CallbackService<grpc::health::v1::Health> {
 public:
  // Neither is owned; both must outlive the service.
  HealthService(HealthState* state, const Authenticator* authenticator);

 private:
  HealthState* state_;
};

}  // namespace antt

#endif  // ANTT_COMMON_HEALTH_SERVICE_H_
