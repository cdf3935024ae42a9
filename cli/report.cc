#include "cli/report.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/table.h"

namespace antt::cli {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kNoValue[] = "—";

// ------------------------------------------------------------------ text

// One character of UTF-8 text: its bytes and the terminal columns it takes
// (0 for combining marks, 2 for wide characters). An invalid byte comes alone,
// with valid false and one column.
struct Char {
  absl::string_view bytes;
  int32_t code_point;
  int columns;
  bool valid;
};

template <typename F>
void ForEachChar(absl::string_view text, F&& f) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  size_t offset = 0;
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      n = 1;
      f(Char{text.substr(offset, 1), -1, 1, false});
    } else {
      f(Char{text.substr(offset, static_cast<size_t>(n)), cp,
             std::max(0, utf8proc_charwidth(cp)), true});
    }
    p += n;
    left -= n;
    offset += static_cast<size_t>(n);
  }
}

// `text` broken at spaces into lines of at most `max_columns`; at most
// `max_lines` of them, the last one cut with "…" when the text is longer.
std::vector<std::string> WrapToColumns(absl::string_view text,
                                       size_t max_columns, size_t max_lines) {
  std::vector<std::string> lines;
  std::string line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    std::string fitted = TruncateToWidth(word, max_columns);
    if (line.empty()) {
      line = std::move(fitted);
    } else if (DisplayWidth(line) + 1 + DisplayWidth(fitted) <= max_columns) {
      absl::StrAppend(&line, " ", fitted);
    } else {
      lines.push_back(std::move(line));
      line = std::move(fitted);
    }
  }
  if (!line.empty()) lines.push_back(std::move(line));
  if (max_lines > 0 && lines.size() > max_lines) {
    std::vector<std::string> rest(lines.begin() + (max_lines - 1), lines.end());
    lines.resize(max_lines - 1);
    lines.push_back(TruncateToWidth(absl::StrJoin(rest, " "), max_columns));
  }
  return lines;
}

// As WrapToColumns, with lines as even as the same number of lines allows:
// "Bằng khen của Bộ / trưởng Bộ Công an", not "Bằng khen của Bộ trưởng Bộ /
// Công an". It balances widths only; it does not know where a phrase ends.
std::vector<std::string> WrapEvenly(absl::string_view text, size_t max_columns,
                                    size_t max_lines) {
  std::vector<std::string> best = WrapToColumns(text, max_columns, max_lines);
  if (best.size() <= 1) return best;
  size_t longest_word = 1;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    longest_word = std::max(longest_word, DisplayWidth(word));
  }
  for (size_t width = max_columns - 1; width >= longest_word; --width) {
    std::vector<std::string> narrower = WrapToColumns(text, width, 0);
    if (narrower.size() > best.size()) break;
    best = std::move(narrower);
  }
  return best;
}

// How many columns of text at `font_px` fit in `width_px` of a sans-serif
// font. 0.6 em per column is generous for Vietnamese letters, so a label
// measured this way does not run past its room.
size_t ColumnsThatFit(double width_px, double font_px) {
  const double columns = std::floor(width_px / (font_px * 0.6));
  return columns < 1 ? 1 : static_cast<size_t>(columns);
}

// ---------------------------------------------------------------- numbers

// A coordinate: at most one decimal, no "-0", never nan.
std::string Num(double v) {
  if (!std::isfinite(v)) v = 0;
  std::string s = absl::StrFormat("%.1f", v);
  if (absl::EndsWith(s, ".0")) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

// 0.95 → "95%", 0.955 → "95,5%": the percent without a ",0".
std::string FormatPercentShort(double fraction) {
  std::string s = FormatPercentVi(fraction);
  const size_t comma_zero = s.rfind(",0%");
  if (comma_zero != std::string::npos && comma_zero + 3 == s.size()) {
    s.erase(comma_zero, 2);
  }
  return s;
}

// The rate of a year or area, when it has one: units in scope and a finite
// rate.
std::optional<double> RateOf(int64_t in_scope, double rate) {
  if (in_scope <= 0 || !std::isfinite(rate)) return std::nullopt;
  return rate;
}

std::string RateText(int64_t in_scope, double rate) {
  std::optional<double> r = RateOf(in_scope, rate);
  return r ? FormatPercentVi(*r) : kNoValue;
}

std::string TargetText(int64_t in_scope, double rate, bool meets_target) {
  if (!RateOf(in_scope, rate)) return kNoValue;
  return meets_target ? "Đạt" : "Chưa đạt";
}

std::string Period(int first_year, int last_year) {
  if (first_year == last_year) return absl::StrCat("năm ", first_year);
  return absl::StrCat(first_year, "–", last_year);
}

// -------------------------------------------------------------------- SVG

enum class Anchor { kStart, kMiddle, kEnd };

absl::string_view AnchorName(Anchor anchor) {
  switch (anchor) {
    case Anchor::kMiddle:
      return "middle";
    case Anchor::kEnd:
      return "end";
    default:
      return "start";
  }
}

struct Point {
  double x, y;
};

// The drawing area of a chart inside its margins.
struct Plot {
  double left, top, right, bottom;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

// Builds one inline <svg> element. Shapes take a CSS class (the page's style
// sheet colours them) and an optional tooltip; every text is escaped here.
class Svg final {
 public:
  Svg(int width, int height, absl::string_view label) {
    absl::StrAppend(&out_, "<svg class=\"chart\" viewBox=\"0 0 ", width, " ",
                    height, "\" width=\"", width, "\" height=\"", height,
                    "\" role=\"img\" aria-label=\"", EscapeHtml(label),
                    "\">\n");
  }

  // A striped fill, used as fill: url(#id) by a class of the style sheet:
  // stripes still tell a series apart when printed in grey.
  void Hatch(absl::string_view id, absl::string_view background,
             absl::string_view stripe) {
    absl::StrAppend(
        &out_, "<defs><pattern id=\"", id,
        "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
        "fill=\"",
        background, "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"",
        stripe, "\" stroke-width=\"2.5\"/></pattern></defs>\n");
  }

  void Rect(double x, double y, double w, double h, absl::string_view cls,
            absl::string_view tooltip = {}) {
    Element("rect",
            absl::StrCat("x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"",
                         Num(std::max(0.0, w)), "\" height=\"",
                         Num(std::max(0.0, h)), "\""),
            cls, tooltip);
  }

  void Line(double x1, double y1, double x2, double y2, absl::string_view cls) {
    Element("line",
            absl::StrCat("x1=\"", Num(x1), "\" y1=\"", Num(y1), "\" x2=\"",
                         Num(x2), "\" y2=\"", Num(y2), "\""),
            cls, {});
  }

  void Polyline(const std::vector<Point>& points, absl::string_view cls) {
    std::vector<std::string> coordinates;
    for (const Point& p : points) {
      coordinates.push_back(absl::StrCat(Num(p.x), ",", Num(p.y)));
    }
    Element("polyline",
            absl::StrCat("points=\"", absl::StrJoin(coordinates, " "), "\""),
            cls, {});
  }

  void Circle(double cx, double cy, double r, absl::string_view cls,
              absl::string_view tooltip = {}) {
    Element("circle",
            absl::StrCat("cx=\"", Num(cx), "\" cy=\"", Num(cy), "\" r=\"",
                         Num(r), "\""),
            cls, tooltip);
  }

  // One line of text at (x, y), its baseline; `vertical` turns it to read
  // bottom-up around that point.
  void Text(double x, double y, absl::string_view text, absl::string_view cls,
            Anchor anchor = Anchor::kStart, bool vertical = false,
            absl::string_view tooltip = {}) {
    absl::StrAppend(&out_, "<text x=\"", Num(x), "\" y=\"", Num(y),
                    "\" class=\"", cls, "\" text-anchor=\"", AnchorName(anchor),
                    "\"");
    if (vertical) {
      absl::StrAppend(&out_, " transform=\"rotate(-90 ", Num(x), " ", Num(y),
                      ")\"");
    }
    out_ += ">";
    if (!tooltip.empty()) {
      absl::StrAppend(&out_, "<title>", EscapeHtml(tooltip), "</title>");
    }
    absl::StrAppend(&out_, EscapeHtml(text), "</text>\n");
  }

  // Lines of text one under the other, the first one's baseline at y.
  void Lines(double x, double y, const std::vector<std::string>& lines,
             double line_height, absl::string_view cls, Anchor anchor,
             absl::string_view tooltip = {}) {
    absl::StrAppend(&out_, "<text x=\"", Num(x), "\" y=\"", Num(y),
                    "\" class=\"", cls, "\" text-anchor=\"", AnchorName(anchor),
                    "\">");
    if (!tooltip.empty()) {
      absl::StrAppend(&out_, "<title>", EscapeHtml(tooltip), "</title>");
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      absl::StrAppend(&out_, "<tspan x=\"", Num(x), "\" dy=\"",
                      Num(i == 0 ? 0 : line_height), "\">",
                      EscapeHtml(lines[i]), "</tspan>");
    }
    out_ += "</text>\n";
  }

  std::string Finish() && {
    out_ += "</svg>\n";
    return std::move(out_);
  }

 private:
  void Element(absl::string_view tag, absl::string_view attributes,
               absl::string_view cls, absl::string_view tooltip) {
    absl::StrAppend(&out_, "<", tag, " ", attributes);
    if (!cls.empty()) absl::StrAppend(&out_, " class=\"", cls, "\"");
    if (tooltip.empty()) {
      out_ += "/>\n";
    } else {
      absl::StrAppend(&out_, "><title>", EscapeHtml(tooltip), "</title></", tag,
                      ">\n");
    }
  }

  std::string out_;
};

// A chart with nothing to draw: its frame and a sentence saying why.
std::string EmptyChart(absl::string_view label, absl::string_view message) {
  Svg svg(960, 70, label);
  svg.Text(480, 40, message, "lbl muted", Anchor::kMiddle);
  return std::move(svg).Finish();
}

// Legend entries in a row from (x, y): a swatch of each class and its name.
void Legend(Svg& svg, double x, double y,
            const std::vector<std::pair<std::string, std::string>>& entries) {
  for (const auto& [cls, name] : entries) {
    svg.Rect(x, y - 11, 14, 14, cls);
    svg.Text(x + 20, y, name, "lbl");
    x += 20 + static_cast<double>(DisplayWidth(name)) * 12 * 0.6 + 28;
  }
}

// A year under the axis at x; turned to read upwards, hanging from the axis,
// when the band of each year is too narrow for it.
void YearLabel(Svg& svg, double x, double axis_y, int year, double band) {
  if (band < 34) {
    svg.Text(x + 4, axis_y + 8, absl::StrCat(year), "axis-lbl", Anchor::kEnd,
             true);
  } else {
    svg.Text(x, axis_y + 18, absl::StrCat(year), "axis-lbl", Anchor::kMiddle);
  }
}

// ------------------------------------------------ chart 1: rate by year

// The rate axis of chart 1, in percent: from a round number under the lowest
// rate (and the target) to 100, so the years can be told apart.
struct PercentAxis {
  double low, high, step;
};

PercentAxis ZoomedPercentAxis(const std::vector<double>& percents) {
  double lowest = 100, highest = 100;
  for (double p : percents) {
    lowest = std::min(lowest, p);
    highest = std::max(highest, p);
  }
  const double span = 100 - (lowest - 2);
  const double step = span <= 30 ? 5 : span <= 60 ? 10 : 20;
  const double low = std::max(0.0, std::floor((lowest - 2) / step) * step);
  const double high = std::ceil(highest / step) * step;
  return {low, high, step};
}

std::string RateByYearChart(const ReportData& data) {
  constexpr int kWidth = 960, kHeight = 340;
  const std::string label = "Tỷ lệ đơn vị được công nhận theo năm";
  if (data.years.empty()) {
    return EmptyChart(label, "Không có số liệu theo năm");
  }
  const Plot plot{64, 28, kWidth - 130, kHeight - 44};
  Svg svg(kWidth, kHeight, label);

  std::vector<double> percents = {data.target_rate * 100};
  for (const ReportYear& y : data.years) {
    if (auto r = RateOf(y.in_scope, y.rate)) percents.push_back(*r * 100);
  }
  const PercentAxis axis = ZoomedPercentAxis(percents);
  const auto y_of = [&](double percent) {
    percent = std::clamp(percent, axis.low, axis.high);
    return plot.bottom -
           (percent - axis.low) / (axis.high - axis.low) * plot.height();
  };
  for (double g = axis.low; g <= axis.high + 1e-9; g += axis.step) {
    svg.Line(plot.left, y_of(g), plot.right, y_of(g),
             g == axis.low ? "axis" : "grid");
    svg.Text(plot.left - 8, y_of(g) + 4, FormatPercentShort(g / 100),
             "axis-lbl", Anchor::kEnd);
  }
  const double target_y = y_of(data.target_rate * 100);
  svg.Line(plot.left, target_y, plot.right, target_y, "target");
  svg.Text(plot.right + 8, target_y + 4,
           absl::StrCat("Mục tiêu ", FormatPercentShort(data.target_rate)),
           "target-lbl");

  const double band = plot.width() / static_cast<double>(data.years.size());
  const bool narrow = band < 46;
  std::vector<std::vector<Point>> runs(1);
  struct Marker {
    Point at;
    bool meets;
    std::string value, tooltip;
  };
  std::vector<Marker> markers;
  for (size_t i = 0; i < data.years.size(); ++i) {
    const ReportYear& y = data.years[i];
    const double x = plot.left + band * (static_cast<double>(i) + 0.5);
    YearLabel(svg, x, plot.bottom, y.year, band);
    std::optional<double> rate = RateOf(y.in_scope, y.rate);
    if (!rate) {
      svg.Text(x, plot.bottom - 8, kNoValue, "val muted", Anchor::kMiddle);
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    const Point p{x, y_of(*rate * 100)};
    runs.back().push_back(p);
    markers.push_back(
        {p, y.meets_target, FormatPercentVi(*rate),
         absl::StrCat("Năm ", y.year, ": ", FormatPercentVi(*rate), " (",
                      FormatCountVi(y.recognized), "/",
                      FormatCountVi(y.in_scope), " đơn vị)")});
  }
  for (const auto& run : runs) {
    if (run.size() >= 2) svg.Polyline(run, "rate-line");
  }
  for (const Marker& m : markers) {
    svg.Circle(m.at.x, m.at.y, 5, m.meets ? "pt-ok" : "pt-below", m.tooltip);
    if (narrow) {
      svg.Text(m.at.x + 4, m.at.y - 10, m.value, "val halo", Anchor::kStart,
               true);
    } else {
      svg.Text(m.at.x, m.at.y - 11, m.value, "val halo", Anchor::kMiddle);
    }
  }
  return std::move(svg).Finish();
}

// ------------------------------------------- chart 2: last year by area

// Highest rate first; areas without units in scope last; ties by name, then
// code, so the order never depends on the input order.
std::vector<const ReportArea*> AreasByRate(const std::vector<ReportArea>& in) {
  std::vector<const ReportArea*> areas;
  for (const ReportArea& a : in) areas.push_back(&a);
  std::sort(areas.begin(), areas.end(),
            [](const ReportArea* a, const ReportArea* b) {
              const std::optional<double> ra = RateOf(a->in_scope, a->rate);
              const std::optional<double> rb = RateOf(b->in_scope, b->rate);
              if (ra.has_value() != rb.has_value()) return ra.has_value();
              if (ra && *ra != *rb) return *ra > *rb;
              if (a->name != b->name) return a->name < b->name;
              return a->code < b->code;
            });
  return areas;
}

std::string AreaChart(const ReportData& data) {
  const std::string label =
      absl::StrCat("Tỷ lệ công nhận năm ", data.last_year, " theo địa bàn");
  if (data.areas.empty()) {
    return EmptyChart(label, "Không có số liệu theo địa bàn trực thuộc");
  }
  constexpr int kWidth = 960, kRow = 24, kTop = 36, kBottom = 30;
  constexpr double kLabelWidth = 236, kFont = 12;
  const std::vector<const ReportArea*> areas = AreasByRate(data.areas);
  const int height = kTop + kRow * static_cast<int>(areas.size()) + kBottom;
  const Plot plot{kLabelWidth + 12, kTop, kWidth - 72,
                  static_cast<double>(kTop + kRow * areas.size())};
  Svg svg(kWidth, height, label);
  svg.Hatch("hatch-below", "#f6dfdb", "#8a2a20");

  const auto x_of = [&](double fraction) {
    return plot.left + std::clamp(fraction, 0.0, 1.0) * plot.width();
  };
  for (int tick = 0; tick <= 100; tick += 20) {
    const double x = x_of(tick / 100.0);
    svg.Line(x, plot.top, x, plot.bottom, tick == 0 ? "axis" : "grid");
    svg.Text(x, plot.bottom + 18, FormatPercentShort(tick / 100.0), "axis-lbl",
             Anchor::kMiddle);
  }
  const size_t label_columns = ColumnsThatFit(kLabelWidth - 4, kFont);
  for (size_t i = 0; i < areas.size(); ++i) {
    const ReportArea& a = *areas[i];
    const double mid = kTop + kRow * (static_cast<double>(i) + 0.5);
    const std::string shown = TruncateToWidth(a.name, label_columns);
    svg.Text(kLabelWidth, mid + 4, shown, "lbl", Anchor::kEnd, false,
             shown == a.name ? absl::string_view() : a.name);
    std::optional<double> rate = RateOf(a.in_scope, a.rate);
    if (!rate) {
      svg.Text(plot.left + 6, mid + 4, "— (không có đơn vị trong phạm vi)",
               "lbl muted");
      continue;
    }
    const double end = x_of(*rate);
    svg.Rect(plot.left, mid - 8, end - plot.left, 16,
             a.meets_target ? "bar-ok" : "bar-below",
             absl::StrCat(a.name, ": ", FormatPercentVi(*rate), " (",
                          FormatCountVi(a.recognized), "/",
                          FormatCountVi(a.in_scope), " đơn vị)"));
    svg.Text(end + 5, mid + 4, FormatPercentVi(*rate), "val");
  }
  const double target_x = x_of(data.target_rate);
  svg.Line(target_x, plot.top - 8, target_x, plot.bottom, "target");
  svg.Text(target_x - 5, plot.top - 12,
           absl::StrCat("Mục tiêu ", FormatPercentShort(data.target_rate)),
           "target-lbl", Anchor::kEnd);
  return std::move(svg).Finish();
}

// ------------------------------------------ chart 3: class mix by year

struct ClassSeries {
  const char* css;
  const char* text_css;  // for a figure written on the bar
  const char* name;
  int64_t ReportYear::*count;
};

constexpr ClassSeries kClasses[] = {
    {"c-excellent", "val inv", "Xuất sắc", &ReportYear::excellent},
    {"c-good", "val inv", "Khá", &ReportYear::good},
    {"c-average", "val", "Trung bình", &ReportYear::average},
    {"c-weak", "val halo", "Yếu", &ReportYear::weak},
};

std::string ClassMixChart(const ReportData& data) {
  const std::string label = "Cơ cấu xếp loại theo năm";
  if (data.years.empty()) {
    return EmptyChart(label, "Không có số liệu theo năm");
  }
  constexpr int kWidth = 960, kHeight = 360;
  const Plot plot{64, 44, kWidth - 24, kHeight - 52};
  Svg svg(kWidth, kHeight, label);
  svg.Hatch("hatch-weak", "#ffffff", "#444444");
  std::vector<std::pair<std::string, std::string>> legend;
  for (const ClassSeries& c : kClasses) legend.emplace_back(c.css, c.name);
  Legend(svg, plot.left, 18, legend);

  const auto y_of = [&](double share) {
    return plot.bottom - std::clamp(share, 0.0, 1.0) * plot.height();
  };
  for (int tick = 0; tick <= 100; tick += 25) {
    svg.Line(plot.left, y_of(tick / 100.0), plot.right, y_of(tick / 100.0),
             tick == 0 ? "axis" : "grid");
    svg.Text(plot.left - 8, y_of(tick / 100.0) + 4,
             FormatPercentShort(tick / 100.0), "axis-lbl", Anchor::kEnd);
  }
  const double band = plot.width() / static_cast<double>(data.years.size());
  const double bar = std::min(84.0, band * 0.6);
  for (size_t i = 0; i < data.years.size(); ++i) {
    const ReportYear& y = data.years[i];
    const double center = plot.left + band * (static_cast<double>(i) + 0.5);
    YearLabel(svg, center, plot.bottom, y.year, band);
    int64_t total = 0;
    for (const ClassSeries& c : kClasses)
      total += std::max<int64_t>(0, y.*c.count);
    if (total <= 0) {
      svg.Text(center, plot.bottom - 8, kNoValue, "val muted", Anchor::kMiddle);
      continue;
    }
    if (band >= 60) {
      svg.Text(center, plot.bottom + 34,
               absl::StrCat(FormatCountVi(total), " đơn vị"), "axis-lbl muted",
               Anchor::kMiddle);
    }
    double below = 0;  // share already stacked under this class
    for (const ClassSeries& c : kClasses) {
      const int64_t count = std::max<int64_t>(0, y.*c.count);
      const double share =
          static_cast<double>(count) / static_cast<double>(total);
      const double top = y_of(below + share);
      const double bottom = y_of(below);
      below += share;
      if (count == 0) continue;
      svg.Rect(center - bar / 2, top, bar, bottom - top, c.css,
               absl::StrCat("Năm ", y.year, " · ", c.name, ": ",
                            FormatCountVi(count), " (", FormatPercentVi(share),
                            ")"));
      if (bottom - top >= 16 && bar >= 44) {
        svg.Text(center, (top + bottom) / 2 + 4, FormatPercentVi(share),
                 c.text_css, Anchor::kMiddle);
      }
    }
  }
  return std::move(svg).Finish();
}

// ------------------------------- chart 4: awards by type and recipient

// The top of a count axis and its step: 1, 2 or 5 times a power of ten, five
// steps at most.
std::pair<int64_t, int64_t> CountAxis(int64_t highest) {
  int64_t step = 1;
  for (int64_t magnitude = 1;; magnitude *= 10) {
    for (int64_t m : {1, 2, 5}) {
      step = m * magnitude;
      if (step * 5 >= highest) {
        const int64_t top = std::max<int64_t>(1, (highest + step - 1) / step);
        return {top * step, step};
      }
    }
  }
}

// The recipient kinds of the awards: collectives first, then individuals,
// then any other in the order met, so colours and order do not depend on
// which award type comes first.
std::vector<std::string> RecipientKinds(const ReportData& data) {
  std::vector<std::string> kinds;
  for (const ReportAward& a : data.awards) {
    if (std::find(kinds.begin(), kinds.end(), a.recipient_kind) ==
        kinds.end()) {
      kinds.push_back(a.recipient_kind);
    }
  }
  const auto rank = [](const std::string& kind) {
    return kind == "Tập thể" ? 0 : kind == "Cá nhân" ? 1 : 2;
  };
  std::stable_sort(kinds.begin(), kinds.end(),
                   [&](const std::string& a, const std::string& b) {
                     return rank(a) < rank(b);
                   });
  return kinds;
}

std::string AwardsChart(const ReportData& data) {
  const std::string label =
      "Khen thưởng đã có quyết định, theo hình thức và đối tượng";
  if (data.awards.empty()) {
    return EmptyChart(label, "Đợt khen thưởng chưa có đề nghị nào");
  }
  // Award types in their first order, each with its rows; recipient kinds
  // in their first order, each with its colour.
  const std::vector<std::string> kinds = RecipientKinds(data);
  const auto kind_index = [&](const std::string& kind) {
    return std::find(kinds.begin(), kinds.end(), kind) - kinds.begin();
  };
  const auto kind_css = [&](const std::string& kind) {
    return absl::StrCat("k", kind_index(kind) % 3);
  };
  std::vector<std::pair<const ReportAward*, std::vector<const ReportAward*>>>
      groups;
  for (const ReportAward& a : data.awards) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
      return g.first->code == a.code;
    });
    if (group == groups.end()) {
      groups.push_back({&a, {}});
      group = groups.end() - 1;
    }
    group->second.push_back(&a);
  }
  for (auto& [first, rows] : groups) {
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const ReportAward* a, const ReportAward* b) {
                       return kind_index(a->recipient_kind) <
                              kind_index(b->recipient_kind);
                     });
  }

  constexpr int kWidth = 960, kHeight = 390;
  const Plot plot{64, 48, kWidth - 24, kHeight - 72};
  Svg svg(kWidth, kHeight, label);
  std::vector<std::pair<std::string, std::string>> legend;
  for (const std::string& kind : kinds)
    legend.emplace_back(kind_css(kind), kind);
  Legend(svg, plot.left, 18, legend);

  int64_t highest = 0;
  for (const ReportAward& a : data.awards)
    highest = std::max(highest, a.issued);
  const auto [top, step] = CountAxis(highest);
  const auto y_of = [&, top = top](int64_t v) {
    return plot.bottom - static_cast<double>(std::clamp<int64_t>(v, 0, top)) /
                             static_cast<double>(top) * plot.height();
  };
  for (int64_t g = 0; g <= top; g += step) {
    svg.Line(plot.left, y_of(g), plot.right, y_of(g), g == 0 ? "axis" : "grid");
    svg.Text(plot.left - 8, y_of(g) + 4, FormatCountVi(g), "axis-lbl",
             Anchor::kEnd);
  }
  const double band = plot.width() / static_cast<double>(groups.size());
  constexpr double kNameFont = 11;
  const size_t name_columns = ColumnsThatFit(band - 10, kNameFont);
  for (size_t i = 0; i < groups.size(); ++i) {
    const auto& [first, rows] = groups[i];
    const double center = plot.left + band * (static_cast<double>(i) + 0.5);
    const double bar =
        std::min(52.0, band * 0.75 / static_cast<double>(rows.size()));
    double x = center - bar * static_cast<double>(rows.size()) / 2;
    for (const ReportAward* a : rows) {
      const double y = y_of(a->issued);
      if (a->issued > 0) {
        svg.Rect(x, y, bar, plot.bottom - y, kind_css(a->recipient_kind),
                 absl::StrCat(a->name, " · ", a->recipient_kind, ": ",
                              FormatCountVi(a->issued)));
      }
      svg.Text(x + bar / 2, y - 5, FormatCountVi(a->issued), "val",
               Anchor::kMiddle);
      x += bar;
    }
    const std::vector<std::string> name =
        WrapEvenly(first->name, name_columns, 3);
    svg.Lines(center, plot.bottom + 18, name, 13, "axis-lbl", Anchor::kMiddle,
              first->name);
  }
  return std::move(svg).Finish();
}

// ------------------------------------------------------------------- HTML

constexpr char kStyle[] = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif;
       color: #1a1a1a; background: #fff; margin: 0 auto; padding: 24px 32px;
       max-width: 1180px; line-height: 1.45; font-size: 15px; }
header.report { border-bottom: 3px solid #1f3b73; padding-bottom: 12px;
                margin-bottom: 20px; }
header.report .area { text-transform: uppercase; letter-spacing: .04em;
                      color: #1f3b73; font-weight: 700; margin: 0; }
h1 { font-size: 26px; margin: 6px 0 8px; color: #10244a; }
h2 { font-size: 20px; color: #10244a; border-bottom: 1px solid #c8d3e6;
     padding-bottom: 4px; margin-top: 32px; }
.meta { margin: 0; color: #444; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { flex: 1 1 170px; border: 1px solid #9fb3d3; border-left: 6px solid #1f3b73;
        padding: 10px 14px; border-radius: 4px; }
.card .value { font-size: 28px; font-weight: 700; color: #10244a; }
.card .name { font-weight: 600; }
.card .sub { color: #555; font-size: 13px; }
figure { margin: 18px 0 26px; }
figcaption { font-weight: 700; margin-bottom: 6px; }
svg.chart { width: 100%; height: auto; max-width: 960px; display: block;
            font-family: inherit; }
svg.chart text { font-size: 12px; fill: #1a1a1a; }
svg.chart .axis-lbl { font-size: 11px; fill: #444; }
svg.chart .val { font-weight: 700; }
svg.chart .inv { fill: #fff; }
svg.chart .muted { fill: #666; }
svg.chart .halo { paint-order: stroke; stroke: #fff; stroke-width: 3px;
                  stroke-linejoin: round; }
svg.chart .grid { stroke: #d5d5d5; stroke-width: 1; }
svg.chart .axis { stroke: #333; stroke-width: 1.2; }
svg.chart .target { stroke: #a3211a; stroke-width: 2; stroke-dasharray: 7 4; }
svg.chart .target-lbl { fill: #a3211a; font-weight: 700; }
svg.chart .rate-line { fill: none; stroke: #1f3b73; stroke-width: 2.5; }
svg.chart .pt-ok { fill: #1f3b73; stroke: #fff; stroke-width: 1.5; }
svg.chart .pt-below { fill: #fff; stroke: #1f3b73; stroke-width: 2.5; }
svg.chart .bar-ok { fill: #2f5d9e; }
svg.chart .bar-below { fill: url(#hatch-below); stroke: #8a2a20; }
svg.chart .c-excellent { fill: #1f3b73; }
svg.chart .c-good { fill: #5b86c5; }
svg.chart .c-average { fill: #c4d6ee; }
svg.chart .c-weak { fill: url(#hatch-weak); stroke: #444; }
svg.chart .k0 { fill: #1f3b73; }
svg.chart .k1 { fill: #a9c4e8; stroke: #1f3b73; }
svg.chart .k2 { fill: #6f8fbf; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 24px;
        font-size: 14px; }
caption { caption-side: top; text-align: left; font-weight: 700;
          padding-bottom: 6px; }
th, td { border: 1px solid #9aa6b8; padding: 4px 8px; vertical-align: top; }
th { background: #e3eaf5; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums;
         white-space: nowrap; }
tr.total td { font-weight: 700; background: #f1f4f9; }
.no-data { font-style: italic; color: #555; }
.notes li { margin-bottom: 4px; }
footer { margin-top: 28px; color: #666; font-size: 12px;
         border-top: 1px solid #ccc; padding-top: 6px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3, caption, figcaption { break-after: avoid; page-break-after: avoid; }
  figure, .card, .cards, tr { break-inside: avoid; page-break-inside: avoid; }
  svg.chart { max-width: 100%; max-height: 165mm; }
  thead { display: table-header-group; }
  section.tables { break-before: page; page-break-before: always; }
}
)css";

// A table cell: its text (escaped when written) and whether it is a figure,
// set right-aligned.
struct Cell {
  std::string text;
  bool number = false;
};

Cell Count(int64_t n) { return {FormatCountVi(n), true}; }
Cell Figure(std::string text) { return {std::move(text), true}; }

void AppendRow(std::string* out, const std::vector<Cell>& row,
               absl::string_view tr_class = {}) {
  out->append(tr_class.empty() ? "<tr>"
                               : absl::StrCat("<tr class=\"", tr_class, "\">"));
  for (const Cell& cell : row) {
    absl::StrAppend(out, cell.number ? "<td class=\"num\">" : "<td>",
                    EscapeHtml(cell.text), "</td>");
  }
  out->append("</tr>\n");
}

void AppendTable(std::string* out, absl::string_view id,
                 absl::string_view caption,
                 const std::vector<std::string>& header,
                 const std::vector<std::vector<Cell>>& rows,
                 const std::vector<Cell>& total = {}) {
  absl::StrAppend(out, "<table id=\"", id, "\">\n<caption>",
                  EscapeHtml(caption), "</caption>\n<thead><tr>");
  for (const std::string& h : header) {
    absl::StrAppend(out, "<th scope=\"col\">", EscapeHtml(h), "</th>");
  }
  out->append("</tr></thead>\n<tbody>\n");
  for (const auto& row : rows) AppendRow(out, row);
  if (!total.empty()) AppendRow(out, total, "total");
  out->append("</tbody>\n</table>\n");
}

void AppendFigure(std::string* out, absl::string_view id,
                  absl::string_view caption, const std::string& svg) {
  absl::StrAppend(out, "<figure id=\"", id, "\">\n<figcaption>",
                  EscapeHtml(caption), "</figcaption>\n", svg, "</figure>\n");
}

int64_t IssuedTotal(const ReportData& data) {
  int64_t issued = 0;
  for (const ReportAward& a : data.awards) issued += a.issued;
  return issued;
}

bool HasCampaign(const ReportData& data) {
  return !data.campaign_title.empty();
}

void AppendHeader(std::string* out, const ReportData& data) {
  absl::StrAppend(
      out, "<header class=\"report\">\n<p class=\"area\">",
      EscapeHtml(data.area_name), "</p>\n<h1>", EscapeHtml(data.title),
      "</h1>\n<p class=\"meta\">Địa bàn: <strong>", EscapeHtml(data.area_name),
      "</strong> · Giai đoạn: <strong>",
      EscapeHtml(Period(data.first_year, data.last_year)), "</strong>");
  if (!data.generated_at.empty()) {
    absl::StrAppend(out, " · Lập lúc: ", EscapeHtml(data.generated_at));
  }
  out->append("</p>\n</header>\n");
}

void AppendCard(std::string* out, absl::string_view name,
                absl::string_view value, absl::string_view sub) {
  absl::StrAppend(out, "<div class=\"card\"><div class=\"name\">",
                  EscapeHtml(name), "</div><div class=\"value\">",
                  EscapeHtml(value), "</div><div class=\"sub\">",
                  EscapeHtml(sub), "</div></div>\n");
}

void AppendKeyFigures(std::string* out, const ReportData& data) {
  out->append(
      "<section class=\"key-figures\">\n<h2>Số liệu chính</h2>\n"
      "<div class=\"cards\">\n");
  double sum = 0;
  int rated = 0, above = 0;
  for (const ReportYear& y : data.years) {
    if (auto r = RateOf(y.in_scope, y.rate)) {
      sum += *r;
      ++rated;
      if (y.meets_target) ++above;
    }
  }
  const std::string period = Period(data.first_year, data.last_year);
  AppendCard(out, "Tỷ lệ công nhận bình quân",
             rated > 0 ? FormatPercentVi(sum / rated) : kNoValue,
             absl::StrCat("trung bình các năm, ", period));
  AppendCard(
      out, "Số năm vượt mục tiêu", absl::StrCat(above, "/", data.years.size()),
      absl::StrCat("mục tiêu: trên ", FormatPercentShort(data.target_rate),
                   " đơn vị được công nhận"));
  const ReportYear* last = nullptr;
  for (const ReportYear& y : data.years) {
    if (y.year == data.last_year) last = &y;
  }
  AppendCard(out, absl::StrCat("Đơn vị trong phạm vi năm ", data.last_year),
             last != nullptr ? FormatCountVi(last->in_scope) : kNoValue,
             "cơ quan, doanh nghiệp, cơ sở giáo dục");
  if (!data.areas.empty()) {
    int meeting = 0;
    for (const ReportArea& a : data.areas) {
      if (RateOf(a.in_scope, a.rate) && a.meets_target) ++meeting;
    }
    AppendCard(out, absl::StrCat("Địa bàn vượt mục tiêu năm ", data.last_year),
               absl::StrCat(meeting, "/", data.areas.size()),
               "đơn vị hành chính trực thuộc");
  }
  if (HasCampaign(data)) {
    std::vector<std::string> by_kind;
    std::map<std::string, int64_t> issued;
    for (const ReportAward& a : data.awards) {
      issued[a.recipient_kind] += a.issued;
    }
    for (const std::string& k : RecipientKinds(data)) {
      by_kind.push_back(absl::StrCat(k, ": ", FormatCountVi(issued[k])));
    }
    AppendCard(
        out, "Khen thưởng đã có quyết định", FormatCountVi(IssuedTotal(data)),
        by_kind.empty() ? "chưa có đề nghị" : absl::StrJoin(by_kind, " · "));
  } else {
    AppendCard(out, "Khen thưởng đã có quyết định", kNoValue,
               "báo cáo không kèm đợt khen thưởng");
  }
  out->append("</div>\n</section>\n");
}

void AppendCharts(std::string* out, const ReportData& data) {
  out->append("<section class=\"charts\">\n<h2>Biểu đồ</h2>\n");
  AppendFigure(out, "chart-rate",
               absl::StrCat("Biểu đồ 1. Tỷ lệ đơn vị được công nhận đạt chuẩn "
                            "“An toàn về an ninh, trật tự” theo năm, ",
                            Period(data.first_year, data.last_year)),
               RateByYearChart(data));
  AppendFigure(
      out, "chart-areas",
      absl::StrCat("Biểu đồ 2. Tỷ lệ công nhận năm ", data.last_year,
                   " theo đơn vị hành chính trực thuộc (xếp theo tỷ lệ)"),
      AreaChart(data));
  AppendFigure(out, "chart-classes",
               "Biểu đồ 3. Cơ cấu xếp loại phong trào theo năm (tỷ lệ trên số "
               "đơn vị được xếp loại)",
               ClassMixChart(data));
  if (HasCampaign(data)) {
    AppendFigure(out, "chart-awards",
                 absl::StrCat("Biểu đồ 4. Khen thưởng đã có quyết định theo "
                              "hình thức và đối tượng — ",
                              data.campaign_title),
                 AwardsChart(data));
  }
  out->append("</section>\n");
}

void AppendYearTable(std::string* out, const ReportData& data) {
  std::vector<std::vector<Cell>> rows;
  for (const ReportYear& y : data.years) {
    rows.push_back({Figure(absl::StrCat(y.year)),
                    Count(y.in_scope),
                    Count(y.assessed),
                    Count(y.recognized),
                    Figure(RateText(y.in_scope, y.rate)),
                    {TargetText(y.in_scope, y.rate, y.meets_target)},
                    Count(y.excellent),
                    Count(y.good),
                    Count(y.average),
                    Count(y.weak)});
  }
  AppendTable(out, "table-years",
              absl::StrCat("Bảng 1. Kết quả theo năm, ",
                           Period(data.first_year, data.last_year)),
              {"Năm", "Đơn vị trong phạm vi", "Đã đánh giá", "Được công nhận",
               "Tỷ lệ công nhận", "So với mục tiêu", "Xuất sắc", "Khá",
               "Trung bình", "Yếu"},
              rows);
}

void AppendAreaTable(std::string* out, const ReportData& data) {
  const std::string caption =
      absl::StrCat("Bảng 2. Kết quả năm ", data.last_year,
                   " theo đơn vị hành chính trực thuộc");
  if (data.areas.empty()) {
    absl::StrAppend(out, "<h3>", EscapeHtml(caption),
                    "</h3>\n<p class=\"no-data\">Không có số liệu theo địa "
                    "bàn trực thuộc.</p>\n");
    return;
  }
  std::vector<std::vector<Cell>> rows;
  int64_t in_scope = 0, recognized = 0;
  for (size_t i = 0; i < data.areas.size(); ++i) {
    const ReportArea& a = data.areas[i];
    in_scope += a.in_scope;
    recognized += a.recognized;
    rows.push_back({Figure(absl::StrCat(i + 1)),
                    {a.code},
                    {a.name},
                    Count(a.in_scope),
                    Count(a.recognized),
                    Figure(RateText(a.in_scope, a.rate)),
                    {TargetText(a.in_scope, a.rate, a.meets_target)}});
  }
  const double pooled = in_scope > 0 ? static_cast<double>(recognized) /
                                           static_cast<double>(in_scope)
                                     : 0;
  AppendTable(out, "table-areas", caption,
              {"STT", "Mã", "Đơn vị hành chính", "Đơn vị trong phạm vi",
               "Được công nhận", "Tỷ lệ công nhận", "So với mục tiêu"},
              rows,
              {{""},
               {""},
               {"Cộng"},
               Count(in_scope),
               Count(recognized),
               Figure(RateText(in_scope, pooled)),
               {""}});
}

void AppendAwardTable(std::string* out, const ReportData& data) {
  const std::string caption =
      "Bảng 3. Đề nghị khen thưởng theo hình thức, đối tượng và kết quả xét";
  if (!HasCampaign(data)) {
    absl::StrAppend(out, "<h3>", EscapeHtml(caption),
                    "</h3>\n<p class=\"no-data\">Báo cáo này không kèm số "
                    "liệu khen thưởng (không chọn đợt khen thưởng).</p>\n");
    return;
  }
  std::string title = absl::StrCat("Đợt khen thưởng: ", data.campaign_title);
  const std::string period =
      Period(data.campaign_first_year, data.campaign_last_year);
  if (data.campaign_first_year > 0 && data.campaign_last_year > 0 &&
      !absl::StrContains(data.campaign_title, period)) {
    absl::StrAppend(&title, " (", period, ")");
  }
  absl::StrAppend(out, "<p class=\"campaign\">", EscapeHtml(title), "</p>\n");
  if (data.awards.empty()) {
    absl::StrAppend(out, "<h3>", EscapeHtml(caption),
                    "</h3>\n<p class=\"no-data\">Đợt khen thưởng chưa có đề "
                    "nghị nào.</p>\n");
    return;
  }
  std::vector<std::vector<Cell>> rows;
  ReportAward sum;
  int64_t all = 0;
  for (const ReportAward& a : data.awards) {
    const int64_t total = a.proposed + a.approved + a.issued + a.rejected +
                          a.deferred + a.revoked;
    sum.proposed += a.proposed;
    sum.approved += a.approved;
    sum.issued += a.issued;
    sum.rejected += a.rejected;
    sum.deferred += a.deferred;
    sum.revoked += a.revoked;
    all += total;
    rows.push_back({{a.name},
                    {a.recipient_kind},
                    Count(a.proposed),
                    Count(a.approved),
                    Count(a.issued),
                    Count(a.rejected),
                    Count(a.deferred),
                    Count(a.revoked),
                    Count(total)});
  }
  AppendTable(out, "table-awards", caption,
              {"Hình thức khen thưởng", "Đối tượng", "Chờ xét",
               "Đã duyệt, chờ quyết định", "Đã có quyết định", "Không duyệt",
               "Tạm hoãn", "Thu hồi", "Tổng số đề nghị"},
              rows,
              {{"Tổng cộng"},
               {""},
               Count(sum.proposed),
               Count(sum.approved),
               Count(sum.issued),
               Count(sum.rejected),
               Count(sum.deferred),
               Count(sum.revoked),
               Count(all)});
}

void AppendTables(std::string* out, const ReportData& data) {
  out->append("<section class=\"tables\">\n<h2>Số liệu chi tiết</h2>\n");
  AppendYearTable(out, data);
  AppendAreaTable(out, data);
  AppendAwardTable(out, data);
  out->append("</section>\n");
}

void AppendNotes(std::string* out, const ReportData& data) {
  std::vector<std::string> notes = {absl::StrCat(
      "Tỷ lệ công nhận = số đơn vị được công nhận đạt chuẩn “An toàn về an "
      "ninh, trật tự” / số đơn vị trong phạm vi; một năm vượt mục tiêu khi tỷ "
      "lệ trên ",
      FormatPercentShort(data.target_rate),
      ". Tỷ lệ bình quân là trung bình cộng tỷ lệ các năm có đơn vị trong "
      "phạm vi.")};
  for (const ReportYear& y : data.years) {
    if (y.in_scope <= 0) {
      notes.push_back(absl::StrCat("Năm ", y.year,
                                   " không có đơn vị trong phạm vi: tỷ lệ ghi "
                                   "“—”."));
    }
  }
  notes.insert(notes.end(), data.notes.begin(), data.notes.end());
  out->append("<section class=\"notes\">\n<h2>Ghi chú</h2>\n<ul>\n");
  for (const std::string& note : notes) {
    absl::StrAppend(out, "<li>", EscapeHtml(note), "</li>\n");
  }
  out->append("</ul>\n</section>\n");
}

}  // namespace

std::string FormatPercentVi(double fraction) {
  const double tenths = fraction * 1000;
  if (!std::isfinite(tenths) || std::fabs(tenths) > 1e15) return kNoValue;
  const int64_t rounded = std::llround(tenths);
  const int64_t magnitude = rounded < 0 ? -rounded : rounded;
  return absl::StrCat(rounded < 0 ? "-" : "", FormatCountVi(magnitude / 10),
                      ",", magnitude % 10, "%");
}

std::string FormatCountVi(int64_t n) {
  const bool negative = n < 0;
  // Through unsigned, so the most negative value has a magnitude too.
  uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string digits = absl::StrCat(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachChar(text, [&](const Char& c) {
    if (!c.valid ||
        (c.code_point < 0x20 && c.code_point != '\t' && c.code_point != '\n') ||
        c.code_point == 0x7f) {
      out += kReplacement;
      return;
    }
    switch (c.code_point) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        absl::StrAppend(&out, c.bytes);
    }
  });
  return out;
}

std::string RenderReportHtml(const ReportData& data) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n";
  absl::StrAppend(&out, "<title>", EscapeHtml(data.title), " — ",
                  EscapeHtml(data.area_name), "</title>\n<style>", kStyle,
                  "</style>\n</head>\n<body>\n");
  AppendHeader(&out, data);
  AppendKeyFigures(&out, data);
  AppendCharts(&out, data);
  AppendTables(&out, data);
  AppendNotes(&out, data);
  absl::StrAppend(&out, "<footer>", EscapeHtml(data.area_name), " · ",
                  EscapeHtml(Period(data.first_year, data.last_year)));
  if (!data.generated_at.empty()) {
    absl::StrAppend(&out, " · Lập lúc ", EscapeHtml(data.generated_at));
  }
  out.append(" · anttctl report</footer>\n</body>\n</html>\n");
  return out;
}

}  // namespace antt::cli
