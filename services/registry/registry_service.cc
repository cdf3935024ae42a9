#include "services/registry/registry_service.h"

#include "common/grpc_handler.h"

namespace antt::registry {

const AccessPolicy& RegistryAccessPolicy() {
  static const AccessPolicy* const policy = new AccessPolicy(
      v1::RegistryService::service_full_name(),
      {
          {"CreateUnit", kWriters},
          {"GetUnit", kReaders},
          {"UpdateUnit", kWriters},
          {"DissolveUnit", kWriters},
          {"ListUnits", kReaders},
          {"ImportUnits", kWriters},
          // The change feed lists every unit of the country: for the
          // services that mirror the registry, and administrators.
          {"ListChanges", RolesOf({Role::kAdmin, Role::kService})},
          {"GetArea", kReaders},
          {"ListAreas", kReaders},
          {"CreatePerson", kWriters},
          {"GetPerson", kReaders},
          {"UpdatePerson", kWriters},
          {"ListPersons", kReaders},
      });
  return *policy;
}

grpc::Status RegistryServiceImpl::CreateUnit(
    grpc::ServerContext* context, const v1::CreateUnitRequest* request,
    v1::Unit* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->CreateUnit(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::GetUnit(grpc::ServerContext* context,
                                          const v1::GetUnitRequest* request,
                                          v1::Unit* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->GetUnit(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::UpdateUnit(
    grpc::ServerContext* context, const v1::UpdateUnitRequest* request,
    v1::Unit* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->UpdateUnit(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::DissolveUnit(
    grpc::ServerContext* context, const v1::DissolveUnitRequest* request,
    v1::Unit* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->DissolveUnit(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::ListUnits(grpc::ServerContext* context,
                                            const v1::ListUnitsRequest* request,
                                            v1::ListUnitsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->ListUnits(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::ImportUnits(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportUnitsRequest>* reader,
    v1::ImportUnitsResponse* response) {
  if (grpc::Status wanted = CallStillWanted(*context); !wanted.ok()) {
    return wanted;
  }
  absl::StatusOr<Principal> caller =
      access_.Admit(*context, MethodOf<v1::ImportUnitsRequest>());
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  v1::ImportUnitsRequest request;
  int row = 0;
  // Each row is written on its own, with its own audit record: rows before a
  // cancellation stay written, and the client learns how far it got from the
  // counts.
  while (reader->Read(&request)) {
    if (grpc::Status wanted = CallStillWanted(*context); !wanted.ok()) {
      return wanted;
    }
    ++row;
    const ScopedAuditCall audit(
        AuditCallOf(*caller, RegistryAccessPolicy(), request));
    if (absl::Status s =
            registry_->ImportRow(*caller, row, request.unit(), response);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  return grpc::Status::OK;
}

grpc::Status RegistryServiceImpl::ListChanges(
    grpc::ServerContext* context, const v1::ListChangesRequest* request,
    v1::ListChangesResponse* response) {
  return Handle(access_, *context, *request, response,
                [&] { return registry_->ListChanges(*request); });
}

grpc::Status RegistryServiceImpl::GetArea(grpc::ServerContext* context,
                                          const v1::GetAreaRequest* request,
                                          v1::Area* response) {
  return Handle(access_, *context, *request, response,
                [&] { return registry_->GetArea(*request); });
}

grpc::Status RegistryServiceImpl::ListAreas(grpc::ServerContext* context,
                                            const v1::ListAreasRequest* request,
                                            v1::ListAreasResponse* response) {
  return Handle(access_, *context, *request, response,
                [&] { return registry_->ListAreas(*request); });
}

grpc::Status RegistryServiceImpl::CreatePerson(
    grpc::ServerContext* context, const v1::CreatePersonRequest* request,
    v1::Person* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->CreatePerson(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::GetPerson(grpc::ServerContext* context,
                                            const v1::GetPersonRequest* request,
                                            v1::Person* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->GetPerson(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::UpdatePerson(
    grpc::ServerContext* context, const v1::UpdatePersonRequest* request,
    v1::Person* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->UpdatePerson(caller, *request);
                });
}

grpc::Status RegistryServiceImpl::ListPersons(
    grpc::ServerContext* context, const v1::ListPersonsRequest* request,
    v1::ListPersonsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&](const Principal& caller) {
                  return registry_->ListPersons(caller, *request);
                });
}

}  // namespace antt::registry
