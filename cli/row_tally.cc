#include "cli/row_tally.h"

#include "absl/strings/str_cat.h"

namespace antt::cli {

absl::Status CheckRowTally(const RowTally& t) {
  if (t.read != t.in_file) {
    return absl::DataLossError(
        t.read < t.in_file
            ? absl::StrCat("the run read ", t.read, " of the ", t.in_file,
                           " rows of the file; the other ", t.in_file - t.read,
                           " were neither sent nor rejected")
            : absl::StrCat("the run read ", t.read, " rows, but the file had ",
                           t.in_file, " before it (did the file change?)"));
  }
  const int64_t outcomes = t.accepted + t.rejected;
  if (outcomes != t.read) {
    return absl::DataLossError(absl::StrCat(
        "of the ", t.read, " rows read, ", t.accepted, " were written and ",
        t.rejected, " rejected: ",
        outcomes < t.read
            ? absl::StrCat(t.read - outcomes,
                           " rows have no outcome (the server never said "
                           "whether it wrote them)")
            : absl::StrCat(outcomes - t.read, " outcomes more than rows")));
  }
  return absl::OkStatus();
}

}  // namespace antt::cli
