#ifndef ANTT_COMMON_ADMIN_SERVICE_H_
#define ANTT_COMMON_ADMIN_SERVICE_H_

// antt.admin.v1.AdminService over one server's Backups. Every ANTT server
// registers it next to its own service; every method is ADMIN only. Each
// works on files and may take long, so all run on the server's executor.

#include "antt/admin/v1/admin.grpc.pb.h"
#include "common/auth.h"
#include "common/backup.h"
#include "common/callback_service.h"

namespace antt {

// The access policy of AdminService: ADMIN only.
[[nodiscard]] const AccessPolicy& AdminAccessPolicy();

class AdminServiceImpl final : public CallbackService<admin::v1::AdminService> {
 public:
  // `backups` and `authenticator` are not owned and must outlive the service.
  AdminServiceImpl(Backups* backups, const Authenticator* authenticator);

 private:
  Backups* backups_;
};

}  // namespace antt

#endif  // ANTT_COMMON_ADMIN_SERVICE_H_
