// anttctl's tables: alignment by display width, CSV output, truncation.

#include "cli/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace antt::cli {
namespace {

// "e" followed by U+0302 COMBINING CIRCUMFLEX and U+0301 COMBINING ACUTE: "ế"
// decomposed, three code points, one column.
constexpr char kDecomposedE[] = "e\xCC\x82\xCC\x81";

TEST(DisplayWidthTest, CountsColumnsNotBytes) {
  EXPECT_EQ(DisplayWidth("Nguyen"), 6u);
  EXPECT_EQ(DisplayWidth("Nguyễn"), 6u);  // 8 bytes
  EXPECT_EQ(std::string("Nguyễn").size(), 8u);
  EXPECT_EQ(DisplayWidth(std::string("Nguy") + kDecomposedE + "n"), 6u);
  EXPECT_EQ(DisplayWidth("中"), 2u);
  EXPECT_EQ(DisplayWidth("a中b"), 4u);
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("\xFF"
                         "ab"),
            3u);  // an invalid byte is one column
}

TEST(TableTest, AlignsVietnameseCombiningAndWideText) {
  Table table({"NAME", "N"});
  table.AddRow({"Nguyễn", "1"});
  table.AddRow({std::string("Nguy") + kDecomposedE + "n Du", "2"});
  table.AddRow({"中文", "3"});
  std::ostringstream out;
  table.PrintAligned(out);
  EXPECT_EQ(out.str(),
            "NAME       N\n"
            "Nguyễn     1\n" +
                std::string("Nguy") + kDecomposedE +
                "n Du  2\n"
                "中文       3\n");
}

TEST(TableTest, CsvQuotesWhatNeedsQuoting) {
  Table table({"ID", "NAME", "NOTE"});
  table.AddRow({"U1", "Công ty A, chi nhánh 2", "say \"hi\""});
  table.AddRow({"U2", "Nguyễn", "two\nlines"});
  EXPECT_EQ(table.size(), 2u);
  std::ostringstream out;
  table.PrintCsv(out);
  EXPECT_EQ(out.str(),
            "ID,NAME,NOTE\n"
            "U1,\"Công ty A, chi nhánh 2\",\"say \"\"hi\"\"\"\n"
            "U2,Nguyễn,\"two\nlines\"\n");
}

TEST(TableTest, CsvGuardsTextColumnsAgainstFormulasButNotValueColumns) {
  Table table({"NAME", ValueColumn("POINTS"), "NOTE"});
  table.AddRow({"=HYPERLINK(\"http://x.example\",\"Bấm\")", "-5", "@SUM(A1)"});
  table.AddRow({"+84 233", "+3", "-"});
  std::ostringstream out;
  table.PrintCsv(out);
  EXPECT_EQ(
      out.str(),
      "NAME,POINTS,NOTE\n"
      "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Bấm\"\")\",-5,'@SUM(A1)\n"
      "'+84 233,+3,'-\n");
  // The aligned table is for a terminal: shown as it is.
  std::ostringstream aligned;
  table.PrintAligned(aligned);
  EXPECT_NE(aligned.str().find("\n=HYPERLINK"), std::string::npos)
      << aligned.str();
}

TEST(TruncateToWidthTest, LeavesTextThatFitsAlone) {
  EXPECT_EQ(TruncateToWidth("Nguyễn", 6), "Nguyễn");
  EXPECT_EQ(TruncateToWidth("Nguyễn", 60), "Nguyễn");
  EXPECT_EQ(TruncateToWidth("", 0), "");
}

TEST(TruncateToWidthTest, CutsByColumnsAndAddsAnEllipsis) {
  EXPECT_EQ(TruncateToWidth("Trường THPT Nguyễn Du", 10), "Trường TH…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("Trường THPT Nguyễn Du", 10)), 10u);
  EXPECT_EQ(TruncateToWidth("Nguyễn", 5), "Nguy…");
  EXPECT_EQ(TruncateToWidth("Nguyễn", 1), "…");
  EXPECT_EQ(TruncateToWidth("Nguyễn", 0), "");
}

TEST(TruncateToWidthTest, NeverSplitsALetterFromItsCombiningMarks) {
  const std::string name = std::string("Nguy") + kDecomposedE + "n";
  EXPECT_EQ(TruncateToWidth(name, 5), "Nguy…");
  EXPECT_EQ(TruncateToWidth(name, 6), name);
  EXPECT_EQ(TruncateToWidth(name + "x", 6),
            std::string("Nguy") + kDecomposedE + "…");
}

TEST(TruncateToWidthTest, NeverSplitsAWideCharacter) {
  // "中" takes two columns: it does not fit in the one left before "…".
  EXPECT_EQ(TruncateToWidth("a中文", 3), "a…");
  EXPECT_EQ(TruncateToWidth("a中文", 4), "a中…");
  EXPECT_EQ(TruncateToWidth("中文", 2), "…");
}

}  // namespace
}  // namespace antt::cli
