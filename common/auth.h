#ifndef ANTT_COMMON_AUTH_H_
#define ANTT_COMMON_AUTH_H_

// Who is calling, and may they call this method.
//
// Callers present `authorization: Bearer <token>`. The principals file holds
// only the SHA-256 of each token:
//   {"principals": [{"name": "...", "token_sha256": "<hex>", "role": "OFFICER",
//                    "area_code": "45", "edition": "2025-06"}]}
// A presented token is hashed and compared with every entry in constant time.
// Missing, malformed or unknown credentials are UNAUTHENTICATED — on a TLS
// port for every call, whatever the service (reflection too), by the
// TokenAuthProcessor before any handler runs; a role the method's
// AccessPolicy does not admit is PERMISSION_DENIED. Area scope (an
// OFFICER limited to one area) depends on the records a call touches, so the
// services check it themselves with Principal::InArea (common/principal.h,
// which domain code includes without gRPC).

#include <grpcpp/grpcpp.h>
#include <grpcpp/security/auth_metadata_processor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/principal.h"
#include "google/protobuf/descriptor.h"

namespace antt {

// An immutable set of principals, keyed by token hash.
class PrincipalSet final {
 public:
  // Parses a principals file's text; `source` names it in errors. Every
  // entry needs a unique name, a 64-hex-digit token_sha256 and a known role;
  // area_code and edition only for OFFICER, and together.
  [[nodiscard]] static absl::StatusOr<PrincipalSet> Parse(
      absl::string_view json_text, absl::string_view source);
  [[nodiscard]] static absl::StatusOr<PrincipalSet> Load(
      const std::string& path);

  // The principal holding `token`, or nullptr. Hashes the token and compares
  // the hash with every entry, whether or not one matched already.
  [[nodiscard]] const Principal* FindByToken(absl::string_view token) const;
  [[nodiscard]] size_t size() const { return entries_.size(); }

 private:
  std::vector<std::pair<std::string, Principal>> entries_;  // raw hash → who
};

// Authenticates calls against a principals file that can be reloaded while
// the server runs (SIGHUP). Thread-safe.
class Authenticator final {
 public:
  // Plaintext demo mode: no credentials asked; every caller is an ADMIN
  // named "insecure".
  [[nodiscard]] static std::unique_ptr<Authenticator> Insecure();
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Authenticator>> FromFile(
      std::string path);

  // Re-reads the file. On error the principals loaded before stay in force.
  [[nodiscard]] absl::Status Reload();

  // The caller of `context`, from its `authorization` metadata.
  [[nodiscard]] absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const;
  // The same, from the metadata value alone (nullptr: header absent).
  [[nodiscard]] absl::StatusOr<Principal> AuthenticateHeader(
      const std::string* authorization) const;

  [[nodiscard]] bool insecure() const { return path_.empty(); }

 private:
  explicit Authenticator(std::string path) : path_(std::move(path)) {}

  const std::string path_;  // empty: insecure
  mutable absl::Mutex mu_;
  std::shared_ptr<const PrincipalSet> principals_ ABSL_GUARDED_BY(mu_);
};

// Which roles may call each method of one gRPC service. Every method of the
// service must have a rule; a method without one is refused to everybody.
class AccessPolicy final {
 public:
  AccessPolicy(const google::protobuf::ServiceDescriptor* service,
               std::vector<std::pair<std::string, Roles>> rules);
  // The same for a service of the generated pool, by full name (e.g.
  // v1::RegistryService::service_full_name()).
  AccessPolicy(absl::string_view service_full_name,
               std::vector<std::pair<std::string, Roles>> rules);

  // FailedPrecondition naming each method with no rule, or a rule for a
  // method the service does not have. Servers check it at start.
  [[nodiscard]] absl::Status Validate() const;

  // The roles admitted to `method` (its short name, "GetUnit"); 0 if none.
  [[nodiscard]] Roles RolesFor(absl::string_view method) const;
  [[nodiscard]] const google::protobuf::ServiceDescriptor* service() const {
    return service_;
  }

 private:
  const google::protobuf::ServiceDescriptor* service_;
  absl::flat_hash_map<std::string, Roles> rules_;
  std::vector<std::string> unknown_;  // rules naming no method of service_
};

// What a service needs to admit a call: who is calling, and may they.
struct AccessControl {
  const Authenticator* authenticator = nullptr;
  const AccessPolicy* policy = nullptr;

  // UNAUTHENTICATED or PERMISSION_DENIED, or the caller of `method`.
  [[nodiscard]] absl::StatusOr<Principal> Admit(
      const grpc::ServerContextBase& context, absl::string_view method) const;
};

// Refuses, on a TLS port, every call without a valid bearer token before any
// service sees it: ANTT's own, reflection, and paths no service serves.
// Non-blocking: gRPC runs it inline, as a token check is a hash and a few
// compares. Roles stay with each method's AccessPolicy.
class TokenAuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // Not owned; must outlive the server.
  explicit TokenAuthProcessor(const Authenticator* authenticator)
      : authenticator_(authenticator) {}

  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  const Authenticator* authenticator_;
};

}  // namespace antt

#endif  // ANTT_COMMON_AUTH_H_
