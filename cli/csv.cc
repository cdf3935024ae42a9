#include "cli/csv.h"

#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace antt::cli {

namespace {

// What a spreadsheet reads as the start of a formula (OWASP's list).
bool IsFormulaStart(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// Whether `text` is a formula character after zero or more quotes, or
// (`quotes` = 1) after one or more.
bool FormulaAfterQuotes(absl::string_view text, size_t quotes) {
  const size_t first = text.find_first_not_of('\'');
  return first != absl::string_view::npos && first >= quotes &&
         IsFormulaStart(text[first]);
}

}  // namespace

std::string GuardFormula(absl::string_view value) {
  if (!FormulaAfterQuotes(value, 0)) return std::string(value);
  return absl::StrCat("'", value);
}

absl::string_view UnguardFormula(absl::string_view cell) {
  return FormulaAfterQuotes(cell, 1) ? cell.substr(1) : cell;
}

CsvReader::CsvReader(std::istream& in) : in_(in) { SkipByteOrderMark(); }

int CsvReader::ReadChar() {
  if (pending_ < prefix_.size()) {
    return static_cast<unsigned char>(prefix_[pending_++]);
  }
  return in_.get();
}

int CsvReader::PeekChar() {
  if (pending_ < prefix_.size()) {
    return static_cast<unsigned char>(prefix_[pending_]);
  }
  return in_.peek();
}

void CsvReader::SkipByteOrderMark() {
  // Read what may be a BOM; bytes that turn out not to be one are kept and
  // read back first, since a stream need not take more than one back.
  static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
  for (unsigned char expected : kBom) {
    if (in_.peek() != expected) return;
    prefix_.push_back(static_cast<char>(in_.get()));
  }
  prefix_.clear();
}

void CsvReader::SkipRestOfLine() {
  for (int c = ReadChar(); c != EOF; c = ReadChar()) {
    if (c == '\n') {
      ++line_;
      return;
    }
  }
}

bool CsvReader::ReadFields(std::vector<std::string>* fields, int* start_line,
                           absl::Status* error) {
  fields->clear();
  *error = absl::OkStatus();
  int c = ReadChar();
  while (c == '\n' || (c == '\r' && PeekChar() == '\n')) {  // blank lines
    if (c == '\r') ReadChar();
    ++line_;
    c = ReadChar();
  }
  if (c == EOF) return false;
  *start_line = line_;
  std::string field;
  bool quoted = false;  // the current field opened with a quote
  bool in_quotes = false;
  for (;; c = ReadChar()) {
    if (in_quotes) {
      if (c == EOF) {
        *error = absl::InvalidArgumentError(
            absl::StrCat("line ", *start_line, ": a quoted field (field ",
                         fields->size() + 1, ") is never closed"));
        fields->push_back(std::move(field));
        return true;
      }
      if (c == '"' && PeekChar() == '"') {
        ReadChar();
        field += '"';
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line_;
        field += static_cast<char>(c);
      }
    } else if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
      quoted = false;
    } else if (c == EOF || c == '\n' || (c == '\r' && PeekChar() == '\n')) {
      if (c == '\r') ReadChar();
      if (c != EOF) ++line_;
      fields->push_back(std::move(field));
      return true;
    } else if (quoted) {
      *error = absl::InvalidArgumentError(
          absl::StrCat("line ", *start_line, ": text after the closing quote",
                       " of field ", fields->size() + 1));
      fields->push_back(std::move(field));
      SkipRestOfLine();
      return true;
    } else if (c == '"' && field.empty()) {
      quoted = in_quotes = true;
    } else {
      field += static_cast<char>(c);
    }
  }
}

absl::Status CsvReader::ReadHeader() {
  int line = 0;
  absl::Status error;
  if (!ReadFields(&header_, &line, &error)) {
    return absl::InvalidArgumentError("the file is empty: no header line");
  }
  if (!error.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header: ", error.message()));
  }
  for (size_t i = 0; i < header_.size(); ++i) {
    header_[i] = std::string(absl::StripAsciiWhitespace(header_[i]));
    if (header_[i].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("header: column ", i + 1, " has no name"));
    }
    if (std::find(header_.begin(), header_.begin() + i, header_[i]) !=
        header_.begin() + i) {
      return absl::InvalidArgumentError(absl::StrCat(
          "header: column \"", header_[i], "\" appears more than once"));
    }
  }
  return absl::OkStatus();
}

int CsvReader::Column(absl::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::Status CsvReader::Require(
    std::initializer_list<absl::string_view> names) const {
  std::vector<absl::string_view> missing;
  for (absl::string_view name : names) {
    if (Column(name) < 0) missing.push_back(name);
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("header: missing column", missing.size() > 1 ? "s " : " ",
                   absl::StrJoin(missing, ", ")));
}

absl::Status CsvReader::UseColumns(const std::vector<CsvColumn>& known) {
  std::vector<absl::string_view> unknown;
  std::vector<CsvType> types;
  for (const std::string& name : header_) {
    const auto column =
        std::find_if(known.begin(), known.end(),
                     [&](const CsvColumn& c) { return c.name == name; });
    if (column == known.end()) {
      unknown.push_back(name);
    } else {
      types.push_back(column->type);
    }
  }
  if (unknown.empty()) {
    types_ = std::move(types);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "header: unknown column", unknown.size() > 1 ? "s " : " ",
      absl::StrJoin(unknown, ", "), " (known: ",
      absl::StrJoin(
          known, ",",
          [](std::string* out, const CsvColumn& c) { out->append(c.name); }),
      ")"));
}

bool CsvReader::Next(CsvRecord* record, absl::Status* error) {
  if (!ReadFields(&record->fields, &record->line, error)) return false;
  record->row = ++rows_;
  if (error->ok() && !header_.empty() &&
      record->fields.size() > header_.size()) {
    *error = absl::InvalidArgumentError(
        absl::StrCat("line ", record->line, ": ", record->fields.size(),
                     " fields, but the header has ", header_.size()));
  }
  return true;
}

absl::string_view CsvReader::Get(const CsvRecord& record,
                                 absl::string_view name) const {
  const int column = Column(name);
  if (column < 0 || static_cast<size_t>(column) >= record.fields.size()) {
    return "";
  }
  const absl::string_view cell = record.fields[column];
  const bool text = static_cast<size_t>(column) < types_.size() &&
                    types_[column] == CsvType::kText;
  return text ? UnguardFormula(cell) : cell;
}

int64_t CountCsvRecords(std::istream& in) {
  CsvReader reader(in);
  (void)reader.ReadHeader();  // a bad header still takes its line
  int64_t count = 0;
  CsvRecord record;
  absl::Status error;
  while (reader.Next(&record, &error)) ++count;
  return count;
}

size_t InvalidUtf8Offset(absl::string_view text) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t offset = 0;
  while (offset < text.size()) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(
        bytes + offset, static_cast<utf8proc_ssize_t>(text.size() - offset),
        &code_point);
    if (n <= 0) return offset;
    offset += static_cast<size_t>(n);
  }
  return absl::string_view::npos;
}

std::string NotUtf8Message(absl::string_view cell, size_t offset) {
  // Enough of the text before the byte to find it; cut at a character start.
  constexpr size_t kContext = 40;
  size_t start = offset > kContext ? offset - kContext : 0;
  while (start < offset &&
         (static_cast<unsigned char>(cell[start]) & 0xC0) == 0x80) {
    ++start;
  }
  const std::string before =
      absl::StrCat(start > 0 ? "…" : "", cell.substr(start, offset - start));
  return absl::StrFormat(
      "not UTF-8: byte 0x%02X %s; save the file as UTF-8 (in Excel: \"CSV "
      "UTF-8\"), not as Windows-1258, TCVN3, VNI or Latin-1",
      static_cast<unsigned char>(cell[offset]),
      offset == 0 ? std::string("at the start")
                  : absl::StrCat("after \"", before, "\""));
}

std::string CsvField(absl::string_view value) {
  const bool needs_quotes =
      value.find_first_of(",\"\r\n") != absl::string_view::npos ||
      (!value.empty() && (value.front() == ' ' || value.front() == '\t' ||
                          value.back() == ' ' || value.back() == '\t'));
  if (!needs_quotes) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void WriteCsvRecord(std::ostream& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << CsvField(fields[i]);
  }
  out << '\n';
}

void CsvWriter::WriteHeader() {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) out_ << ',';
    out_ << CsvField(columns_[i].name);
  }
  out_ << '\n';
}

void CsvWriter::Write(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_ << ',';
    const bool text =
        i >= columns_.size() || columns_[i].type == CsvType::kText;
    out_ << CsvField(text ? GuardFormula(fields[i]) : fields[i]);
  }
  out_ << '\n';
}

namespace {

// What EscapeListValue puts a backslash before.
bool IsListSpecial(char c) { return c == '\\' || c == '|' || c == ';'; }

}  // namespace

std::string EscapeListValue(absl::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (IsListSpecial(c)) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::vector<std::string> SplitEscaped(absl::string_view cell, char separator) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\\' && i + 1 < cell.size() && IsListSpecial(cell[i + 1])) {
      parts.back().append(cell.data() + i, 2);
      ++i;
    } else if (cell[i] == separator) {
      parts.emplace_back();
    } else {
      parts.back() += cell[i];
    }
  }
  return parts;
}

std::string UnescapeListValue(absl::string_view value) {
  std::string unescaped;
  unescaped.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size() &&
        IsListSpecial(value[i + 1])) {
      ++i;
    }
    unescaped += value[i];
  }
  return unescaped;
}

void ErrorReport::Add(int row, std::string field, std::string message) {
  entries_.push_back({row, std::move(field), std::move(message)});
}

absl::Status ErrorReport::WriteTo(const std::string& path) const {
  std::vector<Entry> sorted = entries_;
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const Entry& a, const Entry& b) { return a.row < b.row; });
  AtomicOutputFile file(path);
  if (absl::Status s = file.Open(); !s.ok()) return s;
  // Opened in a spreadsheet, and a message may quote a cell of the input.
  CsvWriter writer(file.stream(), {ValueColumn("row"), "field", "message"});
  writer.WriteHeader();
  for (const Entry& e : sorted) {
    writer.Write({absl::StrCat(e.row), e.field, e.message});
  }
  return file.Commit();
}

AtomicOutputFile::AtomicOutputFile(std::string path) : path_(std::move(path)) {}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_ && out_.is_open()) {
    out_.close();
    std::remove(temp_.c_str());
  }
}

absl::Status AtomicOutputFile::Open() {
  std::string name = path_ + ".tmp-XXXXXX";
  const int fd = mkstemp(name.data());
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path_, ": ", std::strerror(errno)));
  }
  (void)fchmod(fd, 0644);  // mkstemp makes it private; this is for reading
  close(fd);
  temp_ = name;
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    std::remove(temp_.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path_, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status AtomicOutputFile::Commit() {
  out_.close();  // flushes
  const bool written = !out_.fail();
  if (written && std::rename(temp_.c_str(), path_.c_str()) == 0) {
    committed_ = true;
    return absl::OkStatus();
  }
  const int saved = errno;
  std::remove(temp_.c_str());
  committed_ = true;  // nothing left to clean up
  return absl::UnavailableError(
      absl::StrCat("cannot write ", path_, ": ",
                   written ? std::strerror(saved) : "write failed"));
}

}  // namespace antt::cli
