#ifndef ANTT_COMMON_GRPC_HANDLER_H_
#define ANTT_COMMON_GRPC_HANDLER_H_

// What every sync gRPC handler of ANTT does around its use case: refuse a
// call whose deadline passed or that was cancelled (its answer would be
// thrown away), admit the caller (authentication and role), stand up the
// call's deadline and audit context, and turn an absl::StatusOr into a
// response or an error.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/audit.h"
#include "common/auth.h"
#include "common/call_deadline.h"
#include "common/digest.h"
#include "common/grpc_status.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace antt {

// DEADLINE_EXCEEDED or CANCELLED when the call should not start; OK otherwise.
inline grpc::Status CallStillWanted(const grpc::ServerContext& context) {
  if (context.deadline() <= std::chrono::system_clock::now()) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "the call's deadline passed");
  }
  if (context.IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled");
  }
  return grpc::Status::OK;
}

// The method a request message belongs to: every ANTT RPC M takes MRequest
// (SPEC section 5), so GetUnitRequest → "GetUnit".
template <typename Request>
std::string MethodOf() {
  return std::string(
      absl::StripSuffix(Request::descriptor()->name(), "Request"));
}

// The audit context of one request of `method` made by `caller`.
template <typename Request>
AuditCall AuditCallOf(const Principal& caller, const AccessPolicy& policy,
                      const Request& request) {
  std::string bytes;
  // Deterministic, so the same request always has the same digest.
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return AuditCall{
      caller.name,
      absl::StrCat(policy.service()->full_name(), "/", MethodOf<Request>()),
      Sha256Hex(bytes)};
}

// Runs `use_case` for a call that is still wanted, made by a caller `access`
// admits, and copies its result (absl::StatusOr<T>) into `*response`.
// `use_case` takes the caller (const Principal&) when it checks area scope,
// or nothing.
template <typename Request, typename T, typename UseCase>
grpc::Status Handle(const AccessControl& access,
                    const grpc::ServerContext& context, const Request& request,
                    T* response, UseCase&& use_case) {
  if (grpc::Status wanted = CallStillWanted(context); !wanted.ok()) {
    return wanted;
  }
  absl::StatusOr<Principal> caller = access.Admit(context, MethodOf<Request>());
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  // Calls to other services made by the use case end by our caller's deadline.
  const ScopedCallDeadline deadline(absl::FromChrono(context.deadline()));
  const ScopedAuditCall audit(AuditCallOf(*caller, *access.policy, request));
  absl::StatusOr<T> result = [&] {
    if constexpr (std::is_invocable_v<UseCase, const Principal&>) {
      return std::forward<UseCase>(use_case)(*caller);
    } else {
      return std::forward<UseCase>(use_case)();
    }
  }();
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace antt

#endif  // ANTT_COMMON_GRPC_HANDLER_H_
