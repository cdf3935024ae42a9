#include "common/auth.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/digest.h"
#include "nlohmann/json.hpp"

namespace antt {
namespace {

constexpr char kBearer[] = "bearer ";

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  if (name == "ADMIN") return Role::kAdmin;
  if (name == "OFFICER") return Role::kOfficer;
  if (name == "VIEWER") return Role::kViewer;
  if (name == "SERVICE") return Role::kService;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown role \"", name, "\" (ADMIN, OFFICER, VIEWER or SERVICE)"));
}

}  // namespace

absl::StatusOr<PrincipalSet> PrincipalSet::Parse(absl::string_view json_text,
                                                 absl::string_view source) {
  const auto bad = [&](absl::string_view where, absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", where, ": ", what));
  };
  const nlohmann::json doc =
      nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr,
                            /*allow_exceptions=*/false);
  if (doc.is_discarded()) return bad("file", "not valid JSON");
  if (!doc.is_object() || !doc.contains("principals") ||
      !doc["principals"].is_array()) {
    return bad("file", "expected {\"principals\": [...]}");
  }
  PrincipalSet set;
  absl::flat_hash_set<std::string> names;
  absl::flat_hash_set<std::string> hashes;
  int index = 0;
  for (const nlohmann::json& entry : doc["principals"]) {
    const std::string where = absl::StrCat("principals[", index++, "]");
    if (!entry.is_object()) return bad(where, "not an object");
    for (const auto& [key, value] : entry.items()) {
      if (key != "name" && key != "token_sha256" && key != "role" &&
          key != "area_code" && key != "edition") {
        return bad(where, absl::StrCat("unknown key \"", key, "\""));
      }
      if (!value.is_string()) {
        return bad(where, absl::StrCat("\"", key, "\" must be a string"));
      }
    }
    const auto text = [&](const char* key) {
      return entry.contains(key) ? entry[key].get<std::string>() : "";
    };
    Principal principal;
    principal.name = text("name");
    if (principal.name.empty()) return bad(where, "\"name\" is required");
    if (!names.insert(principal.name).second) {
      return bad(where,
                 absl::StrCat("name \"", principal.name, "\" is used twice"));
    }
    const std::string hash = text("token_sha256");
    if (hash.size() != 64 || !IsLowerHex(hash)) {
      return bad(where,
                 "\"token_sha256\" must be 64 lower-case hex digits (the "
                 "SHA-256 of the token, never the token itself)");
    }
    if (!hashes.insert(hash).second) {
      return bad(where, "two principals share one token");
    }
    absl::StatusOr<Role> role = ParseRole(text("role"));
    if (!role.ok()) return bad(where, role.status().message());
    principal.role = *role;
    principal.area_code = text("area_code");
    principal.edition = text("edition");
    if (principal.area_code.empty() != principal.edition.empty()) {
      return bad(where, "\"area_code\" and \"edition\" go together");
    }
    if (principal.limited_to_area() && principal.role != Role::kOfficer) {
      return bad(where, "only an OFFICER may be limited to an area");
    }
    set.entries_.emplace_back(absl::HexStringToBytes(hash),
                              std::move(principal));
  }
  return set;
}

absl::StatusOr<PrincipalSet> PrincipalSet::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read principals file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

const Principal* PrincipalSet::FindByToken(absl::string_view token) const {
  const std::string hash = Sha256(token);
  const Principal* found = nullptr;
  for (const auto& [entry_hash, principal] : entries_) {
    // No early exit: the time taken does not tell which entry matched.
    if (ConstantTimeEquals(hash, entry_hash)) found = &principal;
  }
  return found;
}

std::unique_ptr<Authenticator> Authenticator::Insecure() {
  return std::unique_ptr<Authenticator>(new Authenticator(""));
}

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::FromFile(
    std::string path) {
  if (path.empty()) {
    return absl::InvalidArgumentError("--principals_file is required");
  }
  std::unique_ptr<Authenticator> authenticator(
      new Authenticator(std::move(path)));
  if (absl::Status s = authenticator->Reload(); !s.ok()) return s;
  return authenticator;
}

absl::Status Authenticator::Reload() {
  if (insecure()) return absl::OkStatus();
  absl::StatusOr<PrincipalSet> loaded = PrincipalSet::Load(path_);
  if (!loaded.ok()) return loaded.status();
  auto principals = std::make_shared<const PrincipalSet>(*std::move(loaded));
  absl::MutexLock lock(&mu_);
  principals_ = std::move(principals);
  return absl::OkStatus();
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return AuthenticateHeader(nullptr);
  const std::string value(it->second.data(), it->second.size());
  return AuthenticateHeader(&value);
}

absl::StatusOr<Principal> Authenticator::AuthenticateHeader(
    const std::string* authorization) const {
  if (insecure()) {
    Principal anyone;
    anyone.name = "insecure";
    anyone.role = Role::kAdmin;
    return anyone;
  }
  if (authorization == nullptr) {
    return absl::UnauthenticatedError(
        "no credentials: send \"authorization: Bearer <token>\"");
  }
  // Never echo the header back: it may be a real token with a typo.
  if (authorization->size() <= sizeof(kBearer) - 1 ||
      !absl::StartsWithIgnoreCase(*authorization, kBearer)) {
    return absl::UnauthenticatedError(
        "malformed authorization header: expected \"Bearer <token>\"");
  }
  const absl::string_view token = absl::StripAsciiWhitespace(
      absl::string_view(*authorization).substr(sizeof(kBearer) - 1));
  std::shared_ptr<const PrincipalSet> principals;
  {
    absl::MutexLock lock(&mu_);
    principals = principals_;
  }
  const Principal* principal =
      token.empty() ? nullptr : principals->FindByToken(token);
  if (principal == nullptr) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  return *principal;
}

AccessPolicy::AccessPolicy(const google::protobuf::ServiceDescriptor* service,
                           std::vector<std::pair<std::string, Roles>> rules)
    : service_(service) {
  // A policy for a service that is not linked in is a programming error.
  if (service_ == nullptr) {
    std::fputs("AccessPolicy: service descriptor not found\n", stderr);
    std::abort();
  }
  for (auto& [method, roles] : rules) {
    if (service_->FindMethodByName(method) == nullptr) {
      unknown_.push_back(method);
    }
    rules_[method] = roles;
  }
}

absl::Status AccessPolicy::Validate() const {
  std::vector<std::string> missing;
  for (int i = 0; i < service_->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service_->method(i);
    if (!rules_.contains(method->name())) missing.push_back(method->name());
  }
  if (missing.empty() && unknown_.empty()) {
    return absl::OkStatus();
  }
  std::string message =
      absl::StrCat("access policy of ", service_->full_name(), ":");
  if (!missing.empty()) {
    absl::StrAppend(&message, " no rule for ", absl::StrJoin(missing, ", "));
  }
  if (!unknown_.empty()) {
    absl::StrAppend(&message, " rules for unknown methods ",
                    absl::StrJoin(unknown_, ", "));
  }
  return absl::FailedPreconditionError(message);
}

AccessPolicy::AccessPolicy(absl::string_view service_full_name,
                           std::vector<std::pair<std::string, Roles>> rules)
    : AccessPolicy(
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
              std::string(service_full_name)),
          std::move(rules)) {}

Roles AccessPolicy::RolesFor(absl::string_view method) const {
  auto it = rules_.find(method);
  return it == rules_.end() ? 0 : it->second;
}

absl::StatusOr<Principal> AccessControl::Admit(
    const grpc::ServerContextBase& context, absl::string_view method) const {
  absl::StatusOr<Principal> caller = authenticator->Authenticate(context);
  if (!caller.ok()) return caller.status();
  if ((policy->RolesFor(method) & static_cast<Roles>(caller->role)) == 0) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller->Describe(), " may not call ",
                     policy->service()->name(), ".", method));
  }
  return caller;
}

grpc::Status TokenAuthProcessor::Process(const InputMetadata& auth_metadata,
                                         grpc::AuthContext*, OutputMetadata*,
                                         OutputMetadata*) {
  auto it = auth_metadata.find("authorization");
  std::string header;
  if (it != auth_metadata.end()) {
    header.assign(it->second.data(), it->second.size());
  }
  absl::StatusOr<Principal> caller = authenticator_->AuthenticateHeader(
      it == auth_metadata.end() ? nullptr : &header);
  if (!caller.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        std::string(caller.status().message()));
  }
  return grpc::Status::OK;
}

}  // namespace antt
