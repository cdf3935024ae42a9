#include "cli/bulk.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/field_violations.h"
#include "common/grpc_status.h"

namespace antt::cli {

void ParallelFor(size_t n, int parallel,
                 const std::function<void(size_t)>& fn) {
  const size_t threads =
      std::min(n, static_cast<size_t>(std::max(parallel, 1)));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

void AddStatusToReport(int row, const grpc::Status& status,
                       ErrorReport* report) {
  const auto violations = FieldViolationsOf(FromGrpcStatus(status));
  if (violations.empty()) {
    report->Add(
        row, "",
        absl::StrCat(status.error_message(), " (",
                     absl::StatusCodeToString(
                         static_cast<absl::StatusCode>(status.error_code())),
                     ")"));
    return;
  }
  for (const auto& [field, description] : violations) {
    report->Add(row, field, description);
  }
}

}  // namespace antt::cli
