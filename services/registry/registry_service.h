#ifndef ANTT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
#define ANTT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_

#include "antt/registry/v1/registry.grpc.pb.h"
#include "common/auth.h"
#include "services/registry/registry.h"

namespace antt::registry {

// Which roles may call each RegistryService method (README, "Roles").
[[nodiscard]] const AccessPolicy& RegistryAccessPolicy();

// The gRPC adapter: each handler calls the Registry and maps its status. The
// sync API with a bounded thread pool (ServerOptions::max_threads): GetUnit
// spends about 2.4 µs in RocksDB, a few per cent of a call's server time, so
// handing storage work to an executor would buy nothing (README,
// "Threading model").
class RegistryServiceImpl final : public v1::RegistryService::Service {
 public:
  // Neither is owned; both must outlive the service.
  RegistryServiceImpl(Registry* registry, const Authenticator* authenticator)
      : registry_(registry), access_{authenticator, &RegistryAccessPolicy()} {}

  grpc::Status CreateUnit(grpc::ServerContext* context,
                          const v1::CreateUnitRequest* request,
                          v1::Unit* response) override;
  grpc::Status GetUnit(grpc::ServerContext* context,
                       const v1::GetUnitRequest* request,
                       v1::Unit* response) override;
  grpc::Status UpdateUnit(grpc::ServerContext* context,
                          const v1::UpdateUnitRequest* request,
                          v1::Unit* response) override;
  grpc::Status DissolveUnit(grpc::ServerContext* context,
                            const v1::DissolveUnitRequest* request,
                            v1::Unit* response) override;
  grpc::Status ListUnits(grpc::ServerContext* context,
                         const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override;
  grpc::Status ImportUnits(grpc::ServerContext* context,
                           grpc::ServerReader<v1::ImportUnitsRequest>* reader,
                           v1::ImportUnitsResponse* response) override;
  grpc::Status ListChanges(grpc::ServerContext* context,
                           const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override;
  grpc::Status GetArea(grpc::ServerContext* context,
                       const v1::GetAreaRequest* request,
                       v1::Area* response) override;
  grpc::Status ListAreas(grpc::ServerContext* context,
                         const v1::ListAreasRequest* request,
                         v1::ListAreasResponse* response) override;
  grpc::Status CreatePerson(grpc::ServerContext* context,
                            const v1::CreatePersonRequest* request,
                            v1::Person* response) override;
  grpc::Status GetPerson(grpc::ServerContext* context,
                         const v1::GetPersonRequest* request,
                         v1::Person* response) override;
  grpc::Status UpdatePerson(grpc::ServerContext* context,
                            const v1::UpdatePersonRequest* request,
                            v1::Person* response) override;
  grpc::Status ListPersons(grpc::ServerContext* context,
                           const v1::ListPersonsRequest* request,
                           v1::ListPersonsResponse* response) override;

 private:
  Registry* registry_;
  AccessControl access_;
};

}  // namespace antt::registry

#endif  // ANTT_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
