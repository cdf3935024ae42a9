#ifndef ANTT_COMMON_AUDIT_SERVICE_H_
#define ANTT_COMMON_AUDIT_SERVICE_H_

// antt.audit.v1.AuditService over one service's AuditLog. Every ANTT server
// registers it next to its own service; every method is ADMIN only.

#include "antt/audit/v1/audit.grpc.pb.h"
#include "common/audit.h"
#include "common/auth.h"
#include "common/callback_service.h"

namespace antt {

// The access policy of AuditService: ADMIN only.
[[nodiscard]] const AccessPolicy& AuditAccessPolicy();

// ListAuditRecords reads one page inline; VerifyAuditChain and
// VerifyRecords walk the whole chain (and every record), so they run on the
// server's executor and stop when their caller hangs up.
class AuditServiceImpl final : public CallbackService<audit::v1::AuditService> {
 public:
  // `log` and `authenticator` are not owned and must outlive the service.
  AuditServiceImpl(AuditLog* log, const Authenticator* authenticator);

 private:
  AuditLog* log_;
};

}  // namespace antt

#endif  // ANTT_COMMON_AUDIT_SERVICE_H_
