#ifndef ANTT_COMMON_GRPC_HANDLER_H_
#define ANTT_COMMON_GRPC_HANDLER_H_

// What every sync gRPC handler of ANTT does around its use case: refuse a
// call whose deadline passed or that was cancelled (its answer would be
// thrown away), and turn an absl::StatusOr into a response or an error.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/call_deadline.h"
#include "common/grpc_status.h"

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

// Runs `use_case` (returning absl::StatusOr<T>) for a call that is still
// wanted and copies its value into `*response`.
template <typename T, typename UseCase>
grpc::Status Handle(const grpc::ServerContext& context, T* response,
                    UseCase&& use_case) {
  if (grpc::Status wanted = CallStillWanted(context); !wanted.ok()) {
    return wanted;
  }
  // Calls to other services made by the use case end by our caller's deadline.
  const ScopedCallDeadline deadline(absl::FromChrono(context.deadline()));
  absl::StatusOr<T> result = std::forward<UseCase>(use_case)();
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace antt

#endif  // ANTT_COMMON_GRPC_HANDLER_H_
