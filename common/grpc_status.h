#ifndef ANTT_COMMON_GRPC_STATUS_H_
#define ANTT_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace antt {

// The one translation of absl::Status into grpc::Status. The numeric codes
// are the same. Payloads whose type URL starts with "type.googleapis.com/"
// (e.g. google.rpc.BadRequest) travel as google.rpc.Status details, where
// clients read them with grpc::ExtractErrorDetails.
[[nodiscard]] grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients of our own services (e.g. scoring calling the
// registry): keeps code, message and details.
[[nodiscard]] absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace antt

#endif  // ANTT_COMMON_GRPC_STATUS_H_
