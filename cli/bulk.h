#ifndef ANTT_CLI_BULK_H_
#define ANTT_CLI_BULK_H_

// What anttctl's bulk commands share: calls on a few threads, the rows of a
// CSV file turned into calls, a failed call as rows of the error report, the
// idempotency key of a row, and the check that every row is accounted for.

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/csv.h"
#include "cli/progress.h"
#include "cli/row_tally.h"

namespace antt::cli {

// Calls fn(i) for every i in [0, n) on `parallel` threads (at most n; 1 or
// less: in this thread, in order), and returns when all have returned. An
// exception thrown by fn stops the other threads taking more work and is
// rethrown here (the first one).
void ParallelFor(size_t n, int parallel, const std::function<void(size_t)>& fn);

// Adds `status` (a failed call for data row `row`) to `report`: one entry per
// field the server named (google.rpc.BadRequest), or one with its message.
void AddStatusToReport(int row, const grpc::Status& status,
                       ErrorReport* report);

// Ends a bulk run that went through its whole file (not one stopped by a
// failure, which says so itself): when `tally` does not add up
// (CheckRowTally), rows went missing between the file and the server, so the
// summary is no success. Says so on stderr and in `report` (row 0) and
// records kServerError over any row's exit code; returns whether it added up.
bool ReconcileRows(Globals& globals, absl::string_view command,
                   const RowTally& tally, ErrorReport& report);

// A request id for one CSV row that is the same in every run of the same file
// (so running an import again creates nothing twice) and differs between rows:
// a hash of the row's cells and of how many earlier rows had exactly the same
// cells, so adding or removing other rows does not change it.
class RowKeys final {
 public:
  explicit RowKeys(std::string prefix) : prefix_(std::move(prefix)) {}
  // Thread-safe.
  [[nodiscard]] std::string KeyOf(const std::vector<std::string>& cells);

 private:
  const std::string prefix_;
  std::mutex mu_;
  std::map<uint64_t, int> seen_;  // hash of the cells → rows seen with it
};

// The cells of `row` in the order of `columns` (absent columns as ""): what
// RowKeys hashes, so neither the file's name nor its column order matter.
[[nodiscard]] std::vector<std::string> RowCells(
    const CsvRow& row, const std::vector<CsvColumn>& columns);

// Runs call(i) for each of `n` listed items on `parallel` threads, counting
// them in `progress`. A refused item is printed after the run on stderr with
// name(i) and every field the server named; a failure not about its item
// (IsAboutTheItem: a server error, an unknown token) stops the items not
// started yet. Returns kOk, or the exit code of the worst failure (one that
// stopped the run over a refusal).
int RunEach(size_t n, int parallel, Progress& progress,
            const std::function<std::string(size_t)>& name,
            const std::function<grpc::Status(size_t)>& call);

// How a bulk run over rows ended.
struct BulkOutcome {
  int read = 0;         // rows taken from the file
  int rejected = 0;     // rows refused here or by the server
  int not_allowed = 0;  // of those, rows the caller may not write (its area)
  grpc::Status fatal;   // a failure that is not about a row; it stopped the run

  // The exit code for the refused rows: kNotAllowed when any was not
  // allowed, else kRejected when any was refused, else kOk.
  [[nodiscard]] int RowsExitCode() const {
    return not_allowed > 0 ? kNotAllowed : rejected > 0 ? kRejected : kOk;
  }
};

// Runs one call per data row of `reader` on `parallel` threads. A worker
// takes the next row under a lock and converts it with `convert(CsvRow&)` as
// NextCsvRow does (bad cells go to `report`), then calls `call(row, request)`
// outside the lock. A call refused for its row (IsAboutTheItem) is reported
// against the row; any other failure stops every worker and is returned as
// `fatal`. `progress` counts every row. `call` keeps its own results, under
// its own lock.
template <typename Request, typename Convert, typename Call>
BulkOutcome RunRows(CsvReader& reader, ErrorReport& report, Progress& progress,
                    int parallel, Convert&& convert, Call&& call) {
  std::mutex mu;  // guards reader, report and outcome
  BulkOutcome outcome;
  auto worker = [&](size_t) {
    while (true) {
      int row = 0;
      std::optional<Request> request;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!outcome.fatal.ok()) return;
        if (!NextCsvRow(reader, report, convert, &row, &request)) return;
        ++outcome.read;
        if (!request) {
          ++outcome.rejected;
          progress.Add(0, 1);
          continue;
        }
      }
      const grpc::Status status = call(row, *request);
      std::lock_guard<std::mutex> lock(mu);
      if (status.ok()) {
        progress.Add(1);
      } else if (IsAboutTheItem(status)) {
        AddStatusToReport(row, status, &report);
        ++outcome.rejected;
        if (ExitCodeOf(status) == kNotAllowed) ++outcome.not_allowed;
        progress.Add(0, 1);
      } else if (outcome.fatal.ok()) {
        outcome.fatal = status;
      }
    }
  };
  ParallelFor(static_cast<size_t>(std::max(parallel, 1)), parallel, worker);
  progress.Finish();
  return outcome;
}

}  // namespace antt::cli

#endif  // ANTT_CLI_BULK_H_
