#ifndef ANTT_CLI_ROW_TALLY_H_
#define ANTT_CLI_ROW_TALLY_H_

// The rows of a bulk command's file, counted at each step of the run, and the
// check that they add up.

#include <cstdint>

#include "absl/status/status.h"

namespace antt::cli {

// What became of the rows of a bulk command's file, as the command counts
// them for its summary.
struct RowTally {
  int64_t in_file = 0;   // data rows counted before the run
  int64_t read = 0;      // rows the run read
  int64_t accepted = 0;  // written: created, updated, submitted, nominated
  int64_t rejected = 0;  // refused here or by the server, each reported
};

// OkStatus when every row of the file was read and every row read was
// accepted or rejected. Otherwise rows went missing on the way (a server that
// stopped reading a stream but answered OK, a batch answered short) and
// nobody can say which of them are written: DataLoss saying how the counts
// differ.
[[nodiscard]] absl::Status CheckRowTally(const RowTally& tally);

}  // namespace antt::cli

#endif  // ANTT_CLI_ROW_TALLY_H_
