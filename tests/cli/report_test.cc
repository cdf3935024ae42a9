#include "cli/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli/table.h"

namespace antt::cli {
namespace {

ReportYear Year(int year, int64_t in_scope, int64_t assessed,
                int64_t recognized, int64_t excellent, int64_t good,
                int64_t average, int64_t weak) {
  ReportYear y;
  y.year = year;
  y.in_scope = in_scope;
  y.assessed = assessed;
  y.recognized = recognized;
  y.excellent = excellent;
  y.good = good;
  y.average = average;
  y.weak = weak;
  y.rate = in_scope > 0
               ? static_cast<double>(recognized) / static_cast<double>(in_scope)
               : 0;
  y.meets_target = y.rate > 0.95;
  return y;
}

ReportArea Area(std::string code, std::string name, int64_t in_scope,
                int64_t recognized) {
  ReportArea a;
  a.code = std::move(code);
  a.name = std::move(name);
  a.in_scope = in_scope;
  a.recognized = recognized;
  a.rate = in_scope > 0
               ? static_cast<double>(recognized) / static_cast<double>(in_scope)
               : 0;
  a.meets_target = a.rate > 0.95;
  return a;
}

ReportAward Award(std::string code, std::string name, std::string kind,
                  int64_t proposed, int64_t approved, int64_t issued,
                  int64_t rejected) {
  ReportAward a;
  a.code = std::move(code);
  a.name = std::move(name);
  a.recipient_kind = std::move(kind);
  a.proposed = proposed;
  a.approved = approved;
  a.issued = issued;
  a.rejected = rejected;
  return a;
}

// A province's five years, its ten districts and one campaign.
ReportData Sample() {
  ReportData d;
  d.title = "Sơ kết 5 năm thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc";
  d.area_name = "Tỉnh Quảng Trị";
  d.first_year = 2015;
  d.last_year = 2019;
  d.target_rate = 0.95;
  d.years = {Year(2015, 1180, 1175, 1128, 310, 620, 200, 45),   // 95,6%
             Year(2016, 1203, 1200, 1165, 330, 640, 190, 40),   // 96,8%
             Year(2017, 1230, 1228, 1150, 300, 650, 230, 48),   // 93,5%
             Year(2018, 1251, 1251, 1219, 360, 660, 200, 31),   // 97,4%
             Year(2019, 1266, 1266, 1240, 380, 670, 190, 26)};  // 97,9%
  d.areas = {Area("461", "Thành phố Đông Hà", 310, 305),
             Area("462", "Thị xã Quảng Trị", 80, 79),
             Area("464", "Huyện Vĩnh Linh", 160, 155),
             Area("465", "Huyện Hướng Hóa", 140, 131),
             Area("466", "Huyện Gio Linh", 150, 147),
             Area("467", "Huyện Đakrông", 70, 66),
             Area("468", "Huyện Cam Lộ", 90, 89),
             Area("469", "Huyện Triệu Phong", 120, 117),
             Area("470", "Huyện Hải Lăng", 130, 127),
             Area("471", "Huyện đảo Cồn Cỏ", 16, 16)};
  d.campaign_title = "Sơ kết 5 năm thực hiện Chỉ thị 07, 2015–2019";
  d.campaign_first_year = 2015;
  d.campaign_last_year = 2019;
  d.awards = {Award("KNC_ANTQ", "Kỷ niệm chương \"Bảo vệ an ninh Tổ quốc\"",
                    "Cá nhân", 3, 2, 94, 5),
              Award("BK_BCA", "Bằng khen của Bộ trưởng Bộ Công an", "Tập thể",
                    1, 0, 12, 2),
              Award("BK_BCA", "Bằng khen của Bộ trưởng Bộ Công an", "Cá nhân",
                    0, 1, 9, 0),
              Award("BK_UBND_TINH", "Bằng khen của Chủ tịch UBND tỉnh",
                    "Tập thể", 0, 0, 20, 1),
              Award("BK_UBND_TINH", "Bằng khen của Chủ tịch UBND tỉnh",
                    "Cá nhân", 2, 0, 15, 0),
              Award("GK_CAT", "Giấy khen của Giám đốc Công an tỉnh", "Tập thể",
                    0, 4, 26, 0),
              Award("GK_CAT", "Giấy khen của Giám đốc Công an tỉnh", "Cá nhân",
                    1, 0, 17, 3)};
  d.generated_at = "2026-11-28 10:15";
  d.notes = {"Ngưỡng xếp loại là tạm thời."};
  return d;
}

size_t Occurrences(absl::string_view haystack, absl::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != absl::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// The text from `begin` (included) to the next `end` (included); empty when
// `begin` is missing.
std::string Between(const std::string& html, const std::string& begin,
                    const std::string& end) {
  const size_t from = html.find(begin);
  if (from == std::string::npos) return "";
  const size_t to = html.find(end, from);
  if (to == std::string::npos) return "";
  return html.substr(from, to + end.size() - from);
}

std::string Figure(const std::string& html, const std::string& id) {
  return Between(html, absl::StrCat("<figure id=\"", id, "\">"), "</figure>");
}

// The cells of each body row of table `id`, as written (escaped).
std::vector<std::vector<std::string>> TableRows(const std::string& html,
                                                const std::string& id) {
  const std::string table =
      Between(html, absl::StrCat("<table id=\"", id, "\">"), "</table>");
  std::vector<std::vector<std::string>> rows;
  for (size_t tr = table.find("<tr"); tr != std::string::npos;
       tr = table.find("<tr", tr + 1)) {
    const size_t tr_end = table.find("</tr>", tr);
    const std::string row = table.substr(tr, tr_end - tr);
    std::vector<std::string> cells;
    for (size_t td = row.find("<td"); td != std::string::npos;
         td = row.find("<td", td + 1)) {
      const size_t open_end = row.find('>', td);
      const size_t close = row.find("</td>", open_end);
      cells.push_back(row.substr(open_end + 1, close - open_end - 1));
    }
    if (!cells.empty()) rows.push_back(std::move(cells));
  }
  return rows;
}

// The visible text of each <text> element (its tooltip left out).
std::vector<std::string> SvgTexts(const std::string& svg) {
  std::vector<std::string> texts;
  for (size_t at = svg.find("<text"); at != std::string::npos;
       at = svg.find("<text", at + 1)) {
    size_t start = svg.find('>', at) + 1;
    const size_t end = svg.find("</text>", start);
    std::string body = svg.substr(start, end - start);
    const size_t title_end = body.find("</title>");
    if (title_end != std::string::npos) body = body.substr(title_end + 8);
    std::string visible;
    bool in_tag = false;
    for (char c : body) {
      if (c == '<') in_tag = true;
      if (!in_tag) visible += c;
      if (c == '>') in_tag = false;
    }
    texts.push_back(visible);
  }
  return texts;
}

bool HasText(const std::vector<std::string>& texts, absl::string_view text) {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

TEST(FormatPercentViTest, UsesADecimalCommaAndOneDecimal) {
  EXPECT_EQ(FormatPercentVi(0.974), "97,4%");
  EXPECT_EQ(FormatPercentVi(0.95), "95,0%");
  EXPECT_EQ(FormatPercentVi(1.0), "100,0%");
  EXPECT_EQ(FormatPercentVi(0.0), "0,0%");
  EXPECT_EQ(FormatPercentVi(0.99996), "100,0%");
  EXPECT_EQ(FormatPercentVi(0.00049), "0,0%");
  EXPECT_EQ(FormatPercentVi(-0.125), "-12,5%");
}

TEST(FormatPercentViTest, NotANumberIsADash) {
  EXPECT_EQ(FormatPercentVi(std::nan("")), "—");
  EXPECT_EQ(FormatPercentVi(std::numeric_limits<double>::infinity()), "—");
  EXPECT_EQ(FormatPercentVi(-std::numeric_limits<double>::infinity()), "—");
}

TEST(FormatCountViTest, GroupsThousandsWithDots) {
  EXPECT_EQ(FormatCountVi(0), "0");
  EXPECT_EQ(FormatCountVi(999), "999");
  EXPECT_EQ(FormatCountVi(1000), "1.000");
  EXPECT_EQ(FormatCountVi(1234567), "1.234.567");
  EXPECT_EQ(FormatCountVi(-1234), "-1.234");
  EXPECT_EQ(FormatCountVi(std::numeric_limits<int64_t>::min()),
            "-9.223.372.036.854.775.808");
}

TEST(EscapeHtmlTest, EscapesTheFiveCharacters) {
  EXPECT_EQ(EscapeHtml("a&b<c>\"d'e"), "a&amp;b&lt;c&gt;&quot;d&#39;e");
  EXPECT_EQ(EscapeHtml("Huyện Đakrông"), "Huyện Đakrông");
}

TEST(EscapeHtmlTest, ReplacesInvalidBytesAndControlCharacters) {
  EXPECT_EQ(EscapeHtml("a\xff"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(EscapeHtml(std::string("a\x01\0b", 4)),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(EscapeHtml("a\tb\nc"), "a\tb\nc");
}

TEST(RenderReportHtmlTest, IsAVietnameseUtf8PageThatPrintsOnA4Landscape) {
  const std::string html = RenderReportHtml(Sample());
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(absl::StrContains(html, "<html lang=\"vi\">"));
  EXPECT_TRUE(absl::StrContains(html, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(absl::StrContains(html, "@media print"));
  EXPECT_TRUE(absl::StrContains(html, "size: A4 landscape"));
  EXPECT_TRUE(absl::StrContains(html,
                                "figure, .card, .cards, tr { "
                                "break-inside: avoid"));
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
}

TEST(RenderReportHtmlTest, IsSelfContained) {
  const std::string html = absl::AsciiStrToLower(RenderReportHtml(Sample()));
  for (const char* outside :
       {"http://", "https://", "<script", "<link", "@import",
        "src=", "href=", "//cdn", "<img", "<iframe", "<object"}) {
    EXPECT_FALSE(absl::StrContains(html, outside)) << outside;
  }
}

TEST(RenderReportHtmlTest, HeaderNamesTitleAreaPeriodAndTime) {
  const std::string html = RenderReportHtml(Sample());
  const std::string header = Between(html, "<header", "</header>");
  EXPECT_TRUE(absl::StrContains(
      header,
      "<h1>Sơ kết 5 năm thực hiện phong trào Toàn dân bảo vệ an ninh Tổ "
      "quốc</h1>"));
  EXPECT_TRUE(absl::StrContains(header, "Tỉnh Quảng Trị"));
  EXPECT_TRUE(absl::StrContains(header, "2015–2019"));
  EXPECT_TRUE(absl::StrContains(header, "2026-11-28 10:15"));
}

TEST(RenderReportHtmlTest, YearTableHoldsEachYearsFigures) {
  const ReportData data = Sample();
  const auto rows = TableRows(RenderReportHtml(data), "table-years");
  ASSERT_EQ(rows.size(), data.years.size());
  const std::vector<std::vector<std::string>> want = {
      {"2015", "1.180", "1.175", "1.128", "95,6%", "Đạt", "310", "620", "200",
       "45"},
      {"2016", "1.203", "1.200", "1.165", "96,8%", "Đạt", "330", "640", "190",
       "40"},
      {"2017", "1.230", "1.228", "1.150", "93,5%", "Chưa đạt", "300", "650",
       "230", "48"},
      {"2018", "1.251", "1.251", "1.219", "97,4%", "Đạt", "360", "660", "200",
       "31"},
      {"2019", "1.266", "1.266", "1.240", "97,9%", "Đạt", "380", "670", "190",
       "26"}};
  EXPECT_EQ(rows, want);
}

TEST(RenderReportHtmlTest, RateChartLabelsEachYearAndTheTarget) {
  const std::string chart = Figure(RenderReportHtml(Sample()), "chart-rate");
  ASSERT_FALSE(chart.empty());
  const auto texts = SvgTexts(chart);
  for (const char* label : {"95,6%", "96,8%", "93,5%", "97,4%", "97,9%", "2015",
                            "2016", "2017", "2018", "2019", "Mục tiêu 95%"}) {
    EXPECT_TRUE(HasText(texts, label)) << label;
  }
  EXPECT_EQ(Occurrences(chart, "class=\"target\""), 1u);
  EXPECT_EQ(Occurrences(chart, "<circle"), 5u);
  // 2017 is under the target: its marker is drawn hollow.
  EXPECT_EQ(Occurrences(chart, "class=\"pt-below\""), 1u);
  EXPECT_EQ(Occurrences(chart, "<polyline"), 1u);
  EXPECT_FALSE(absl::StrContains(chart, "97.4"));
}

TEST(RenderReportHtmlTest, AreaChartSortsDistrictsByRateWithATargetLine) {
  const std::string chart = Figure(RenderReportHtml(Sample()), "chart-areas");
  ASSERT_FALSE(chart.empty());
  EXPECT_TRUE(HasText(SvgTexts(chart), "Mục tiêu 95%"));
  EXPECT_EQ(Occurrences(chart, "class=\"target\""), 1u);
  EXPECT_EQ(Occurrences(chart, "class=\"bar-ok\"") +
                Occurrences(chart, "class=\"bar-below\""),
            10u);
  // Highest first: Cồn Cỏ 100%, Cam Lộ 98,9%, ..., Hướng Hóa 93,6% last.
  const size_t con_co = chart.find(">Huyện đảo Cồn Cỏ<");
  const size_t cam_lo = chart.find(">Huyện Cam Lộ<");
  const size_t dong_ha = chart.find(">Thành phố Đông Hà<");
  const size_t huong_hoa = chart.find(">Huyện Hướng Hóa<");
  ASSERT_NE(con_co, std::string::npos);
  ASSERT_NE(huong_hoa, std::string::npos);
  EXPECT_LT(con_co, cam_lo);
  EXPECT_LT(cam_lo, dong_ha);
  EXPECT_LT(dong_ha, huong_hoa);
  EXPECT_TRUE(HasText(SvgTexts(chart), "100,0%"));
  EXPECT_TRUE(HasText(SvgTexts(chart), "93,6%"));
}

TEST(RenderReportHtmlTest, AreaTableHoldsEachDistrict) {
  const ReportData data = Sample();
  const auto rows = TableRows(RenderReportHtml(data), "table-areas");
  ASSERT_EQ(rows.size(), data.areas.size() + 1);  // and the total
  const std::string chart = Figure(RenderReportHtml(data), "chart-areas");
  for (size_t i = 0; i < data.areas.size(); ++i) {
    const ReportArea& a = data.areas[i];
    EXPECT_EQ(rows[i][1], a.code);
    EXPECT_EQ(rows[i][2], a.name);
    EXPECT_EQ(rows[i][3], FormatCountVi(a.in_scope));
    EXPECT_EQ(rows[i][4], FormatCountVi(a.recognized));
    EXPECT_EQ(rows[i][5], FormatPercentVi(a.rate));
    EXPECT_TRUE(HasText(SvgTexts(chart), a.name)) << a.name;
    EXPECT_TRUE(HasText(SvgTexts(chart), FormatPercentVi(a.rate))) << a.name;
  }
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "461", "Thành phố Đông Hà",
                                               "310", "305", "98,4%", "Đạt"}));
  EXPECT_EQ(rows[3],
            (std::vector<std::string>{"4", "465", "Huyện Hướng Hóa", "140",
                                      "131", "93,6%", "Chưa đạt"}));
  EXPECT_EQ(rows.back(), (std::vector<std::string>{"", "", "Cộng", "1.266",
                                                   "1.232", "97,3%", ""}));
}

TEST(RenderReportHtmlTest, ClassChartStacksFourClassesWithALegend) {
  const std::string chart = Figure(RenderReportHtml(Sample()), "chart-classes");
  ASSERT_FALSE(chart.empty());
  const auto texts = SvgTexts(chart);
  for (const char* name : {"Xuất sắc", "Khá", "Trung bình", "Yếu"}) {
    EXPECT_TRUE(HasText(texts, name)) << name;
  }
  // Five years of four non-empty classes, and one legend swatch each.
  for (const char* cls : {"c-excellent", "c-good", "c-average", "c-weak"}) {
    EXPECT_EQ(Occurrences(chart, absl::StrCat("class=\"", cls, "\"")), 6u)
        << cls;
  }
  // 2019: 380 of 1266 classified units are excellent.
  EXPECT_TRUE(HasText(texts, "30,0%"));
}

TEST(RenderReportHtmlTest, AwardsChartAndTableHoldEveryCount) {
  const ReportData data = Sample();
  const std::string html = RenderReportHtml(data);
  const std::string chart = Figure(html, "chart-awards");
  ASSERT_FALSE(chart.empty());
  const auto texts = SvgTexts(chart);
  for (const ReportAward& a : data.awards) {
    EXPECT_TRUE(HasText(texts, FormatCountVi(a.issued))) << a.issued;
  }
  EXPECT_TRUE(HasText(texts, "Tập thể"));
  EXPECT_TRUE(HasText(texts, "Cá nhân"));
  // One bar per award type and recipient kind, and a swatch per kind.
  EXPECT_EQ(Occurrences(chart, "<rect"), data.awards.size() + 2);

  const auto rows = TableRows(html, "table-awards");
  ASSERT_EQ(rows.size(), data.awards.size() + 1);
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "Kỷ niệm chương &quot;Bảo vệ an ninh Tổ quốc&quot;",
                         "Cá nhân", "3", "2", "94", "5", "0", "0", "104"}));
  EXPECT_EQ(rows.back(),
            (std::vector<std::string>{"Tổng cộng", "", "7", "7", "193", "11",
                                      "0", "0", "218"}));
}

TEST(RenderReportHtmlTest, KeyFiguresSummariseThePeriod) {
  const std::string html = RenderReportHtml(Sample());
  const std::string cards =
      Between(html, "<section class=\"key-figures\">", "</section>");
  // Mean of 95,59 96,84 93,50 97,44 97,95.
  EXPECT_TRUE(absl::StrContains(cards, ">96,3%<"));
  EXPECT_TRUE(absl::StrContains(cards, ">4/5<"));
  EXPECT_TRUE(absl::StrContains(cards, ">1.266<"));
  EXPECT_TRUE(absl::StrContains(cards, ">193<"));
  EXPECT_TRUE(absl::StrContains(cards, "Tập thể: 58 · Cá nhân: 135"));
  EXPECT_TRUE(absl::StrContains(cards, ">8/10<"));
}

TEST(RenderReportHtmlTest, FourChartsWithACampaignThreeWithout) {
  ReportData data = Sample();
  std::string html = RenderReportHtml(data);
  EXPECT_EQ(Occurrences(html, "<svg"), 4u);
  EXPECT_EQ(Occurrences(html, "</svg>"), 4u);
  EXPECT_EQ(Occurrences(html, "<figure"), 4u);

  data.campaign_title.clear();
  data.awards.clear();
  html = RenderReportHtml(data);
  EXPECT_EQ(Occurrences(html, "<svg"), 3u);
  EXPECT_EQ(Occurrences(html, "</svg>"), 3u);
  EXPECT_TRUE(Figure(html, "chart-awards").empty());
  EXPECT_TRUE(TableRows(html, "table-awards").empty());
  EXPECT_TRUE(
      absl::StrContains(html, "Báo cáo này không kèm số liệu khen thưởng"));
}

TEST(RenderReportHtmlTest, CampaignWithoutNominationsSaysSo) {
  ReportData data = Sample();
  data.awards.clear();
  const std::string html = RenderReportHtml(data);
  EXPECT_EQ(Occurrences(html, "<svg"), 4u);
  EXPECT_TRUE(
      absl::StrContains(Figure(html, "chart-awards"), "chưa có đề nghị nào"));
}

TEST(RenderReportHtmlTest, EscapesEveryNameItIsGiven) {
  ReportData data = Sample();
  data.title = "Báo cáo <script>alert('x')</script>";
  data.area_name = "Tỉnh A & B";
  data.areas[0].name = "Huyện <b>Đảo</b> & \"Cồn Cỏ\"";
  data.awards[0].name = "Kỷ niệm chương <i>";
  data.campaign_title = "Đợt 1 & 2";
  data.notes = {"<img src=x>"};
  const std::string html = RenderReportHtml(data);
  EXPECT_FALSE(absl::StrContains(html, "<script"));
  EXPECT_FALSE(absl::StrContains(html, "<b>"));
  EXPECT_FALSE(absl::StrContains(html, "<i>"));
  EXPECT_FALSE(absl::StrContains(html, "<img"));
  EXPECT_FALSE(absl::StrContains(html, "A & B"));
  EXPECT_TRUE(absl::StrContains(
      html, "Báo cáo &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_TRUE(absl::StrContains(html, "Tỉnh A &amp; B"));
  const std::string escaped =
      "Huyện &lt;b&gt;Đảo&lt;/b&gt; &amp; &quot;Cồn Cỏ&quot;";
  EXPECT_TRUE(absl::StrContains(Figure(html, "chart-areas"), escaped));
  EXPECT_EQ(TableRows(html, "table-areas")[0][2], escaped);
  EXPECT_TRUE(absl::StrContains(html, "Kỷ niệm chương &lt;i&gt;"));
  EXPECT_TRUE(absl::StrContains(html, "Đợt 1 &amp; 2"));
  EXPECT_TRUE(absl::StrContains(html, "<li>&lt;img src=x&gt;</li>"));
}

TEST(RenderReportHtmlTest, YearWithoutUnitsInScopeShowsADash) {
  ReportData data = Sample();
  data.years[1] = Year(2016, 0, 0, 0, 0, 0, 0, 0);
  data.years[1].rate = std::nan("");  // as a careless 0/0 would give
  data.areas[2] = Area("464", "Huyện Vĩnh Linh", 0, 0);
  data.areas[2].rate = std::numeric_limits<double>::infinity();
  const std::string html = RenderReportHtml(data);
  const auto rows = TableRows(html, "table-years");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2016", "0", "0", "0", "—", "—",
                                               "0", "0", "0", "0"}));
  EXPECT_EQ(TableRows(html, "table-areas")[2][5], "—");
  const std::string rate_chart = Figure(html, "chart-rate");
  EXPECT_TRUE(HasText(SvgTexts(rate_chart), "—"));
  EXPECT_EQ(Occurrences(rate_chart, "<circle"), 4u);
  // The line stops at the gap: 2015 alone, then 2017–2019.
  EXPECT_EQ(Occurrences(rate_chart, "<polyline"), 1u);
  EXPECT_TRUE(HasText(SvgTexts(Figure(html, "chart-classes")), "—"));
  EXPECT_TRUE(
      absl::StrContains(html, "Năm 2016 không có đơn vị trong phạm vi"));
  const std::string lower = absl::AsciiStrToLower(html);
  EXPECT_FALSE(absl::StrContains(lower, "nan")) << "nan in the page";
  EXPECT_FALSE(absl::StrContains(lower, "inf")) << "inf in the page";
}

TEST(RenderReportHtmlTest, EveryYearEmptyStillRendersWithoutNumbersGoingBad) {
  ReportData data = Sample();
  for (ReportYear& y : data.years) y = Year(y.year, 0, 0, 0, 0, 0, 0, 0);
  for (ReportArea& a : data.areas) a = Area(a.code, a.name, 0, 0);
  for (ReportAward& a : data.awards) a.issued = 0;
  const std::string html = RenderReportHtml(data);
  EXPECT_EQ(Occurrences(html, "<svg"), 4u);
  EXPECT_EQ(Occurrences(Figure(html, "chart-rate"), "<circle"), 0u);
  const std::string cards =
      Between(html, "<section class=\"key-figures\">", "</section>");
  EXPECT_TRUE(absl::StrContains(cards, ">—<"));
  EXPECT_TRUE(absl::StrContains(cards, ">0/5<"));
  const std::string lower = absl::AsciiStrToLower(html);
  EXPECT_FALSE(absl::StrContains(lower, "nan"));
  EXPECT_FALSE(absl::StrContains(lower, "inf"));
}

TEST(RenderReportHtmlTest, OneYearOnly) {
  ReportData data = Sample();
  data.first_year = 2019;
  data.years = {Year(2019, 1266, 1266, 1240, 380, 670, 190, 26)};
  const std::string html = RenderReportHtml(data);
  EXPECT_TRUE(
      absl::StrContains(Between(html, "<header", "</header>"), "năm 2019"));
  const std::string chart = Figure(html, "chart-rate");
  EXPECT_TRUE(HasText(SvgTexts(chart), "97,9%"));
  EXPECT_EQ(Occurrences(chart, "<circle"), 1u);
  EXPECT_EQ(Occurrences(chart, "<polyline"), 0u);
  EXPECT_EQ(TableRows(html, "table-years").size(), 1u);
  EXPECT_FALSE(absl::StrContains(absl::AsciiStrToLower(html), "nan"));
}

TEST(RenderReportHtmlTest, LongDistrictNamesAreCutToTheirRoomInTheChart) {
  ReportData data = Sample();
  const std::string long_name =
      "Huyện Hướng Hóa Đakrông Cam Lộ Gio Linh Vĩnh Linh Triệu Phong Hải "
      "Lăng Cồn Cỏ";
  data.areas[0].name = long_name;
  const std::string html = RenderReportHtml(data);
  const std::string chart = Figure(html, "chart-areas");
  std::string cut;
  for (const std::string& text : SvgTexts(chart)) {
    if (absl::EndsWith(text, "…")) cut = text;
  }
  ASSERT_FALSE(cut.empty());
  EXPECT_LE(DisplayWidth(cut), 32u);
  EXPECT_GT(DisplayWidth(cut), 20u);
  EXPECT_TRUE(
      absl::StartsWith(long_name, cut.substr(0, cut.size() - strlen("…"))));
  // The whole name stays in the tooltip and the table.
  EXPECT_TRUE(absl::StrContains(chart, "<title>" + long_name + "</title>"));
  EXPECT_EQ(TableRows(html, "table-areas")[0][2], long_name);
  // Short names are not cut.
  EXPECT_TRUE(HasText(SvgTexts(chart), "Huyện Cam Lộ"));
}

TEST(RenderReportHtmlTest, LongAwardNamesWrapUnderTheirGroup) {
  ReportData data = Sample();
  const std::string chart = Figure(RenderReportHtml(data), "chart-awards");
  // About 31 columns at 11 px in a 218 px group: each name takes two lines,
  // about as long as each other, none longer than its room.
  std::vector<std::vector<std::string>> names;
  for (size_t at = chart.find("<text"); at != std::string::npos;
       at = chart.find("<text", at + 1)) {
    const std::string text = chart.substr(at, chart.find("</text>", at) - at);
    std::vector<std::string> lines;
    for (size_t t = text.find("<tspan"); t != std::string::npos;
         t = text.find("<tspan", t + 1)) {
      const size_t start = text.find('>', t) + 1;
      lines.push_back(text.substr(start, text.find("</tspan>", t) - start));
    }
    if (!lines.empty()) names.push_back(lines);
  }
  ASSERT_EQ(names.size(), 4u);
  for (const auto& lines : names) {
    ASSERT_EQ(lines.size(), 2u) << lines[0];
    EXPECT_LE(DisplayWidth(lines[0]), 31u) << lines[0];
    EXPECT_LE(DisplayWidth(lines[1]), 31u) << lines[1];
    const int difference = static_cast<int>(DisplayWidth(lines[0])) -
                           static_cast<int>(DisplayWidth(lines[1]));
    EXPECT_LE(std::abs(difference), 6) << lines[0] << " / " << lines[1];
  }
  EXPECT_EQ(names[1], (std::vector<std::string>{"Bằng khen của Bộ",
                                                "trưởng Bộ Công an"}));
}

TEST(RenderReportHtmlTest, SameInputSameBytes) {
  const ReportData data = Sample();
  EXPECT_EQ(RenderReportHtml(data), RenderReportHtml(data));
  ReportData shuffled = data;
  std::reverse(shuffled.areas.begin(), shuffled.areas.end());
  EXPECT_EQ(Figure(RenderReportHtml(data), "chart-areas"),
            Figure(RenderReportHtml(shuffled), "chart-areas"));
}

TEST(RenderReportHtmlTest, NotesComeLast) {
  const std::string html = RenderReportHtml(Sample());
  const size_t notes = html.find("<section class=\"notes\">");
  ASSERT_NE(notes, std::string::npos);
  EXPECT_GT(notes, html.find("<section class=\"tables\">"));
  EXPECT_TRUE(absl::StrContains(html.substr(notes),
                                "<li>Ngưỡng xếp loại là tạm thời.</li>"));
}

}  // namespace
}  // namespace antt::cli
