#ifndef ANTT_CLI_TABLE_H_
#define ANTT_CLI_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cli/csv.h"

namespace antt::cli {

// Columns on a terminal: the width of a UTF-8 string (Vietnamese letters are
// one column however many bytes they take; wide CJK characters two).
[[nodiscard]] size_t DisplayWidth(absl::string_view text);

// `text` cut to at most `columns` display columns, ending in "…" when cut.
// It cuts between grapheme clusters: never inside a UTF-8 sequence, and
// never between a letter and its combining marks.
[[nodiscard]] std::string TruncateToWidth(absl::string_view text,
                                          size_t columns);

enum class OutputFormat { kTable, kJson, kCsv };

// Rows of cells under a header, printed as an aligned table (padding counts
// display width, not bytes) or as RFC 4180 CSV by a CsvWriter, whose text
// columns are guarded against spreadsheet formulas.
class Table final {
 public:
  explicit Table(std::vector<CsvColumn> columns)
      : columns_(std::move(columns)) {}

  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  [[nodiscard]] size_t size() const { return rows_.size(); }

  void PrintAligned(std::ostream& out) const;
  void PrintCsv(std::ostream& out) const;

 private:
  std::vector<CsvColumn> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace antt::cli

#endif  // ANTT_CLI_TABLE_H_
