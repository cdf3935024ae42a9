#include "services/registry/registry_service.h"

#include <chrono>

#include "common/grpc_status.h"

namespace antt::registry {
namespace {

// Copies a result into the response, or returns its error.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// An expired or cancelled call is not started: its answer would be thrown
// away.
bool Expired(grpc::ServerContext* context) {
  return context->IsCancelled() ||
         context->deadline() <= std::chrono::system_clock::now();
}

grpc::Status ExpiredStatus(grpc::ServerContext* context) {
  if (context->deadline() <= std::chrono::system_clock::now()) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "the call's deadline passed");
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled");
}

}  // namespace

grpc::Status RegistryServiceImpl::CreateUnit(
    grpc::ServerContext* context, const v1::CreateUnitRequest* request,
    v1::Unit* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->CreateUnit(*request), response);
}

grpc::Status RegistryServiceImpl::GetUnit(grpc::ServerContext* context,
                                          const v1::GetUnitRequest* request,
                                          v1::Unit* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->GetUnit(*request), response);
}

grpc::Status RegistryServiceImpl::UpdateUnit(
    grpc::ServerContext* context, const v1::UpdateUnitRequest* request,
    v1::Unit* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->UpdateUnit(*request), response);
}

grpc::Status RegistryServiceImpl::DissolveUnit(
    grpc::ServerContext* context, const v1::DissolveUnitRequest* request,
    v1::Unit* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->DissolveUnit(*request), response);
}

grpc::Status RegistryServiceImpl::ListUnits(grpc::ServerContext* context,
                                            const v1::ListUnitsRequest* request,
                                            v1::ListUnitsResponse* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->ListUnits(*request), response);
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
    if (Expired(context)) return ExpiredStatus(context);
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
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->ListChanges(*request), response);
}

grpc::Status RegistryServiceImpl::GetArea(grpc::ServerContext* context,
                                          const v1::GetAreaRequest* request,
                                          v1::Area* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->GetArea(*request), response);
}

grpc::Status RegistryServiceImpl::ListAreas(grpc::ServerContext* context,
                                            const v1::ListAreasRequest* request,
                                            v1::ListAreasResponse* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->ListAreas(*request), response);
}

grpc::Status RegistryServiceImpl::CreatePerson(
    grpc::ServerContext* context, const v1::CreatePersonRequest* request,
    v1::Person* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->CreatePerson(*request), response);
}

grpc::Status RegistryServiceImpl::GetPerson(grpc::ServerContext* context,
                                            const v1::GetPersonRequest* request,
                                            v1::Person* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->GetPerson(*request), response);
}

grpc::Status RegistryServiceImpl::UpdatePerson(
    grpc::ServerContext* context, const v1::UpdatePersonRequest* request,
    v1::Person* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->UpdatePerson(*request), response);
}

grpc::Status RegistryServiceImpl::ListPersons(
    grpc::ServerContext* context, const v1::ListPersonsRequest* request,
    v1::ListPersonsResponse* response) {
  if (Expired(context)) return ExpiredStatus(context);
  return Reply(registry_->ListPersons(*request), response);
}

}  // namespace antt::registry
