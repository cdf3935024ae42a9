#ifndef ANTT_COMMON_AUTH_H_
#define ANTT_COMMON_AUTH_H_

// Who is calling, and may they call this method (SPEC sections 4 and 6).
//
// Callers present `authorization: Bearer <token>`. The principals file holds
// only the SHA-256 of each token:
//   {"principals": [{"name": "...", "token_sha256": "<hex>", "role": "OFFICER",
//                    "area_code": "45", "edition": "2025-06"}]}
// A presented token is hashed and compared with every entry in constant time.
// Missing, malformed or unknown credentials are UNAUTHENTICATED; a role the
// method's AccessPolicy does not admit is PERMISSION_DENIED. Area scope (an
// OFFICER limited to one area) depends on the records a call touches, so the
// services check it themselves with Principal::InArea.

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"

namespace antt {

enum class Role : uint8_t {
  kAdmin = 1,    // everything, including the audit log and overrides
  kOfficer = 2,  // reads and writes, optionally within one area
  kViewer = 4,   // reads and Score
  kService = 8,  // ANTT services calling each other: reads
};

// A set of roles, as a bit mask.
using Roles = uint8_t;
inline constexpr Roles RolesOf(std::initializer_list<Role> roles) {
  Roles mask = 0;
  for (Role role : roles) mask |= static_cast<Roles>(role);
  return mask;
}
inline constexpr Roles kAdminOnly = RolesOf({Role::kAdmin});
inline constexpr Roles kWriters = RolesOf({Role::kAdmin, Role::kOfficer});
inline constexpr Roles kReaders =
    RolesOf({Role::kAdmin, Role::kOfficer, Role::kViewer, Role::kService});

[[nodiscard]] absl::string_view RoleName(Role role);

struct Principal {
  std::string name;
  Role role = Role::kViewer;
  // For an OFFICER limited to one area: its code and the edition of the
  // area lists it belongs to. Empty: the whole country.
  std::string area_code;
  std::string edition;

  [[nodiscard]] bool limited_to_area() const { return !area_code.empty(); }
  // Whether a record filed under `codes` (area codes of `edition`, any
  // level) lies in this principal's scope. Always true for a principal
  // without an area limit.
  [[nodiscard]] bool InArea(absl::string_view edition,
                            const std::vector<absl::string_view>& codes) const;
  // "name (ROLE, area 45 of 2025-06)": for messages and logs.
  [[nodiscard]] std::string Describe() const;
};

// PERMISSION_DENIED saying `principal` may not act on `what`.
[[nodiscard]] absl::Status OutsideArea(const Principal& principal,
                                       absl::string_view what);

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
      const grpc::ServerContext& context) const;
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
      const grpc::ServerContext& context, absl::string_view method) const;
};

}  // namespace antt

#endif  // ANTT_COMMON_AUTH_H_
