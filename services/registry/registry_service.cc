#include "services/registry/registry_service.h"

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

RegistryServiceImpl::RegistryServiceImpl(Registry* registry,
                                         const Authenticator* authenticator)
    : CallbackService(authenticator, &RegistryAccessPolicy()),
      registry_(registry) {
  Unary<v1::CreateUnitRequest>(
      [this](const Principal& caller, const v1::CreateUnitRequest& request) {
        return registry_->CreateUnit(caller, request);
      });
  Unary<v1::GetUnitRequest>(
      [this](const Principal& caller, const v1::GetUnitRequest& request) {
        return registry_->GetUnit(caller, request);
      });
  Unary<v1::UpdateUnitRequest>(
      [this](const Principal& caller, const v1::UpdateUnitRequest& request) {
        return registry_->UpdateUnit(caller, request);
      });
  Unary<v1::DissolveUnitRequest>(
      [this](const Principal& caller, const v1::DissolveUnitRequest& request) {
        return registry_->DissolveUnit(caller, request);
      });
  Unary<v1::ListUnitsRequest>(
      [this](const Principal& caller, const v1::ListUnitsRequest& request) {
        return registry_->ListUnits(caller, request);
      });
  // Each row is written on its own, with its own audit record: rows before a
  // cancellation stay written, and the client learns how far it got from the
  // counts. A row that does not parse (most often a string that is not
  // UTF-8) or breaks the request limits is rejected like any other bad row,
  // never taken for the end of the stream.
  ClientStreaming<v1::ImportUnitsRequest, v1::ImportUnitsResponse>(
      [this](const Principal& caller, int row,
             absl::StatusOr<const v1::ImportUnitsRequest*> request,
             v1::ImportUnitsResponse* response) -> absl::Status {
        if (!request.ok()) {
          Registry::RejectImportRow(row, request.status(), response);
          return absl::OkStatus();
        }
        return registry_->ImportRow(caller, row, (*request)->unit(), response);
      });
  Unary<v1::ListChangesRequest>(
      [this](const Principal&, const v1::ListChangesRequest& request) {
        return registry_->ListChanges(request);
      });
  Unary<v1::GetAreaRequest>(
      [this](const Principal&, const v1::GetAreaRequest& request) {
        return registry_->GetArea(request);
      });
  Unary<v1::ListAreasRequest>(
      [this](const Principal&, const v1::ListAreasRequest& request) {
        return registry_->ListAreas(request);
      });
  Unary<v1::CreatePersonRequest>(
      [this](const Principal& caller, const v1::CreatePersonRequest& request) {
        return registry_->CreatePerson(caller, request);
      });
  Unary<v1::GetPersonRequest>(
      [this](const Principal& caller, const v1::GetPersonRequest& request) {
        return registry_->GetPerson(caller, request);
      });
  Unary<v1::UpdatePersonRequest>(
      [this](const Principal& caller, const v1::UpdatePersonRequest& request) {
        return registry_->UpdatePerson(caller, request);
      });
  Unary<v1::ListPersonsRequest>(
      [this](const Principal& caller, const v1::ListPersonsRequest& request) {
        return registry_->ListPersons(caller, request);
      });
}

}  // namespace antt::registry
