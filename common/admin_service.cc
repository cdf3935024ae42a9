#include "common/admin_service.h"

#include "common/grpc_handler.h"

namespace antt {

const AccessPolicy& AdminAccessPolicy() {
  static const AccessPolicy* const policy =
      new AccessPolicy(admin::v1::AdminService::service_full_name(),
                       {{"CreateBackup", kAdminOnly},
                        {"ListBackups", kAdminOnly},
                        {"DeleteBackup", kAdminOnly},
                        {"VerifyBackup", kAdminOnly}});
  return *policy;
}

grpc::Status AdminServiceImpl::CreateBackup(
    grpc::ServerContext* context, const admin::v1::CreateBackupRequest* request,
    admin::v1::BackupInfo* response) {
  return Handle(access_, *context, *request, response,
                [&] { return backups_->Create(request->verify()); });
}

grpc::Status AdminServiceImpl::ListBackups(
    grpc::ServerContext* context, const admin::v1::ListBackupsRequest* request,
    admin::v1::ListBackupsResponse* response) {
  return Handle(access_, *context, *request, response,
                [&]() -> absl::StatusOr<admin::v1::ListBackupsResponse> {
                  auto backups = backups_->List();
                  if (!backups.ok()) return backups.status();
                  admin::v1::ListBackupsResponse list;
                  for (auto& b : *backups) *list.add_backups() = std::move(b);
                  return list;
                });
}

grpc::Status AdminServiceImpl::DeleteBackup(
    grpc::ServerContext* context, const admin::v1::DeleteBackupRequest* request,
    admin::v1::DeleteBackupResponse* response) {
  return Handle(access_, *context, *request, response,
                [&]() -> absl::StatusOr<admin::v1::DeleteBackupResponse> {
                  if (absl::Status s = backups_->Delete(request->backup_id());
                      !s.ok()) {
                    return s;
                  }
                  return admin::v1::DeleteBackupResponse();
                });
}

grpc::Status AdminServiceImpl::VerifyBackup(
    grpc::ServerContext* context, const admin::v1::VerifyBackupRequest* request,
    admin::v1::VerifyBackupResponse* response) {
  return Handle(access_, *context, *request, response,
                [&] { return backups_->Verify(request->backup_id()); });
}

}  // namespace antt
