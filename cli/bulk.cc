#include "cli/bulk.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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
  std::mutex mu;
  std::exception_ptr first_error;
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) {
        try {
          fn(i);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu);
          if (!first_error) first_error = std::current_exception();
          next = n;  // nobody takes more work
          return;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  if (first_error) std::rethrow_exception(first_error);
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

int RunEach(size_t n, int parallel, Progress& progress,
            const std::function<std::string(size_t)>& name,
            const std::function<grpc::Status(size_t)>& call) {
  std::mutex mu;  // guards failures and stop
  std::vector<std::pair<size_t, grpc::Status>> failures;
  bool stop = false;
  ParallelFor(n, parallel, [&](size_t i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (stop) return;
    }
    const grpc::Status status = call(i);
    progress.Add(status.ok() ? 1 : 0, status.ok() ? 0 : 1);
    if (status.ok()) return;
    std::lock_guard<std::mutex> lock(mu);
    failures.emplace_back(i, status);
    if (!IsAboutTheItem(status)) stop = true;
  });
  progress.Finish();
  int exit_code = kOk;
  for (const auto& [i, status] : failures) {
    std::cerr << name(i) << ": ";
    const int code = ReportError(status);
    if (exit_code == kOk || !IsAboutTheItem(status)) exit_code = code;
  }
  if (stop) {
    std::cerr << "stopped at an error that is not about one item; run it "
                 "again for the rest\n";
  }
  return exit_code;
}

bool ReconcileRows(Globals& globals, absl::string_view command,
                   const RowTally& tally, ErrorReport& report) {
  const absl::Status status = CheckRowTally(tally);
  if (status.ok()) return true;
  const std::string message =
      absl::StrCat("the counts do not add up: ", status.message(),
                   ". Do not take this run as done: see what was written "
                   "(list or export) and run the file again");
  std::cerr << "error: " << command << ": " << message << "\n";
  report.Add(0, "", message);
  globals.exit_code = kServerError;
  return false;
}

std::vector<std::string> RowCells(const CsvRow& row,
                                  const std::vector<CsvColumn>& columns) {
  std::vector<std::string> cells;
  cells.reserve(columns.size());
  for (const CsvColumn& column : columns)
    cells.push_back(row.Text(column.name));
  return cells;
}

std::string RowKeys::KeyOf(const std::vector<std::string>& cells) {
  // FNV-1a 64: the same on every machine and in every run (absl::Hash is
  // not: it is seeded per process).
  uint64_t h = 14695981039346656037ULL;
  for (const std::string& cell : cells) {
    for (unsigned char c : cell) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;  // the unit separator between cells
  }
  int occurrence = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    occurrence = seen_[h]++;
  }
  return absl::StrFormat("%s-%016x-%d", prefix_, h, occurrence);
}

}  // namespace antt::cli
