#ifndef ANTT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
#define ANTT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_

#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/auth.h"
#include "common/callback_service.h"
#include "services/registry/registry.h"

namespace antt::registry {

// Which roles may call each RegistryService method (README, "Roles").
[[nodiscard]] const AccessPolicy& RegistryAccessPolicy();

// The gRPC adapter: each method routed to its Registry use case
// (common/callback_service.h). Every use case is short — RocksDB reads and
// writes without fsync — so all run inline on gRPC's callback threads;
// ImportUnits takes its rows one at a time as they arrive, so an import,
// however long, never holds a thread between rows.
class RegistryServiceImpl final : public CallbackService<v1::RegistryService> {
 public:
  // Neither is owned; both must outlive the service.
  RegistryServiceImpl(Registry* registry, const Authenticator* authenticator);

 private:
  Registry* registry_;
};

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
