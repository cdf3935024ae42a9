#ifndef ANTT_CLI_BULK_H_
#define ANTT_CLI_BULK_H_

// What anttctl's bulk commands share: calls on a few threads, and a failed
// call as rows of the error report.

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <functional>

#include "cli/csv.h"

namespace antt::cli {

// Calls fn(i) for every i in [0, n) on `parallel` threads (at most n; 1 or
// less: in this thread, in order), and returns when all have returned.
void ParallelFor(size_t n, int parallel, const std::function<void(size_t)>& fn);

// Adds `status` (a failed call for data row `row`) to `report`: one entry per
// field the server named (google.rpc.BadRequest), or one with its message.
void AddStatusToReport(int row, const grpc::Status& status,
                       ErrorReport* report);

}  // namespace antt::cli

#endif  // ANTT_CLI_BULK_H_
