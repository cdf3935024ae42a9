#ifndef ANTT_COMMON_AUDIT_SERVICE_H_
#define ANTT_COMMON_AUDIT_SERVICE_H_

// antt.audit.v1.AuditService over one service's AuditLog. Every ANTT server
// registers it next to its own service; both methods are ADMIN only.

#include "antt/audit/v1/audit.grpc.pb.h"
#include "common/audit.h"
#include "common/auth.h"

namespace antt {

// The access policy of AuditService: ADMIN only.
[[nodiscard]] const AccessPolicy& AuditAccessPolicy();

class AuditServiceImpl final : public audit::v1::AuditService::Service {
 public:
  // `log` and `authenticator` are not owned and must outlive the service.
  AuditServiceImpl(AuditLog* log, const Authenticator* authenticator)
      : log_(log), access_{authenticator, &AuditAccessPolicy()} {}

  grpc::Status ListAuditRecords(
      grpc::ServerContext* context,
      const audit::v1::ListAuditRecordsRequest* request,
      audit::v1::ListAuditRecordsResponse* response) override;
  grpc::Status VerifyAuditChain(
      grpc::ServerContext* context,
      const audit::v1::VerifyAuditChainRequest* request,
      audit::v1::VerifyAuditChainResponse* response) override;

 private:
  AuditLog* log_;
  AccessControl access_;
};

}  // namespace antt

#endif  // ANTT_COMMON_AUDIT_SERVICE_H_
