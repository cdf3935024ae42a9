#include "common/admin_service.h"

namespace antt {

namespace av1 = admin::v1;

const AccessPolicy& AdminAccessPolicy() {
  static const AccessPolicy* const policy = new AccessPolicy(
      av1::AdminService::service_full_name(), {{"CreateBackup", kAdminOnly},
                                               {"ListBackups", kAdminOnly},
                                               {"DeleteBackup", kAdminOnly},
                                               {"VerifyBackup", kAdminOnly}});
  return *policy;
}

AdminServiceImpl::AdminServiceImpl(Backups* backups,
                                   const Authenticator* authenticator)
    : CallbackService(authenticator, &AdminAccessPolicy()), backups_(backups) {
  UnaryBlocking<av1::CreateBackupRequest>(
      [this](const Principal&, const av1::CreateBackupRequest& request) {
        return backups_->Create(request.verify());
      });
  UnaryBlocking<av1::ListBackupsRequest>(
      [this](const Principal&, const av1::ListBackupsRequest&)
          -> absl::StatusOr<av1::ListBackupsResponse> {
        auto backups = backups_->List();
        if (!backups.ok()) return backups.status();
        av1::ListBackupsResponse list;
        for (auto& b : *backups) *list.add_backups() = std::move(b);
        return list;
      });
  UnaryBlocking<av1::DeleteBackupRequest>(
      [this](const Principal&, const av1::DeleteBackupRequest& request)
          -> absl::StatusOr<av1::DeleteBackupResponse> {
        if (absl::Status s = backups_->Delete(request.backup_id()); !s.ok()) {
          return s;
        }
        return av1::DeleteBackupResponse();
      });
  UnaryBlocking<av1::VerifyBackupRequest>(
      [this](const Principal&, const av1::VerifyBackupRequest& request) {
        return backups_->Verify(request.backup_id());
      });
}

}  // namespace antt
