#ifndef ANTT_COMMON_AUDIT_CALL_H_
#define ANTT_COMMON_AUDIT_CALL_H_

// The call a use case serves, as the audit log (common/audit.h) records it:
// set by the serving layer around each run of a use case, read by
// AuditLog::Write in the store. Apart from audit.h so that the serving
// layer does not include RocksDB.

#include <string>

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace antt {

// The call a thread is serving, as the audit log records it. Set around
// each run of a use case (after its caller is authenticated) and read by
// AuditLog::Write; a use case runs on one thread from start to end, as for
// the FetchScope (common/fetch_scope.h).
struct AuditCall {
  std::string caller;  // principal name, never a token
  std::string method;  // "antt.registry.v1.RegistryService/CreateUnit"
  // Hex SHA-256 of the request message. When empty it is computed from
  // `request` the first time a record needs it (and kept): most calls write
  // nothing, and pay nothing for it.
  mutable std::string request_sha256;
  const google::protobuf::Message* request = nullptr;

  // request_sha256, computing it when needed.
  [[nodiscard]] const std::string& RequestSha256() const;
};

// nullptr when the thread serves no call.
[[nodiscard]] const AuditCall* CurrentAuditCall();

class ScopedAuditCall final {
 public:
  explicit ScopedAuditCall(AuditCall call);
  ~ScopedAuditCall();
  ScopedAuditCall(const ScopedAuditCall&) = delete;
  ScopedAuditCall& operator=(const ScopedAuditCall&) = delete;

 private:
  AuditCall call_;
  const AuditCall* previous_;
};

}  // namespace antt

#endif  // ANTT_COMMON_AUDIT_CALL_H_
