#ifndef ANTT_CLI_REPORT_H_
#define ANTT_CLI_REPORT_H_

// The review report a provincial conference shows on screen and prints: one
// self-contained HTML page in Vietnamese (inline CSS, inline SVG charts drawn
// here, no script, no link to anything outside the file).
//
// The renderer is pure: plain data in, HTML out. The same data always gives
// the same bytes (the caller formats the time it was generated).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace antt::cli {

// One year of the whole area.
struct ReportYear {
  int year = 0;
  int64_t in_scope = 0;
  int64_t assessed = 0;
  int64_t recognized = 0;
  int64_t excellent = 0;  // xuất sắc
  int64_t good = 0;       // khá
  int64_t average = 0;    // trung bình
  int64_t weak = 0;       // yếu
  double rate = 0;        // recognized / in_scope; unused when in_scope is 0
  bool meets_target = false;
};

// One child area (district, or commune in the two-level edition) in the last
// year of the period.
struct ReportArea {
  std::string code;
  std::string name;
  int64_t in_scope = 0;
  int64_t recognized = 0;
  double rate = 0;  // unused when in_scope is 0
  bool meets_target = false;
};

// Nominations of one award type for one recipient kind, by current stage.
struct ReportAward {
  std::string code;  // e.g. "BK_BCA"
  std::string name;  // e.g. "Bằng khen của Bộ trưởng Bộ Công an"
  std::string recipient_kind;  // "Tập thể" or "Cá nhân"
  int64_t proposed = 0;
  int64_t approved = 0;  // approved, waiting for a decision
  int64_t issued = 0;    // awarded by a decision
  int64_t rejected = 0;
  int64_t deferred = 0;
  int64_t revoked = 0;
};

struct ReportData {
  std::string title;  // e.g. "Sơ kết 5 năm thực hiện phong trào ..."
  std::string area_name;  // e.g. "Tỉnh Quảng Trị"
  int first_year = 0;
  int last_year = 0;
  double target_rate = 0.95;      // a year meets it when its rate is above
  std::vector<ReportYear> years;  // in year order
  std::vector<ReportArea> areas;  // last_year, by child area
  std::string campaign_title;     // empty: no campaign, no awards section
  int campaign_first_year = 0;    // 0 when unknown
  int campaign_last_year = 0;
  std::vector<ReportAward> awards;  // in catalogue order
  std::string generated_at;         // e.g. "2026-11-28 10:15"
  std::vector<std::string> notes;   // shown at the end, one item each
};

// The whole page. Every text from `data` is HTML-escaped.
[[nodiscard]] std::string RenderReportHtml(const ReportData& data);

// 0.974 → "97,4%" (Vietnamese decimal comma, one decimal); "—" when not a
// finite number.
[[nodiscard]] std::string FormatPercentVi(double fraction);

// 1234567 → "1.234.567" (Vietnamese thousands separator).
[[nodiscard]] std::string FormatCountVi(int64_t n);

// & < > " ' as HTML entities; bytes that are not UTF-8 and control characters
// (other than tab and newline) as U+FFFD, so the page stays valid.
[[nodiscard]] std::string EscapeHtml(absl::string_view text);

}  // namespace antt::cli

#endif  // ANTT_CLI_REPORT_H_
