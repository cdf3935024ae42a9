#include "services/registry/registry_service.h"

#include "common/grpc_handler.h"

namespace antt::registry {

grpc::Status RegistryServiceImpl::CreateUnit(
    grpc::ServerContext* context, const v1::CreateUnitRequest* request,
    v1::Unit* response) {
  return Handle(*context, response,
                [&] { return registry_->CreateUnit(*request); });
}

grpc::Status RegistryServiceImpl::GetUnit(grpc::ServerContext* context,
                                          const v1::GetUnitRequest* request,
                                          v1::Unit* response) {
  return Handle(*context, response,
                [&] { return registry_->GetUnit(*request); });
}

grpc::Status RegistryServiceImpl::UpdateUnit(
    grpc::ServerContext* context, const v1::UpdateUnitRequest* request,
    v1::Unit* response) {
  return Handle(*context, response,
                [&] { return registry_->UpdateUnit(*request); });
}

grpc::Status RegistryServiceImpl::DissolveUnit(
    grpc::ServerContext* context, const v1::DissolveUnitRequest* request,
    v1::Unit* response) {
  return Handle(*context, response,
                [&] { return registry_->DissolveUnit(*request); });
}

grpc::Status RegistryServiceImpl::ListUnits(grpc::ServerContext* context,
                                            const v1::ListUnitsRequest* request,
                                            v1::ListUnitsResponse* response) {
  return Handle(*context, response,
                [&] { return registry_->ListUnits(*request); });
}

grpc::Status RegistryServiceImpl::ImportUnits(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportUnitsRequest>* reader,
    v1::ImportUnitsResponse* response) {
  v1::ImportUnitsRequest request;
  int row = 0;
  // Each row is written on its own: rows before a cancellation stay written,
  // and the client learns how far it got from the counts.
  while (reader->Read(&request)) {
    if (grpc::Status wanted = CallStillWanted(*context); !wanted.ok()) {
      return wanted;
    }
    ++row;
    if (absl::Status s = registry_->ImportRow(row, request.unit(), response);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  return grpc::Status::OK;
}

grpc::Status RegistryServiceImpl::ListChanges(
    grpc::ServerContext* context, const v1::ListChangesRequest* request,
    v1::ListChangesResponse* response) {
  return Handle(*context, response,
                [&] { return registry_->ListChanges(*request); });
}

grpc::Status RegistryServiceImpl::GetArea(grpc::ServerContext* context,
                                          const v1::GetAreaRequest* request,
                                          v1::Area* response) {
  return Handle(*context, response,
                [&] { return registry_->GetArea(*request); });
}

grpc::Status RegistryServiceImpl::ListAreas(grpc::ServerContext* context,
                                            const v1::ListAreasRequest* request,
                                            v1::ListAreasResponse* response) {
  return Handle(*context, response,
                [&] { return registry_->ListAreas(*request); });
}

grpc::Status RegistryServiceImpl::CreatePerson(
    grpc::ServerContext* context, const v1::CreatePersonRequest* request,
    v1::Person* response) {
  return Handle(*context, response,
                [&] { return registry_->CreatePerson(*request); });
}

grpc::Status RegistryServiceImpl::GetPerson(grpc::ServerContext* context,
                                            const v1::GetPersonRequest* request,
                                            v1::Person* response) {
  return Handle(*context, response,
                [&] { return registry_->GetPerson(*request); });
}

grpc::Status RegistryServiceImpl::UpdatePerson(
    grpc::ServerContext* context, const v1::UpdatePersonRequest* request,
    v1::Person* response) {
  return Handle(*context, response,
                [&] { return registry_->UpdatePerson(*request); });
}

grpc::Status RegistryServiceImpl::ListPersons(
    grpc::ServerContext* context, const v1::ListPersonsRequest* request,
    v1::ListPersonsResponse* response) {
  return Handle(*context, response,
                [&] { return registry_->ListPersons(*request); });
}

}  // namespace antt::registry
