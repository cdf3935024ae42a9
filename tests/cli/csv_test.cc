// anttctl's CSV reader and writer, and the error report of bulk commands.

#include "cli/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "tests/testing/test_util.h"

namespace antt::cli {
namespace {

using ::testing::ElementsAre;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every record of `text` after its header, failing the test on a malformed
// one.
std::vector<CsvRecord> ReadAll(const std::string& text,
                               std::vector<std::string>* header = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in);
  EXPECT_OK(reader.ReadHeader());
  if (header != nullptr) *header = reader.header();
  std::vector<CsvRecord> records;
  CsvRecord record;
  absl::Status error;
  while (reader.Next(&record, &error)) {
    EXPECT_OK(error);
    records.push_back(record);
  }
  return records;
}

TEST(CsvReaderTest, PlainRecordsCarryRowAndLine) {
  std::vector<std::string> header;
  const auto records =
      ReadAll("name,kind\nSở A,agency\nSở B,agency\n", &header);
  EXPECT_THAT(header, ElementsAre("name", "kind"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].row, 1);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_THAT(records[0].fields, ElementsAre("Sở A", "agency"));
  EXPECT_EQ(records[1].row, 2);
  EXPECT_EQ(records[1].line, 3);
}

TEST(CsvReaderTest, QuotedFieldsWithCommasAndEscapedQuotes) {
  const auto records = ReadAll("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("x, y", "say \"hi\"", ""));
}

TEST(CsvReaderTest, NewlineInsideQuotesKeepsLineNumbersRight) {
  const auto records = ReadAll(
      "name,address\n"
      "A,\"line one\nline two\nline three\"\n"
      "B,plain\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[0].fields[1], "line one\nline two\nline three");
  EXPECT_EQ(records[1].row, 2);
  EXPECT_EQ(records[1].line, 5);
  EXPECT_EQ(records[1].fields[0], "B");
}

TEST(CsvReaderTest, CrlfLineEndsAndNoFinalNewline) {
  const auto records = ReadAll("a,b\r\n1,2\r\n\"3\r\n4\",5");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("1", "2"));
  EXPECT_THAT(records[1].fields, ElementsAre("3\r\n4", "5"));
  EXPECT_EQ(records[1].line, 3);
}

TEST(CsvReaderTest, ByteOrderMarkIsSkipped) {
  std::vector<std::string> header;
  ReadAll("\xEF\xBB\xBFname,kind\nA,agency\n", &header);
  EXPECT_THAT(header, ElementsAre("name", "kind"));
}

TEST(CsvReaderTest, LeadingBytesThatAreNotAByteOrderMarkAreKept) {
  // "\xEF\xBC\x8C" is a full-width comma: it starts like a BOM but is not one.
  std::vector<std::string> header;
  ReadAll("\xEF\xBC\x8Cx,y\n", &header);
  EXPECT_THAT(header, ElementsAre("\xEF\xBC\x8Cx", "y"));
}

TEST(CsvReaderTest, BlankLinesAreSkippedButCounted) {
  const auto records = ReadAll("a\n\nx\r\n\r\ny\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 3);
  EXPECT_EQ(records[1].row, 2);
  EXPECT_EQ(records[1].line, 5);
}

TEST(CsvReaderTest, ShortRecordReadsMissingCellsAsEmpty) {
  std::istringstream in("name,kind,address\nA,agency\n");
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  CsvRecord record;
  absl::Status error;
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_OK(error);
  EXPECT_EQ(reader.Get(record, "kind"), "agency");
  EXPECT_EQ(reader.Get(record, "address"), "");
  EXPECT_EQ(reader.Get(record, "no_such_column"), "");
  EXPECT_EQ(reader.Column("address"), 2);
  EXPECT_EQ(reader.Column("no_such_column"), -1);
}

TEST(CsvReaderTest, EmptyInputHasNoHeader) {
  std::istringstream in("");
  CsvReader reader(in);
  EXPECT_CODE(reader.ReadHeader(), absl::StatusCode::kInvalidArgument);
}

TEST(CsvReaderTest, RepeatedOrEmptyColumnNameIsRejected) {
  std::istringstream repeated("name,kind, name\n");
  CsvReader a(repeated);
  const absl::Status status = a.ReadHeader();
  EXPECT_CODE(status, absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("\"name\""), absl::string_view::npos)
      << status;

  std::istringstream empty("name,,kind\n");
  CsvReader b(empty);
  EXPECT_CODE(b.ReadHeader(), absl::StatusCode::kInvalidArgument);
}

TEST(CsvReaderTest, RequireNamesEveryMissingColumn) {
  std::istringstream in("name,address\n");
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  EXPECT_OK(reader.Require({"name"}));
  const absl::Status status = reader.Require({"name", "kind", "tax_code"});
  EXPECT_CODE(status, absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("kind, tax_code"), absl::string_view::npos)
      << status;
}

TEST(CsvReaderTest, UseColumnsNamesEveryUnknownColumn) {
  std::istringstream in("name,colour,kind,size\n");
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  EXPECT_OK(reader.UseColumns({"name", "kind", "colour", "size", "x"}));
  const absl::Status status = reader.UseColumns({"name", "kind"});
  EXPECT_CODE(status, absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("colour, size"), absl::string_view::npos)
      << status;
}

TEST(CsvReaderTest, TooManyFieldsIsReportedAndReadingGoesOn) {
  std::istringstream in("a,b\n1,2\n1,2,3\n4,5\n");
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  CsvRecord record;
  absl::Status error;
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_OK(error);
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_CODE(error, absl::StatusCode::kInvalidArgument);
  EXPECT_NE(error.message().find("line 3"), absl::string_view::npos) << error;
  EXPECT_EQ(record.row, 2);
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_OK(error);
  EXPECT_EQ(record.row, 3);
  EXPECT_THAT(record.fields, ElementsAre("4", "5"));
  EXPECT_FALSE(reader.Next(&record, &error));
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsReportedAndTheLineSkipped) {
  std::istringstream in("a,b\n\"x\"y,2\n3,4\n");
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  CsvRecord record;
  absl::Status error;
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_CODE(error, absl::StatusCode::kInvalidArgument);
  EXPECT_NE(error.message().find("line 2"), absl::string_view::npos) << error;
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_OK(error);
  EXPECT_EQ(record.line, 3);
  EXPECT_THAT(record.fields, ElementsAre("3", "4"));
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereTheRecordStarts) {
  std::istringstream in("a,b\n1,2\n3,\"never closed\n4,5\n");
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  CsvRecord record;
  absl::Status error;
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_OK(error);
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_CODE(error, absl::StatusCode::kInvalidArgument);
  EXPECT_NE(error.message().find("line 3"), absl::string_view::npos) << error;
  EXPECT_EQ(record.row, 2);
  EXPECT_FALSE(reader.Next(&record, &error));
}

TEST(InvalidUtf8OffsetTest, FindsTheFirstByteThatIsNotUtf8) {
  constexpr size_t npos = absl::string_view::npos;
  EXPECT_EQ(InvalidUtf8Offset(""), npos);
  EXPECT_EQ(InvalidUtf8Offset("Trường THPT Nguyễn Du"), npos);
  EXPECT_EQ(InvalidUtf8Offset("\xF0\x9F\x99\x82 U+10FFFF \xF4\x8F\xBF\xBF"),
            npos);
  EXPECT_EQ(InvalidUtf8Offset("Caf\xE9"), 3u);  // Latin-1 é
  EXPECT_EQ(InvalidUtf8Offset("Caf\xE9 au lait"), 3u);
  // "Sở" in Windows-1258: S, ơ (0xF5), a combining hook (0xD2).
  EXPECT_EQ(InvalidUtf8Offset("S\xF5\xD2"), 1u);
  EXPECT_EQ(InvalidUtf8Offset("ab\xE1\xBB"), 2u);        // cut short
  EXPECT_EQ(InvalidUtf8Offset("\xC0\xAF"), 0u);          // overlong "/"
  EXPECT_EQ(InvalidUtf8Offset("\xE0\x80\xAF"), 0u);      // overlong "/"
  EXPECT_EQ(InvalidUtf8Offset("x\xED\xA0\x80"), 1u);     // a surrogate
  EXPECT_EQ(InvalidUtf8Offset("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(InvalidUtf8Offset("ok \x80"), 3u);           // a lone continuation
}

TEST(NotUtf8MessageTest, NamesTheByteTheTextBeforeItAndTheFix) {
  const std::string cell = "Caf\xE9 au lait";
  const std::string message = NotUtf8Message(cell, 3);
  EXPECT_EQ(InvalidUtf8Offset(message), absl::string_view::npos) << message;
  EXPECT_NE(message.find("0xE9"), std::string::npos) << message;
  EXPECT_NE(message.find("after \"Caf\""), std::string::npos) << message;
  EXPECT_NE(message.find("save the file as UTF-8"), std::string::npos)
      << message;

  EXPECT_NE(NotUtf8Message("\xF5x", 0).find("0xF5 at the start"),
            std::string::npos);
  // A long text before the byte is cut at a character, never inside one.
  std::string long_cell;
  for (int i = 0; i < 20; ++i) long_cell += "ờ";  // 3 bytes each
  long_cell += "\xFF";
  const std::string cut = NotUtf8Message(long_cell, long_cell.size() - 1);
  EXPECT_EQ(InvalidUtf8Offset(cut), absl::string_view::npos) << cut;
  EXPECT_NE(cut.find("after \"…ờờ"), std::string::npos) << cut;
  EXPECT_NE(cut.find("ờ\";"), std::string::npos) << cut;
}

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("Trường THPT Nguyễn Du"), "Trường THPT Nguyễn Du");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField(" padded"), "\" padded\"");
  EXPECT_EQ(CsvField("padded "), "\"padded \"");
  EXPECT_EQ(CsvField("in side"), "in side");
}

TEST(CsvFieldTest, WrittenRecordsReadBackUnchanged) {
  const std::vector<std::vector<std::string>> rows = {
      {"name", "address", "models"},
      {"Công ty \"Hòa Bình\", chi nhánh 2", "Số 5,\nphố Huế\r\nHà Nội",
       "Tổ tự quản;Camera an ninh"},
      {"", " leading", "trailing "},
      {"\"", ",", "\n"},
  };
  std::ostringstream out;
  for (const auto& row : rows) WriteCsvRecord(out, row);
  std::vector<std::string> header;
  const auto records = ReadAll(out.str(), &header);
  EXPECT_EQ(header, rows[0]);
  ASSERT_EQ(records.size(), rows.size() - 1);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].fields, rows[i + 1]) << "row " << i + 1;
  }
}

TEST(GuardFormulaTest, PrefixesWhatASpreadsheetWouldRunAsAFormula) {
  EXPECT_EQ(GuardFormula("=HYPERLINK(\"http://x.example\")"),
            "'=HYPERLINK(\"http://x.example\")");
  EXPECT_EQ(GuardFormula("+84 233 3852 123"), "'+84 233 3852 123");
  EXPECT_EQ(GuardFormula("-1+2"), "'-1+2");
  EXPECT_EQ(GuardFormula("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(GuardFormula("\t=1"), "'\t=1");
  EXPECT_EQ(GuardFormula("\r=1"), "'\r=1");
  // Quotes before a formula character get one more, so that reading takes
  // exactly that one off.
  EXPECT_EQ(GuardFormula("'=1"), "''=1");
  EXPECT_EQ(GuardFormula("''-x"), "'''-x");
}

TEST(GuardFormulaTest, LeavesEverythingElseAlone) {
  for (const char* value :
       {"", "Sở Tư pháp", "a=b", " =1", "'", "''", "'quoted'", "1-2", "x@y"}) {
    EXPECT_EQ(GuardFormula(value), value);
    EXPECT_EQ(UnguardFormula(value), value);
  }
}

TEST(GuardFormulaTest, UnguardTakesOffOneQuoteBeforeAFormulaCharacterOnly) {
  EXPECT_EQ(UnguardFormula("'=1"), "=1");
  EXPECT_EQ(UnguardFormula("''=1"), "'=1");
  EXPECT_EQ(UnguardFormula("'\t"), "\t");
  EXPECT_EQ(UnguardFormula("'abc"), "'abc");
  EXPECT_EQ(UnguardFormula("=1"), "=1");
}

TEST(GuardFormulaTest, AnyValueComesBackUnchanged) {
  for (const char* value :
       {"=1+1", "'=1+1", "''=1+1", "'", "'a", "-", "'-", "@", "+", "\t", "\r\n",
        "'\r", "plain", "", "'''", "=HYPERLINK(\"x\";\"y\")"}) {
    EXPECT_EQ(UnguardFormula(GuardFormula(value)), value) << value;
  }
}

TEST(CsvWriterTest, GuardsTextColumnsAndWritesValueColumnsAsTheyAre) {
  const std::vector<CsvColumn> columns = {"name", ValueColumn("headcount"),
                                          ValueColumn("kind"), "models"};
  std::ostringstream out;
  CsvWriter writer(out, columns);
  writer.WriteHeader();
  writer.Write({"=HYPERLINK(\"http://x.example\",\"Bấm vào đây\")", "-5",
                "agency", "@Tổ A;Tổ B"});
  writer.Write({"Sở Tư pháp", "40", "agency", ""});
  writer.Write({"a", "1", "agency", "-x", "=extra"});  // past the columns: text
  EXPECT_EQ(out.str(),
            "name,headcount,kind,models\n"
            "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Bấm vào đây\"\")\",-5,"
            "agency,'@Tổ A;Tổ B\n"
            "Sở Tư pháp,40,agency,\n"
            "a,1,agency,'-x,'=extra\n");
}

TEST(CsvWriterTest, TextCellsReadBackAsWrittenThroughUseColumns) {
  const std::vector<CsvColumn> columns = {"name", ValueColumn("points"),
                                          "note"};
  const std::vector<std::vector<std::string>> rows = {
      {"=1+1", "-3", "'=already quoted"},
      {"+84 233", "+3", "@mention"},
      {"\t=tab", "'-5", "'plain"},
      {"Sở Tư pháp", "7", ""},
  };
  std::ostringstream out;
  CsvWriter writer(out, columns);
  writer.WriteHeader();
  for (const auto& row : rows) writer.Write(row);

  std::istringstream in(out.str());
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  ASSERT_OK(reader.UseColumns(columns));
  CsvRecord record;
  absl::Status error;
  for (const auto& row : rows) {
    ASSERT_TRUE(reader.Next(&record, &error));
    ASSERT_OK(error);
    EXPECT_EQ(reader.Get(record, "name"), row[0]);
    EXPECT_EQ(reader.Get(record, "points"), row[1]);  // "'-5" stays
    EXPECT_EQ(reader.Get(record, "note"), row[2]);
  }
  EXPECT_FALSE(reader.Next(&record, &error));
}

TEST(CsvReaderTest, EveryCellReadsAsItIsUntilUseColumns) {
  std::istringstream in("name\n'=1\n'=2\n");
  CsvReader reader(in);
  ASSERT_OK(reader.ReadHeader());
  CsvRecord record;
  absl::Status error;
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_EQ(reader.Get(record, "name"), "'=1");
  ASSERT_OK(reader.UseColumns({"name"}));
  ASSERT_TRUE(reader.Next(&record, &error));
  EXPECT_EQ(reader.Get(record, "name"), "=2");
}

// The fields of each item of a list cell: SplitEscaped at ';', then at '|',
// each field unescaped.
std::vector<std::vector<std::string>> ReadListCell(const std::string& cell) {
  std::vector<std::vector<std::string>> items;
  for (const std::string& item : SplitEscaped(cell, ';')) {
    std::vector<std::string> fields;
    for (const std::string& field : SplitEscaped(item, '|')) {
      fields.push_back(UnescapeListValue(field));
    }
    items.push_back(std::move(fields));
  }
  return items;
}

// `items` as a list cell, as persons export writes positions.
std::string WriteListCell(const std::vector<std::vector<std::string>>& items) {
  std::vector<std::string> joined;
  for (const auto& fields : items) {
    std::vector<std::string> escaped;
    for (const std::string& field : fields) {
      escaped.push_back(EscapeListValue(field));
    }
    joined.push_back(absl::StrJoin(escaped, "|"));
  }
  return absl::StrJoin(joined, ";");
}

TEST(ListCellTest, SeparatorsAndBackslashesInAFieldAreEscaped) {
  EXPECT_EQ(EscapeListValue("Tổ trưởng | phó; kiêm \\ thư ký"),
            "Tổ trưởng \\| phó\\; kiêm \\\\ thư ký");
  EXPECT_EQ(EscapeListValue("Cán bộ"), "Cán bộ");
  EXPECT_EQ(WriteListCell({{"leader", "Tổ trưởng | phó; kiêm", "U0000000001",
                            "2010-01-01", "", "false"}}),
            "leader|Tổ trưởng \\| phó\\; kiêm|U0000000001|2010-01-01||false");
}

TEST(ListCellTest, AnyFieldsComeBackUnchanged) {
  const std::vector<std::vector<std::string>> items = {
      {"leader", "Tổ trưởng | phó; kiêm \\ thư ký", "U0000000001", "2010-01-01",
       "", "false"},
      {"staff", "|", ";", "\\", "\\|", "\\;"},
      {"other", "x\\", "\\\\", "a;b|c", "", ""},
  };
  EXPECT_EQ(ReadListCell(WriteListCell(items)), items);
}

TEST(ListCellTest, AListTypedByHandReadsAsBefore) {
  EXPECT_EQ(SplitEscaped("Tổ A;Tổ B", ';'),
            (std::vector<std::string>{"Tổ A", "Tổ B"}));
  EXPECT_EQ(SplitEscaped("", ';'), std::vector<std::string>{""});
  // A backslash before anything but \, | or ; is a backslash.
  EXPECT_EQ(SplitEscaped("C:\\tmp;x\\", ';'),
            (std::vector<std::string>{"C:\\tmp", "x\\"}));
  EXPECT_EQ(UnescapeListValue("C:\\tmp"), "C:\\tmp");
  EXPECT_EQ(UnescapeListValue("x\\"), "x\\");
  EXPECT_EQ(UnescapeListValue("a\\;b\\|c\\\\d"), "a;b|c\\d");
}

TEST(CountCsvRecordsTest, CountsRecordsNotLines) {
  std::istringstream in("a,b\n1,\"x\ny\"\n\n2,3\n4,\"never closed\n");
  EXPECT_EQ(CountCsvRecords(in), 3);
  std::istringstream empty("");
  EXPECT_EQ(CountCsvRecords(empty), 0);
}

TEST(AtomicFileTest, NothingAppearsUntilCommit) {
  const std::string dir = antt::testing::FreshTestDir();
  const std::string path = dir + "/out.csv";
  {
    AtomicOutputFile file(path);
    ASSERT_OK(file.Open());
    file.stream() << "id\n";
    EXPECT_FALSE(std::filesystem::exists(path));
    ASSERT_OK(file.Commit());
  }
  EXPECT_EQ(ReadFile(path), "id\n");
  {
    AtomicOutputFile file(path);
    ASSERT_OK(file.Open());
    file.stream() << "half a file";
  }  // never committed: the old file stays, the temporary goes
  EXPECT_EQ(ReadFile(path), "id\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(ErrorReportTest, WritesHeaderAndRowsSortedByRow) {
  const std::string path = antt::testing::FreshTestDir() + "/errors.csv";
  ErrorReport report;
  report.Add(7, "tax_code", "bad check digit, says \"the server\"");
  report.Add(0, "", "whole file");
  report.Add(2, "kind", "unknown kind \"shop\"");
  EXPECT_EQ(report.size(), 3);
  ASSERT_OK(report.WriteTo(path));
  EXPECT_EQ(ReadFile(path),
            "row,field,message\n"
            "0,,whole file\n"
            "2,kind,\"unknown kind \"\"shop\"\"\"\n"
            "7,tax_code,\"bad check digit, says \"\"the server\"\"\"\n");
}

TEST(ErrorReportTest, GuardsMessagesAgainstFormulas) {
  const std::string path = antt::testing::FreshTestDir() + "/errors.csv";
  ErrorReport report;
  report.Add(3, "name", "=HYPERLINK(\"http://x.example\")");
  ASSERT_OK(report.WriteTo(path));
  EXPECT_EQ(ReadFile(path),
            "row,field,message\n"
            "3,name,\"'=HYPERLINK(\"\"http://x.example\"\")\"\n");
}

TEST(ErrorReportTest, EmptyReportIsTheHeaderAlone) {
  const std::string path = antt::testing::FreshTestDir() + "/errors.csv";
  ASSERT_OK(ErrorReport().WriteTo(path));
  EXPECT_EQ(ReadFile(path), "row,field,message\n");
}

TEST(ErrorReportTest, UnwritablePathIsNamedAndLeavesNoTemporaryFile) {
  const std::string dir = antt::testing::FreshTestDir();
  const std::string path = dir + "/no/such/dir/errors.csv";
  const absl::Status status = ErrorReport().WriteTo(path);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find(path), absl::string_view::npos) << status;

  // A directory in the way: the temporary is written, the rename fails.
  const std::string blocked = dir + "/blocked";
  std::filesystem::create_directories(blocked + "/inside");
  EXPECT_FALSE(ErrorReport().WriteTo(blocked).ok());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);  // "blocked" alone, no leftover temporary
}

}  // namespace
}  // namespace antt::cli
