#ifndef ANTT_TESTS_TESTING_PROMETHEUS_TEXT_H_
#define ANTT_TESTS_TESTING_PROMETHEUS_TEXT_H_

// Reads a Prometheus text exposition (format 0.0.4) the way a scraper
// would, checking its grammar: every line a `# HELP`, a `# TYPE` or a
// sample; each family's HELP and TYPE once, before its samples; sample
// names and label names well formed, label values quoted with only \\, \"
// and \n escapes; values numbers (or NaN, +Inf, -Inf).

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace antt::testing {

struct Exposition {
  // Sample value by series, written as in the text:
  // `name{label="value",...}` or `name`.
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family → TYPE
  std::map<std::string, std::string> help;   // family → HELP text

  // The value of `series`, or -1 when absent (so a test comparing counts
  // fails with a readable number).
  [[nodiscard]] double Value(const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? -1 : it->second;
  }
  [[nodiscard]] bool Has(const std::string& series) const {
    return samples.count(series) > 0;
  }
};

inline double ParseSampleValue(const std::string& text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') {
    ADD_FAILURE() << "not a sample value: " << text;
  }
  return value;
}

inline bool IsNameChar(char c, bool first, bool colon_ok) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (colon_ok && c == ':') || (!first && c >= '0' && c <= '9');
}

// Consumes a metric name (`colon_ok`) or a label name from `line` at `*at`;
// empty when none is there.
inline std::string ConsumeName(const std::string& line, size_t* at,
                               bool colon_ok) {
  const size_t begin = *at;
  while (*at < line.size() && IsNameChar(line[*at], *at == begin, colon_ok)) {
    ++*at;
  }
  return line.substr(begin, *at - begin);
}

// Consumes `{name="value",...}` at `*at` (nothing when no `{`); false when
// it is malformed. Values may hold only the escapes \\, \" and \n.
inline bool ConsumeLabels(const std::string& line, size_t* at) {
  if (*at >= line.size() || line[*at] != '{') return true;
  ++*at;
  while (true) {
    if (ConsumeName(line, at, false).empty()) return false;
    if (line.compare(*at, 2, "=\"") != 0) return false;
    *at += 2;
    while (*at < line.size() && line[*at] != '"') {
      if (line[*at] == '\\') {
        if (*at + 1 >= line.size()) return false;
        const char escaped = line[*at + 1];
        if (escaped != '\\' && escaped != '"' && escaped != 'n') return false;
        ++*at;
      }
      ++*at;
    }
    if (*at >= line.size()) return false;
    ++*at;  // closing quote
    if (*at < line.size() && line[*at] == ',') {
      ++*at;
      continue;
    }
    if (*at < line.size() && line[*at] == '}') {
      ++*at;
      return true;
    }
    return false;
  }
}

// Parses `text`, adding a test failure for each line that breaks the format.
inline Exposition ParseExposition(const std::string& text) {
  static const std::set<std::string> kTypes = {"counter", "gauge", "histogram",
                                               "summary", "untyped"};
  Exposition out;
  std::set<std::string> families_with_samples;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  if (text.empty() || text.back() != '\n') {
    ADD_FAILURE() << "an exposition ends with a newline";
  }
  while (std::getline(lines, line)) {
    ++number;
    const bool help = line.rfind("# HELP ", 0) == 0;
    if (help || line.rfind("# TYPE ", 0) == 0) {
      size_t at = 7;
      const std::string family = ConsumeName(line, &at, true);
      const bool spaced = at < line.size() && line[at] == ' ';
      const std::string rest = spaced ? line.substr(at + 1) : "";
      if (family.empty() || !spaced || (!help && kTypes.count(rest) == 0)) {
        ADD_FAILURE() << "malformed line " << number << ": " << line;
        continue;
      }
      std::map<std::string, std::string>& seen = help ? out.help : out.types;
      EXPECT_EQ(seen.count(family), 0u) << "repeated, line " << number;
      EXPECT_EQ(families_with_samples.count(family), 0u)
          << "HELP or TYPE after samples, line " << number;
      seen[family] = rest;
      continue;
    }
    size_t at = 0;
    const std::string name = ConsumeName(line, &at, true);
    if (name.empty() || !ConsumeLabels(line, &at) || at >= line.size() ||
        line[at] != ' ' || line.find(' ', at + 1) != std::string::npos) {
      ADD_FAILURE() << "not a HELP, TYPE or sample line, line " << number
                    << ": " << line;
      continue;
    }
    std::string family = name;
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) ==
              0) {
        const std::string base = name.substr(0, name.size() - suffix.size());
        auto type = out.types.find(base);
        if (type != out.types.end() && type->second == "histogram") {
          family = base;
        }
      }
    }
    EXPECT_TRUE(out.types.count(family))
        << "sample before its TYPE, line " << number << ": " << line;
    EXPECT_TRUE(out.help.count(family))
        << "sample before its HELP, line " << number << ": " << line;
    families_with_samples.insert(family);
    const std::string series = line.substr(0, at);
    EXPECT_EQ(out.samples.count(series), 0u)
        << "series twice, line " << number << ": " << line;
    out.samples[series] = ParseSampleValue(line.substr(at + 1));
  }
  return out;
}

}  // namespace antt::testing

#endif  // ANTT_TESTS_TESTING_PROMETHEUS_TEXT_H_
