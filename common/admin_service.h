#ifndef ANTT_COMMON_ADMIN_SERVICE_H_
#define ANTT_COMMON_ADMIN_SERVICE_H_

// antt.admin.v1.AdminService over one server's Backups. Every ANTT server
// registers it next to its own service; every method is ADMIN only.

#include "antt/admin/v1/admin.grpc.pb.h"
#include "common/auth.h"
#include "common/backup.h"

namespace antt {

// The access policy of AdminService: ADMIN only.
[[nodiscard]] const AccessPolicy& AdminAccessPolicy();

class AdminServiceImpl final : public admin::v1::AdminService::Service {
 public:
  // `backups` and `authenticator` are not owned and must outlive the service.
  AdminServiceImpl(Backups* backups, const Authenticator* authenticator)
      : backups_(backups), access_{authenticator, &AdminAccessPolicy()} {}

  grpc::Status CreateBackup(grpc::ServerContext* context,
                            const admin::v1::CreateBackupRequest* request,
                            admin::v1::BackupInfo* response) override;
  grpc::Status ListBackups(grpc::ServerContext* context,
                           const admin::v1::ListBackupsRequest* request,
                           admin::v1::ListBackupsResponse* response) override;
  grpc::Status DeleteBackup(grpc::ServerContext* context,
                            const admin::v1::DeleteBackupRequest* request,
                            admin::v1::DeleteBackupResponse* response) override;
  grpc::Status VerifyBackup(grpc::ServerContext* context,
                            const admin::v1::VerifyBackupRequest* request,
                            admin::v1::VerifyBackupResponse* response) override;

 private:
  Backups* backups_;
  AccessControl access_;
};

}  // namespace antt

#endif  // ANTT_COMMON_ADMIN_SERVICE_H_
