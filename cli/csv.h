#ifndef ANTT_CLI_CSV_H_
#define ANTT_CLI_CSV_H_

// CSV in and out for anttctl (RFC 4180, UTF-8): columns typed as text or
// value, text guarded against spreadsheet formulas; lists inside a cell; and
// the per-row error report of the bulk commands.

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <istream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace antt::cli {

// What a CSV column holds, which decides how its cells are written and read.
enum class CsvType {
  // A string as someone typed or chose it: a name, an address, an id, a code,
  // a list. A spreadsheet runs a cell starting with =, +, -, @, tab or CR as
  // a formula (=HYPERLINK(...) sends the reader away), so anttctl writes such
  // a cell with a ' before it, as OWASP advises (the spreadsheet shows the
  // text without it), and reads it back without it: GuardFormula,
  // UnguardFormula.
  kText,
  // A number, an enum name, a boolean or a date, which anttctl writes itself:
  // never a formula, and a number keeps its sign (-5, not '-5).
  kValue,
};

// A column of a CSV file or a table: text unless made by ValueColumn.
struct CsvColumn {
  // Implicit, so that a column list reads {"name", ValueColumn("year")}.
  CsvColumn(const char* name) : name(name) {}  // NOLINT(runtime/explicit)
  CsvColumn(std::string name, CsvType type)
      : name(std::move(name)), type(type) {}

  std::string name;
  CsvType type = CsvType::kText;
};

[[nodiscard]] inline CsvColumn ValueColumn(std::string name) {
  return CsvColumn(std::move(name), CsvType::kValue);
}

// A text cell as written: `value` with a ' before it when it starts with a
// formula character (=, +, -, @, tab, CR), or with one or more ' and then
// one, so that UnguardFormula gives `value` back whatever it is.
[[nodiscard]] std::string GuardFormula(absl::string_view value);
// A text cell as read: `cell` without its first ' when what follows its
// leading quotes is a formula character; otherwise `cell`.
[[nodiscard]] absl::string_view UnguardFormula(absl::string_view cell);

struct CsvRecord {
  int row = 0;   // 1-based data row number (the header is not a row)
  int line = 0;  // 1-based line of the input where the record starts
  std::vector<std::string> fields;
};

// Reads RFC 4180 CSV record by record, never the whole input at once: quoted
// fields with "" escapes and newlines inside quotes, LF or CRLF line ends. A
// UTF-8 byte order mark at the start is skipped, and so is a blank line. A
// quote inside an unquoted field is kept as a literal character.
class CsvReader final {
 public:
  explicit CsvReader(std::istream& in);

  // Reads the header. InvalidArgument when the input is empty or malformed,
  // a column name is empty, or a name appears twice. Names are trimmed of
  // surrounding ASCII white space.
  [[nodiscard]] absl::Status ReadHeader();
  [[nodiscard]] const std::vector<std::string>& header() const {
    return header_;
  }
  // The index of column `name`, or -1.
  [[nodiscard]] int Column(absl::string_view name) const;
  // InvalidArgument naming every column of `names` the header lacks.
  [[nodiscard]] absl::Status Require(
      std::initializer_list<absl::string_view> names) const;
  // InvalidArgument naming every header column not in `known`. Otherwise Get
  // reads each column as `known` types it: a text cell without the ' that
  // GuardFormula put before it. Until then every cell reads as it is.
  [[nodiscard]] absl::Status UseColumns(const std::vector<CsvColumn>& known);

  // Reads the next record into `*record`. Returns false at the end of the
  // input. A malformed record (an unterminated quote, text after a closing
  // quote, more fields than the header) still returns true, with `*error`
  // set to InvalidArgument naming its line, so the caller can report that row
  // and go on; `*error` is OkStatus otherwise. A record with fewer fields than
  // the header is not an error: the missing cells read as "".
  bool Next(CsvRecord* record, absl::Status* error);

  // The cell of column `name` (UnguardFormula'd for a text column, see
  // UseColumns); "" when the column is absent or the record is short.
  [[nodiscard]] absl::string_view Get(const CsvRecord& record,
                                      absl::string_view name) const;

 private:
  // Reads one record's fields; false at the end of the input.
  bool ReadFields(std::vector<std::string>* fields, int* start_line,
                  absl::Status* error);
  // After a malformed field: drops the rest of the physical line.
  void SkipRestOfLine();
  void SkipByteOrderMark();
  // The next byte (EOF at the end), and a look at it without taking it.
  int ReadChar();
  int PeekChar();

  std::istream& in_;
  std::string prefix_;  // bytes read ahead looking for a byte order mark
  size_t pending_ = 0;  // how many of prefix_ have been read back
  int line_ = 1;
  int rows_ = 0;
  std::vector<std::string> header_;
  std::vector<CsvType> types_;  // of each header column, once UseColumns ran
};

// The data records after the header of a CSV input, malformed ones included:
// a quick first pass that gives a bulk command its total.
[[nodiscard]] int64_t CountCsvRecords(std::istream& in);

// The offset of the first byte of `text` that is not part of well-formed
// UTF-8 (a stray byte, a cut or overlong sequence, a surrogate, a code point
// past U+10FFFF), or npos when there is none. Protobuf refuses a string field
// holding such a byte, so a cell with one can never be sent.
[[nodiscard]] size_t InvalidUtf8Offset(absl::string_view text);

// What a bulk command reports for a cell whose byte at `offset` is not UTF-8:
// the byte, the text before it, and that the file must be saved as UTF-8 (a
// spreadsheet or an old Vietnamese tool may have saved it as Windows-1258,
// TCVN3, VNI or Latin-1).
[[nodiscard]] std::string NotUtf8Message(absl::string_view cell, size_t offset);

// `value` as one CSV cell: quoted (with "" for a quote) only when it holds a
// comma, a quote, CR or LF, or starts or ends with a space or tab.
[[nodiscard]] std::string CsvField(absl::string_view value);

// `fields` as CsvField cells joined by ',', ending in "\n", each as it is:
// for a file a program reads (antt-demo-province's). What a person may open
// in a spreadsheet goes through CsvWriter.
void WriteCsvRecord(std::ostream& out, const std::vector<std::string>& fields);

// Writes CSV records whose cells are typed by their columns: each text cell
// through GuardFormula, then every cell through CsvField. Every file and
// every -o csv output of anttctl is written by one.
class CsvWriter final {
 public:
  CsvWriter(std::ostream& out, std::vector<CsvColumn> columns)
      : out_(out), columns_(std::move(columns)) {}

  // The column names.
  void WriteHeader();
  // `fields` in the order of the columns; a field past them is text.
  void Write(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
  const std::vector<CsvColumn> columns_;
};

// Lists inside one cell: a unit's models joined by ';'; a person's positions
// joined by ';' and the fields of each by '|'. EscapeListValue puts a
// backslash before each '\\', '|' and ';' of a value, so that a value holding
// one (a title "Tổ trưởng | phó") neither splits nor forges another item or
// field. SplitEscaped splits `cell` at every `separator` no backslash
// escapes and keeps the escapes, so a part can be split again (positions,
// then fields); UnescapeListValue takes them off. A backslash before any
// other character stays as it is, so a list typed by hand with one reads as
// before.
[[nodiscard]] std::string EscapeListValue(absl::string_view value);
[[nodiscard]] std::vector<std::string> SplitEscaped(absl::string_view cell,
                                                    char separator);
[[nodiscard]] std::string UnescapeListValue(absl::string_view value);

// A file written under a temporary name beside `path` and renamed over it by
// Commit, so no reader ever sees it half written. The temporary is removed
// unless committed.
class AtomicOutputFile final {
 public:
  explicit AtomicOutputFile(std::string path);
  ~AtomicOutputFile();

  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  // Creates the temporary; an error naming `path` when it cannot.
  [[nodiscard]] absl::Status Open();
  std::ostream& stream() { return out_; }
  // Flushes, closes and renames into place; an error naming `path` when any
  // step fails (the temporary is then removed).
  [[nodiscard]] absl::Status Commit();

 private:
  const std::string path_;
  std::string temp_;  // set by Open
  std::ofstream out_;
  bool committed_ = false;
};

// Per-row errors of a bulk command, written as CSV "row,field,message" (row
// 1-based as in CsvRecord::row, 0 for a whole-file error).
class ErrorReport final {
 public:
  struct Entry {
    int row = 0;
    std::string field;
    std::string message;
  };

  void Add(int row, std::string field, std::string message);
  [[nodiscard]] int size() const { return static_cast<int>(entries_.size()); }
  // In the order added.
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

  // Writes the report, sorted by row (the header alone when empty), to a
  // temporary file beside `path` and renames it over `path`, so a reader
  // never sees half a report. An error naming `path` when it cannot.
  [[nodiscard]] absl::Status WriteTo(const std::string& path) const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace antt::cli

#endif  // ANTT_CLI_CSV_H_
