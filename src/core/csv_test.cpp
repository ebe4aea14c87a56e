#include "core/csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace octopus::csv {
namespace {

using Fields = std::vector<std::string>;

std::vector<Row> MustParse(std::string_view text) {
  Result<std::vector<Row>> rows = Parse(text, "test.csv");
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  return rows.ok() ? *rows : std::vector<Row>{};
}

std::string ErrorOf(std::string_view text) {
  Result<std::vector<Row>> rows = Parse(text, "test.csv");
  EXPECT_FALSE(rows.ok()) << "parsed without error: " << text;
  if (rows.ok()) return "";
  EXPECT_EQ(rows.status().code(), StatusCode::kParseError);
  return rows.status().message();
}

TEST(CsvParseTest, SplitsRecordsAndFields) {
  const std::vector<Row> rows = MustParse("a,b,c\n1,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[1].line, 2u);
}

struct FieldCase {
  const char* name;
  const char* text;
  Fields fields;
};

class CsvSingleRecordTest : public testing::TestWithParam<FieldCase> {};

TEST_P(CsvSingleRecordTest, ReadsFieldsAsWritten) {
  const std::vector<Row> rows = MustParse(GetParam().text);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, GetParam().fields);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc4180, CsvSingleRecordTest,
    testing::Values(
        FieldCase{"QuotedFieldKeepsComma",
                  "\"Netherlands, the Kingdom of the\",NL\n",
                  {"Netherlands, the Kingdom of the", "NL"}},
        FieldCase{"DoubledQuoteIsOneQuote", "\"say \"\"hi\"\"\",x\n", {"say \"hi\"", "x"}},
        FieldCase{"EmptyQuotedField", "\"\",x\n", {"", "x"}},
        FieldCase{"EmptyFieldsBetweenCommas", "a,,c\n", {"a", "", "c"}},
        FieldCase{"TrailingCommaMeansTrailingEmptyField", "a,b,\n", {"a", "b", ""}},
        FieldCase{"LastLineWithoutNewline", "a,b", {"a", "b"}},
        FieldCase{"SpacesAreKept", " a , b ", {" a ", " b "}},
        FieldCase{"HashAfterLineStartIsData", "a,#b\n", {"a", "#b"}},
        FieldCase{"HashInQuotedFieldOnNextLineIsData", "a,\"x\n#y\"\n", {"a", "x\n#y"}},
        FieldCase{"CrlfInsideQuotesBecomesNewline", "\"x\r\ny\",z\r\n", {"x\ny", "z"}},
        FieldCase{"Utf8IsUntouched", "Côte d'Ivoire,Türkiye\n", {"Côte d'Ivoire", "Türkiye"}},
        FieldCase{"ByteOrderMarkIsIgnored", "\xEF\xBB\xBFiso2,iso3\n", {"iso2", "iso3"}},
        FieldCase{"CrlfLineEnding", "a,b\r\n", {"a", "b"}},
        FieldCase{"CrAtEndOfText", "a,b\r", {"a", "b"}}),
    [](const testing::TestParamInfo<FieldCase>& info) { return info.param.name; });

TEST(CsvParseTest, CrlfFileGivesSameRowsAsLfFile) {
  const std::vector<Row> lf = MustParse("h1,h2\n\"a\nb\",c\nd,e\n");
  const std::vector<Row> crlf = MustParse("h1,h2\r\n\"a\r\nb\",c\r\nd,e\r\n");
  ASSERT_EQ(lf.size(), crlf.size());
  for (size_t i = 0; i < lf.size(); ++i) {
    EXPECT_EQ(lf[i].fields, crlf[i].fields);
    EXPECT_EQ(lf[i].line, crlf[i].line);
  }
}

TEST(CsvParseTest, CommentAndBlankLinesAreSkippedButCounted) {
  const std::vector<Row> rows = MustParse(
      "# source: somewhere\n"
      "# status as of: 2004-06-18\n"
      "state,date\n"
      "\n"
      "   \n"
      "Albania,2002-06-20\n"
      "# a comment between rows\n"
      "Croatia,2002-10-17\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"state", "date"}));
  EXPECT_EQ(rows[0].line, 3u);
  EXPECT_EQ(rows[1].line, 6u);
  EXPECT_EQ(rows[2].fields, (Fields{"Croatia", "2002-10-17"}));
  EXPECT_EQ(rows[2].line, 8u);
}

TEST(CsvParseTest, RecordWithEmbeddedNewlinesReportsTheLineItStartsOn) {
  const std::vector<Row> rows = MustParse("a,b\n\"one\ntwo\nthree\",x\nnext,y\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields, (Fields{"one\ntwo\nthree", "x"}));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].line, 5u);
}

TEST(CsvParseTest, ByteOrderMarkDoesNotHideACommentOrShiftLines) {
  const std::vector<Row> rows = MustParse("\xEF\xBB\xBF# comment\nh\nv\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"h"}));
  EXPECT_EQ(rows[0].line, 2u);
}

TEST(CsvParseTest, EmptyTextHasNoRows) {
  EXPECT_TRUE(MustParse("").empty());
  EXPECT_TRUE(MustParse("\n\n# only comments\n").empty());
}

TEST(CsvParseTest, UnterminatedQuoteNamesSourceAndOpeningLine) {
  const std::string message = ErrorOf("h1,h2\nok,row\n\"never closed,x\nmore\n");
  EXPECT_NE(message.find("test.csv:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("unterminated"), std::string::npos) << message;
}

TEST(CsvParseTest, TextAfterClosingQuoteIsAnErrorWithLine) {
  const std::string message = ErrorOf("h\n\"a\"b,c\n");
  EXPECT_NE(message.find("test.csv:2:"), std::string::npos) << message;
}

TEST(CsvParseTest, QuoteInsideUnquotedFieldIsAnErrorWithLine) {
  const std::string message = ErrorOf("h\n\n\nab\"c,d\n");
  EXPECT_NE(message.find("test.csv:4:"), std::string::npos) << message;
}

TEST(CsvParseTest, ErrorLineCountsLinesInsideEarlierQuotedFields) {
  const std::string message = ErrorOf("\"a\nb\nc\",d\nx\"y\n");
  EXPECT_NE(message.find("test.csv:4:"), std::string::npos) << message;
}

TEST(CsvParseTest, EverySharedTreatyFileParses) {
  const std::filesystem::path dir = OCTOPUS_TEST_DATA_DIR "/treaties";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".csv") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    Result<std::vector<Row>> rows = Parse(content.str(), entry.path().filename().string());
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    ASSERT_FALSE(rows->empty()) << entry.path();
    const size_t columns = rows->front().fields.size();
    for (const Row& row : *rows) {
      EXPECT_EQ(row.fields.size(), columns) << entry.path() << ":" << row.line;
    }
    ++files;
  }
  EXPECT_GE(files, 10);
}

TEST(CsvCellTest, ACellASpreadsheetWouldRunAsAFormulaIsNeutralised) {
  EXPECT_EQ(Cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(Cell("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
  EXPECT_EQ(Cell("-2+3"), "'-2+3");
  EXPECT_EQ(Cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(Cell("\tx"), "'\tx");
  EXPECT_EQ(Cell("\rx"), "\"'\rx\"");
}

TEST(CsvCellTest, NumbersAndOrdinaryTextAreWrittenAsTheyAre) {
  EXPECT_EQ(Cell("-12.5"), "-12.5");
  EXPECT_EQ(Cell("+7"), "+7");
  EXPECT_EQ(Cell("2023-10-01"), "2023-10-01");
  EXPECT_EQ(Cell("a = b"), "a = b");
  EXPECT_EQ(Cell(""), "");
  EXPECT_EQ(Cell("-"), "'-");
  EXPECT_EQ(Cell("a,b"), "\"a,b\"");
  EXPECT_EQ(Cell("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(CsvCellTest, ARecordReadsBackAsItsCells) {
  const std::string text = Record({"a,b", "line\nbreak", "plain"});
  EXPECT_TRUE(text.ends_with("\r\n"));
  auto rows = Parse(text, "record.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"a,b", "line\nbreak", "plain"}));
}

}  // namespace
}  // namespace octopus::csv
