#include "cli/table.h"

#include <utf8proc.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "cli/csv.h"

namespace antt::cli {

namespace {

// Calls `visit(offset, length, codepoint)` for each code point of `text`; an
// invalid byte comes as a code point of -1 and length 1.
template <typename Visit>
void ForEachCodePoint(absl::string_view text, Visit&& visit) {
  const auto* begin = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t offset = 0;
  while (offset < text.size()) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(
        begin + offset, static_cast<utf8proc_ssize_t>(text.size() - offset),
        &cp);
    if (n <= 0) {
      cp = -1;
      n = 1;
    }
    visit(offset, static_cast<size_t>(n), cp);
    offset += static_cast<size_t>(n);
  }
}

// An invalid byte counts as one column.
size_t CodePointWidth(utf8proc_int32_t cp) {
  return cp < 0 ? 1 : static_cast<size_t>(std::max(0, utf8proc_charwidth(cp)));
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  ForEachCodePoint(text, [&](size_t, size_t, utf8proc_int32_t cp) {
    width += CodePointWidth(cp);
  });
  return width;
}

std::string TruncateToWidth(absl::string_view text, size_t columns) {
  if (DisplayWidth(text) <= columns) return std::string(text);
  if (columns == 0) return "";
  const size_t budget = columns - 1;  // one column for the ellipsis
  size_t kept_width = 0;  // of the whole clusters before cluster_start
  size_t cluster_start = 0;
  size_t cluster_width = 0;
  bool full = false;
  utf8proc_int32_t previous = -1;
  utf8proc_int32_t state = 0;
  ForEachCodePoint(text, [&](size_t offset, size_t, utf8proc_int32_t cp) {
    if (full) return;
    const bool boundary =
        offset == 0 || previous < 0 || cp < 0 ||
        utf8proc_grapheme_break_stateful(previous, cp, &state);
    if (boundary && offset > 0) {
      if (kept_width + cluster_width > budget) {
        full = true;
        return;
      }
      kept_width += cluster_width;
      cluster_start = offset;
      cluster_width = 0;
    }
    if (cp < 0) state = 0;
    cluster_width += CodePointWidth(cp);
    previous = cp;
  });
  // Cut before the cluster that overflowed: the one the walk stopped at, or
  // else the last (the text is wider than `columns`).
  return absl::StrCat(text.substr(0, cluster_start), "…");
}

void Table::PrintAligned(std::ostream& out) const {
  std::vector<std::string> header;
  for (const CsvColumn& column : columns_) header.push_back(column.name);
  std::vector<size_t> widths(header.size(), 0);
  const auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows_) measure(row);
  const auto print = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string& cell = i < row.size() ? row[i] : std::string();
      out << cell;
      if (i + 1 < widths.size()) {
        out << std::string(widths[i] - DisplayWidth(cell) + 2, ' ');
      }
    }
    out << '\n';
  };
  print(header);
  for (const auto& row : rows_) print(row);
}

void Table::PrintCsv(std::ostream& out) const {
  CsvWriter writer(out, columns_);
  writer.WriteHeader();
  for (const auto& row : rows_) writer.Write(row);
}

}  // namespace antt::cli
