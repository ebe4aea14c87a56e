// Text helpers: trimming, splitting, the name-matching key and UTF-8 validation.
#include "core/text.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace octopus::text {
namespace {

using Parts = std::vector<std::string>;

struct TrimCase {
  const char* input;
  const char* expected;
};

TEST(TrimTest, RemovesAsciiWhitespaceAtBothEndsOnly) {
  const TrimCase cases[] = {{"", ""},
                            {"   ", ""},
                            {"abc", "abc"},
                            {"  abc", "abc"},
                            {"abc  ", "abc"},
                            {" \t\r\n\f\va b\t\n", "a b"},
                            {"a  b", "a  b"},
                            // A no-break space is not ASCII whitespace.
                            {"\u00A0x", "\u00A0x"}};
  for (const TrimCase& c : cases) EXPECT_EQ(Trim(c.input), c.expected) << "'" << c.input << "'";
}

TEST(TrimTest, ReturnsAViewIntoTheInput) {
  const std::string s = "  x  ";
  const std::string_view t = Trim(s);
  EXPECT_EQ(t.data(), s.data() + 2);
}

struct SplitCase {
  const char* input;
  char sep;
  Parts expected;
};

TEST(SplitTest, KeepsEmptyFieldsAndDoesNotTrim) {
  const SplitCase cases[] = {{"", ',', {""}},
                             {"a", ',', {"a"}},
                             {"a,b,c", ',', {"a", "b", "c"}},
                             {",a,", ',', {"", "a", ""}},
                             {"a,,b", ',', {"a", "", "b"}},
                             {",", ',', {"", ""}},
                             {" a ; b ", ';', {" a ", " b "}},
                             {"a,b", ';', {"a,b"}}};
  for (const SplitCase& c : cases)
    EXPECT_EQ(Split(c.input, c.sep), c.expected) << "'" << c.input << "'";
}

TEST(StartsWithTest, IsTrueOnlyForAPrefix) {
  EXPECT_TRUE(StartsWith("status as of", "status"));
  EXPECT_TRUE(StartsWith("status", "status"));
  EXPECT_TRUE(StartsWith("anything", ""));
  EXPECT_TRUE(StartsWith("", ""));
  EXPECT_FALSE(StartsWith("stat", "status"));
  EXPECT_FALSE(StartsWith("Status", "status"));
  EXPECT_FALSE(StartsWith("", "a"));
  EXPECT_FALSE(StartsWith("xstatus", "status"));
}

TEST(ToLowerAsciiTest, LowersAsciiLettersAndLeavesOtherBytesAlone) {
  EXPECT_EQ(ToLowerAscii("ETS-185 Abc"), "ets-185 abc");
  EXPECT_EQ(ToLowerAscii("TÜRKIYE"), "tÜrkiye");  // only ASCII letters change
}

struct FoldCase {
  const char* input;
  const char* expected;
};

TEST(FoldKeyTest, FoldsAccentedLettersToTheirBaseLetter) {
  const FoldCase cases[] = {{"Türkiye", "turkiye"},
                            {"TÜRKİYE", "turkiye"},
                            {"Côte d\u2019Ivoire", "cote d ivoire"},  // typographic apostrophe
                            {"Côte d'Ivoire", "cote d ivoire"},
                            {"România", "romania"},
                            // Romanian comma-below letters and their cedilla look-alikes.
                            {"Ștefănescu Țară", "stefanescu tara"},
                            {"și ț", "si t"},
                            {"ŞŢ", "st"},
                            {"São Tomé e Príncipe", "sao tome e principe"},
                            {"Macédoine du Nord", "macedoine du nord"},
                            {"Curaçao", "curacao"},
                            {"Åland", "aland"},
                            {"Straße", "strasse"},
                            {"Œuvre", "oeuvre"},
                            {"Łódź", "lodz"}};
  for (const FoldCase& c : cases) EXPECT_EQ(FoldKey(c.input), c.expected) << "input: " << c.input;
}

TEST(FoldKeyTest, CollapsesPunctuationAndSpaceRunsToOneSpace) {
  const FoldCase cases[] = {{"", ""},
                            {"   ", ""},
                            {"...", ""},
                            {"  The  Former   Yugoslav ", "the former yugoslav"},
                            {"Korea, Republic of", "korea republic of"},
                            {"Kosovo*", "kosovo"},
                            {"Bosnia-and--Herzegovina", "bosnia and herzegovina"},
                            {"a\u2013b\u2014c", "a b c"},  // en and em dash
                            {"a\u00A0\u00A0b", "a b"},     // no-break spaces
                            {"a\t\n b", "a b"},
                            {"(ETS 185)", "ets 185"},
                            {"2×3", "2 3"},      // a Latin-1 sign without a base letter separates
                            {"café™", "cafe"}};  // other symbols too
  for (const FoldCase& c : cases) EXPECT_EQ(FoldKey(c.input), c.expected) << "input: " << c.input;
}

TEST(FoldKeyTest, DropsInvalidUtf8Bytes) {
  // Octal escapes: a hex escape would swallow the letters that follow.
  const FoldCase cases[] = {{"Tu\377rkey", "turkey"},   // stray byte
                            {"abc\303", "abc"},         // truncated sequence at the end
                            {"a\303(b", "a b"},         // bad continuation: only the lead byte goes
                            {"\200\200x", "x"},         // lone continuation bytes
                            {"a\300\257b", "ab"},       // an overlong '/' is not punctuation
                            {"a\355\240\200b", "ab"}};  // a surrogate
  for (const FoldCase& c : cases) EXPECT_EQ(FoldKey(c.input), c.expected) << "input: " << c.input;
}

TEST(FoldKeyTest, MatchesTheSameNameWrittenDifferently) {
  EXPECT_EQ(FoldKey("Côte d\u2019Ivoire"), FoldKey("COTE D'IVOIRE"));
  EXPECT_EQ(FoldKey("Türkiye"), FoldKey("Turkiye"));
}

TEST(FoldKeyTest, IsIdempotent) {
  for (const char* s : {"Côte d\u2019Ivoire", "  Bosnia -- Herzegovina ", "Türkiye", "a\377b"}) {
    const std::string once = FoldKey(s);
    EXPECT_EQ(FoldKey(once), once) << s;
  }
}

struct Utf8Case {
  const char* name;
  std::string bytes;
  bool valid;
};

TEST(IsValidUtf8Test, AcceptsWellFormedAndRejectsMalformedSequences) {
  const Utf8Case cases[] = {{"empty", "", true},
                            {"ascii", "Budapest, 23 November 2001", true},
                            {"two bytes", "T\xC3\xBCrkiye", true},
                            {"three bytes", "d\xE2\x80\x99Ivoire", true},
                            {"four bytes", "\xF0\x9F\x90\x99", true},
                            {"largest code point", "\xF4\x8F\xBF\xBF", true},
                            {"last before surrogates", "\xED\x9F\xBF", true},
                            {"first after surrogates", "\xEE\x80\x80", true},
                            {"embedded NUL", std::string("a\0b", 3), true},
                            {"overlong two-byte slash", "\xC0\xAF", false},
                            {"overlong two-byte C1", "\xC1\xBF", false},
                            {"overlong three-byte", "\xE0\x80\xAF", false},
                            {"overlong three-byte max", "\xE0\x9F\xBF", false},
                            {"overlong four-byte", "\xF0\x80\x80\xAF", false},
                            {"overlong four-byte max", "\xF0\x8F\xBF\xBF", false},
                            {"high surrogate", "\xED\xA0\x80", false},
                            {"low surrogate", "\xED\xBF\xBF", false},
                            {"beyond U+10FFFF", "\xF4\x90\x80\x80", false},
                            {"F5 lead byte", "\xF5\x80\x80\x80", false},
                            {"five-byte lead", "\xF8\x88\x80\x80\x80", false},
                            {"FE", "\xFE", false},
                            {"FF", "\xFF", false},
                            {"lone continuation", "\x80", false},
                            {"truncated two-byte at end", "abc\xC3", false},
                            {"truncated three-byte at end", "abc\xE2\x80", false},
                            {"truncated four-byte at end", "\xF0\x9F\x90", false},
                            {"truncated sequence before ascii", "\xE2\x80x", false},
                            {"latin-1 byte", "T\xFCrkiye", false}};
  for (const Utf8Case& c : cases) EXPECT_EQ(IsValidUtf8(c.bytes), c.valid) << c.name;
}

}  // namespace
}  // namespace octopus::text
