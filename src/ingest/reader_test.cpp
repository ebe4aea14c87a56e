#include "ingest/reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"
#include "ingest/document.h"
#include "ingest/sha256.h"

namespace octopus::ingest {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

const std::string kSeed000 = OCTOPUS_TEST_DATA_DIR "/seeds/000_d03e5a92182abe11.txt";
const std::string kSeed003 = OCTOPUS_TEST_DATA_DIR "/seeds/003_4b1784b32edbbd16.txt";

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteBytes(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::string> Lines(std::string_view s) { return text::Split(s, '\n'); }

std::vector<std::string> MustRead(std::string_view bytes, Format want) {
  auto doc = ReadDocument(bytes);
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  if (!doc.ok()) return {};
  EXPECT_EQ(doc->format, want);
  return doc->lines;
}

std::vector<std::string> ReadHtmlLines(std::string_view html) {
  return MustRead(html, Format::kHtml);
}

// Whitespace runs (ASCII and no-break spaces) collapsed to one space, each TAB-separated cell
// trimmed, empty cells at either end dropped: what survives any faithful rendering of a line.
std::string Normalize(std::string_view line) {
  std::vector<std::string> cells;
  for (const std::string& cell : text::Split(line, '\t')) {
    std::string out;
    bool space = false;
    for (size_t i = 0; i < cell.size(); ++i) {
      const bool nbsp = cell[i] == '\xC2' && i + 1 < cell.size() && cell[i + 1] == '\xA0';
      if (nbsp || cell[i] == ' ' || cell[i] == '\r' || cell[i] == '\f' || cell[i] == '\v') {
        space = true;
        if (nbsp) ++i;
        continue;
      }
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(cell[i]);
    }
    cells.push_back(std::move(out));
  }
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
  size_t first = 0;
  while (first < cells.size() && cells[first].empty()) ++first;
  std::string joined;
  for (size_t k = first; k < cells.size(); ++k) {
    if (k > first) joined.push_back('\t');
    joined += cells[k];
  }
  return joined;
}

std::vector<std::string> NonEmptyNormalized(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const std::string& l : lines) {
    std::string n = Normalize(l);
    if (!n.empty()) out.push_back(std::move(n));
  }
  return out;
}

std::string NonWhitespace(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    for (size_t i = 0; i < l.size(); ++i) {
      if (l[i] == '\xC2' && i + 1 < l.size() && l[i + 1] == '\xA0') {
        ++i;
      } else if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r' && l[i] != '\f' && l[i] != '\v') {
        out.push_back(l[i]);
      }
    }
  }
  return out;
}

std::string EscapeHtml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
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
      default:
        out.push_back(c);
    }
  }
  return out;
}

// An HTML page from text: each non-empty line a <p>, each line holding a TAB a table row
// (consecutive ones one table). The style keeps every cell but the last on one line so that
// weasyprint's PDF reads row by row, as the newsletters' inventory tables do.
std::string TextToHtml(const std::vector<std::string>& lines) {
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>seed</title><style>"
      "@page{size:A4;margin:1.5cm} table{font-size:8pt} "
      "td{vertical-align:top;padding-right:2em} td:not(:last-child){white-space:nowrap}"
      "</style></head>\n<body>\n";
  bool in_table = false;
  for (const std::string& line : lines) {
    if (line.find('\t') != std::string::npos) {
      if (!in_table) html += "<table>\n";
      in_table = true;
      html += "<tr>";
      for (const std::string& cell : text::Split(line, '\t')) {
        html += "<td>" + EscapeHtml(cell) + "</td>";
      }
      html += "</tr>\n";
      continue;
    }
    if (in_table) html += "</table>\n";
    in_table = false;
    if (!text::Trim(line).empty()) html += "<p>" + EscapeHtml(line) + "</p>\n";
  }
  if (in_table) html += "</table>\n";
  return html + "</body></html>\n";
}

bool HaveTool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

using octopus::test_support::TempDir;

std::string Quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(byte(rng));
  return s;
}

// ---------------------------------------------------------------------------------------------

TEST(DetectFormatTest, JudgesByContentNotName) {
  struct Case {
    const char* what;
    std::string bytes;
    Format want;
  };
  const Case cases[] = {
      {"pdf header", "%PDF-1.7\n...", Format::kPdf},
      {"pdf after BOM and blank lines", "\xEF\xBB\xBF\n  %PDF-1.4\n", Format::kPdf},
      {"doctype, any case", "<!DocType HTML><p>x", Format::kHtml},
      {"html tag after whitespace", "\n\t <HTML lang=en>", Format::kHtml},
      {"head tag", "<head><title>t</title></head>", Format::kHtml},
      {"body tag after BOM", "\xEF\xBB\xBF<body>", Format::kHtml},
      {"p tag early", "Some words\n<p>a paragraph</p>", Format::kHtml},
      {"div tag early", "x <DIV class=\"a\">y</div>", Format::kHtml},
      {"plain text", "Germany ratified the Convention (10 June 2011)\n", Format::kText},
      {"inline tags only", "Octopus\tWorkshop, <i>in person</i> , 3-5 July\n", Format::kText},
      {"words that merely start like tags", "<divide> and <paragraph>", Format::kText},
      {"markdown", "- [Octopus Conference 2023](#)\n", Format::kText},
      {"pdf mentioned, not first", "see %PDF-1.4", Format::kText},
      {"tag after the first 4 KB", std::string(5000, 'x') + "<p>late</p>", Format::kText},
      {"only whitespace", " \n\n", Format::kText},
  };
  for (const Case& c : cases) {
    auto got = DetectFormat(c.bytes);
    ASSERT_TRUE(got.ok()) << c.what << ": " << got.status().message();
    EXPECT_EQ(*got, c.want) << c.what;
  }
}

TEST(DetectFormatTest, EmptyFileIsAParseError) {
  auto got = ReadDocument("");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kParseError);
  EXPECT_EQ(got.status().message(), "empty file");
}

TEST(DetectFormatTest, RandomBytesWithNulsAreABinaryFile) {
  std::string bytes = RandomBytes(4096, 7);
  bytes[100] = '\0';
  auto got = ReadDocument(bytes);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kParseError);
  EXPECT_EQ(got.status().message(), "binary file, not text/HTML/PDF");
}

TEST(DetectFormatTest, ManyControlBytesWithoutNulAreABinaryFile) {
  std::string bytes(1000, 'a');
  for (size_t i = 0; i < bytes.size(); i += 10) bytes[i] = '\x01';
  auto got = DetectFormat(bytes);
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.status().message(), HasSubstr("binary file"));
}

TEST(DetectFormatTest, Utf16IsRefusedWithAHint) {
  auto got =
      DetectFormat(std::string("\xFF\xFE"
                               "a\0b\0",
                               6));
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.status().message(), HasSubstr("binary file, not text/HTML/PDF"));
  EXPECT_THAT(got.status().message(), HasSubstr("UTF-16"));
}

TEST(ReadDocumentTest, RefusesA100MegabyteFileQuickly) {
  const std::string big(size_t{100} << 20, 'a');
  const auto start = std::chrono::steady_clock::now();
  auto got = ReadDocument(big);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(), "file too large (104857600 bytes, limit 67108864)");
  EXPECT_LT(took, std::chrono::milliseconds(50));
}

TEST(ReadDocumentTest, HonoursTheConfiguredLimit) {
  ReadOptions opts;
  opts.max_bytes = 4;
  EXPECT_TRUE(ReadDocument("abcd", opts).ok());
  auto got = ReadDocument("abcde", opts);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "file too large (5 bytes, limit 4)");
}

// ---------------------------------------------------------------------------------------------

TEST(TextReaderTest, KeepsTheFilesLinesWithoutCrAndBom) {
  auto doc = ReadDocument("\xEF\xBB\xBFone\r\ntwo\n\n  three  \r\nlast");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->format, Format::kText);
  EXPECT_EQ(doc->lines, (std::vector<std::string>{"one", "two", "", "  three  ", "last"}));
  EXPECT_FALSE(doc->truncated);
  EXPECT_TRUE(doc->warnings.empty());
}

TEST(TextReaderTest, AFinalNewlineAddsNoEmptyLine) {
  EXPECT_EQ(MustRead("a\nb\n", Format::kText), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(MustRead("a\n\n", Format::kText), (std::vector<std::string>{"a", ""}));
}

TEST(TextReaderTest, ReplacesEachInvalidByteAndSaysWhere) {
  auto doc = ReadDocument("fine\nC\xF4te d'Ivoire\nok \xE2\x82\nbad \xC0\xAF end\n\xED\xA0\x80\n");
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->lines.size(), 5u);
  EXPECT_EQ(doc->lines[0], "fine");
  EXPECT_EQ(doc->lines[1], "C\uFFFDte d'Ivoire");
  EXPECT_EQ(doc->lines[2], "ok \uFFFD\uFFFD");       // a sequence cut short
  EXPECT_EQ(doc->lines[3], "bad \uFFFD\uFFFD end");  // an overlong '/'
  EXPECT_EQ(doc->lines[4], "\uFFFD\uFFFD\uFFFD");    // a UTF-16 surrogate
  for (const std::string& l : doc->lines) EXPECT_TRUE(text::IsValidUtf8(l)) << l;
  EXPECT_EQ(doc->warnings,
            (std::vector<std::string>{
                "invalid UTF-8 at line 2, replaced", "invalid UTF-8 at line 3, replaced",
                "invalid UTF-8 at line 4, replaced", "invalid UTF-8 at line 5, replaced"}));
}

TEST(TextReaderTest, NamesTheFirstFiveBadLinesThenCountsTheRest) {
  std::string bytes;
  for (int i = 0; i < 12; ++i) bytes += "x\xFF\n";
  auto doc = ReadDocument(bytes);
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->warnings.size(), 6u);
  EXPECT_EQ(doc->warnings[0], "invalid UTF-8 at line 1, replaced");
  EXPECT_EQ(doc->warnings[4], "invalid UTF-8 at line 5, replaced");
  EXPECT_EQ(doc->warnings[5], "invalid UTF-8 at 7 more lines, replaced");
}

// ---------------------------------------------------------------------------------------------

TEST(HtmlReaderTest, ParagraphsAndHeadingsAreBlocksSeparatedByOneEmptyLine) {
  EXPECT_EQ(ReadHtmlLines("<html><body><h1>Title</h1><p>First   para\ngraph.</p>\n\n"
                          "<p>Second</p><div><div>In a div</div></div><h3>Sub</h3>tail"
                          "</body></html>"),
            (std::vector<std::string>{"Title", "", "First para graph.", "", "Second", "",
                                      "In a div", "", "Sub", "", "tail"}));
}

TEST(HtmlReaderTest, ListItemsStartWithADash) {
  EXPECT_EQ(ReadHtmlLines("<p>Highlights</p><ul><li>One <b>bold</b></li>\n<li><p>Two</p></li>"
                          "<li>Three<ul><li>Nested</li></ul></li></ul><p>After</p>"),
            (std::vector<std::string>{"Highlights", "", "- One bold", "- Two", "", "- Three",
                                      "- Nested", "", "After"}));
}

TEST(HtmlReaderTest, TableRowsBecomeLinesWithCellsJoinedByATab) {
  EXPECT_EQ(ReadHtmlLines("<p>Inventory</p><table>\n<tr><th>Project</th><th>Activity</th></tr>\n"
                          "<tr><td>GLACY+</td><td>Advisory mission, <i>online</i>, 3-5 July</td>"
                          "</tr><tr><td>Octopus</td><td></td><td>Workshop</td></tr>\n"
                          "<tr><td><p>CyberEast</p></td><td>Meeting\n  in Kyiv</td></tr>"
                          "</table><p>After</p>"),
            (std::vector<std::string>{
                "Inventory", "", "Project\tActivity", "GLACY+\tAdvisory mission, online, 3-5 July",
                "Octopus\t\tWorkshop", "CyberEast\tMeeting in Kyiv", "", "After"}));
}

TEST(HtmlReaderTest, LayoutTableCellsKeepTheirBlocks) {
  EXPECT_EQ(
      ReadHtmlLines("<table><tr><td><p>Menu</p></td><td><h2>News</h2><p>Body one</p>"
                    "<p>Body two</p></td></tr><tr><td>Footer</td></tr></table>"),
      (std::vector<std::string>{"Menu", "", "News", "", "Body one", "", "Body two", "", "Footer"}));
}

TEST(HtmlReaderTest, BrStartsANewLineAndTwoLeaveAnEmptyOne) {
  EXPECT_EQ(ReadHtmlLines("<p>Line one<br>Line two<br/><br>After a gap</p>"),
            (std::vector<std::string>{"Line one", "Line two", "", "After a gap"}));
}

TEST(HtmlReaderTest, ScriptStyleHeadAndCommentsAreSkipped) {
  EXPECT_EQ(ReadHtmlLines("<html><head><title>T</title><style>p{color:red}</style>"
                          "<script>var x = '<p>no</p>';</script></head><body>"
                          "<script>document.write('no')</script><noscript>Enable JS</noscript>"
                          "<!-- a comment --><p>Yes</p><template><p>no</p></template>"
                          "</body></html>"),
            (std::vector<std::string>{"Yes"}));
}

TEST(HtmlReaderTest, EntitiesAreDecodedAndWhitespaceCollapsed) {
  EXPECT_EQ(ReadHtmlLines("<p>Caf&eacute; &amp; C&ocirc;te d&#39;Ivoire &ndash; 10&nbsp;June"
                          " &lt;b&gt;   \n\t end &#x1F600;</p>"),
            (std::vector<std::string>{"Café & Côte d'Ivoire – 10 June <b> end 😀"}));
}

TEST(HtmlReaderTest, LinksKeepOnlyTheirText) {
  EXPECT_EQ(ReadHtmlLines("<p>See the <a href=\"https://coe.int/x\" title=\"t\">Treaty Office "
                          "website</a>.</p>"),
            (std::vector<std::string>{"See the Treaty Office website."}));
}

TEST(HtmlReaderTest, PreKeepsItsLineBreaksAndSpaces) {
  EXPECT_EQ(
      ReadHtmlLines("<p>Before</p><pre>\nline 1\n  indented\n\nline 4</pre><p>After</p>"),
      (std::vector<std::string>{"Before", "", "line 1", "  indented", "", "line 4", "", "After"}));
}

// A news item as a Liferay-style CMS serves it: a cookie banner, the site's navigation and
// breadcrumb, the item between a share bar and a list of related items, then the footer. Written
// for these tests in the shape of such pages; `main_open`/`main_close` wrap the item's column.
std::string CmsNewsPage(std::string_view main_open, std::string_view main_close, std::string_view head = "") {
  return std::string("<!DOCTYPE html><html lang=\"en\"><head><title>Kiribati accedes | Cybercrime</title>") +
         std::string(head) +
         "</head><body class=\"controls-visible signed-out public-page\">"
         "<div id=\"cookie-consent\" class=\"cookie-banner\"><p>This site uses cookies to offer you a "
         "better browsing experience.</p><button>I agree</button></div>"
         "<header id=\"banner\" role=\"banner\"><a href=\"/\">Council of Europe</a><ul>"
         "<li><a href=\"/en/web/portal\">Portal</a></li><li><a href=\"/en/web/cybercrime\">Cybercrime</a></li>"
         "</ul></header>"
         "<nav class=\"site-breadcrumbs\"><ol><li><a href=\"/\">Home</a></li><li>News</li></ol></nav>"
         "<div id=\"content\"><div class=\"columns-2\"><div class=\"portlet-column\">" +
         std::string(main_open) +
         "<h3 class=\"header-title\">Kiribati joins the Convention on Cybercrime</h3>"
         "<div class=\"asset-metadata\">Strasbourg 14 March 2025</div>"
         "<div class=\"journal-content-article\"><p>Kiribati deposited its instrument of accession to "
         "the Convention on Cybercrime today. The Convention now counts a further Party in the Pacific "
         "region.</p><p>The Octopus Project supported the drafting of the national law over two years "
         "of workshops and advisory missions.</p></div>"
         "<div class=\"taglib-social-bookmarks\"><span>Share</span><a href=\"#tw\">X</a>"
         "<a href=\"#fb\">Facebook</a><a href=\"#li\">LinkedIn</a></div>" +
         std::string(main_close) +
         "</div><div class=\"portlet-column\"><section class=\"related-assets\"><h4>Related news</h4><ul>"
         "<li><a href=\"/n/1\">Benin joins the Convention on Cybercrime</a></li>"
         "<li><a href=\"/n/2\">Plenary of the Cybercrime Convention Committee</a></li></ul></section>"
         "</div></div></div>"
         "<footer id=\"footer\" role=\"contentinfo\"><p>Council of Europe, Avenue de l'Europe, "
         "F-67075 Strasbourg Cedex</p><a href=\"/legal\">Legal notice</a></footer>"
         "</body></html>";
}

const std::vector<std::string> kCmsItemLines = {
    "Kiribati joins the Convention on Cybercrime", "", "Strasbourg 14 March 2025", "",
    "Kiribati deposited its instrument of accession to the Convention on Cybercrime today. The "
    "Convention now counts a further Party in the Pacific region.",
    "",
    "The Octopus Project supported the drafting of the national law over two years of workshops and "
    "advisory missions."};

TEST(HtmlReaderTest, AMainElementIsReadAloneWithoutTheFurnitureAroundIt) {
  EXPECT_EQ(ReadHtmlLines(CmsNewsPage("<main id=\"main-content\">", "</main>")), kCmsItemLines);
  EXPECT_EQ(ReadHtmlLines(CmsNewsPage("<div role=\"main\">", "</div>")), kCmsItemLines);
}

TEST(HtmlReaderTest, ATitleAboveTheMainElementIsKept) {
  const std::string page =
      "<body><nav><a href=\"/\">Home</a></nav><h1>Plenary of the Committee</h1><main><p>The "
      "Committee met in Strasbourg.</p></main><footer>Contact us</footer></body>";
  EXPECT_EQ(ReadHtmlLines(page),
            (std::vector<std::string>{"Plenary of the Committee", "", "The Committee met in Strasbourg."}));
}

TEST(HtmlReaderTest, AnArticleIsTheMainContentWhenThePageHasNoMainElement) {
  EXPECT_EQ(ReadHtmlLines(CmsNewsPage("<article class=\"asset-full-content\">", "</article>")), kCmsItemLines);
}

TEST(HtmlReaderTest, WithoutMainOrArticleTheDensestBlockIsFoundAndFurnitureLeftOut) {
  EXPECT_EQ(ReadHtmlLines(CmsNewsPage("<div class=\"asset-full-content\">", "</div>")), kCmsItemLines);
}

TEST(HtmlReaderTest, TextOutsideTheArticleThatCouldBeContentIsKept) {
  // No markers, not mostly links: a note beside a listing's articles is still read.
  const std::string page =
      "<body><div class=\"listing\"><article><p>Benin acceded to the Convention.</p></article>"
      "<article><p>Fiji acceded to the Convention.</p></article></div>"
      "<div><p>Seventy-six States are now Parties to the Convention.</p></div>"
      "<div class=\"links\"><a href=\"/a\">Home</a> <a href=\"/b\">Contact</a></div></body>";
  EXPECT_EQ(ReadHtmlLines(page),
            (std::vector<std::string>{"Benin acceded to the Convention.", "", "Fiji acceded to the Convention.",
                                      "", "Seventy-six States are now Parties to the Convention."}));
}

TEST(HtmlReaderTest, APlainPageWithoutFurnitureReadsWhole) {
  const std::string page =
      "<body><h1>Report</h1><div><p>Long paragraph of the report, well over the rest of the page "
      "in length, so that it holds most of the text.</p></div><p>A short closing note.</p>"
      "<p><a href=\"/agenda.pdf\">Agenda</a></p></body>";
  EXPECT_EQ(ReadHtmlLines(page),
            (std::vector<std::string>{"Report", "",
                                      "Long paragraph of the report, well over the rest of the page in "
                                      "length, so that it holds most of the text.",
                                      "", "A short closing note.", "", "Agenda"}));
}

TEST(HtmlReaderTest, ThePagesOwnDateComesFromItsMetadataAtThePrecisionGiven) {
  struct Case {
    std::string head, date;
  };
  const Case cases[] = {
      {"<meta property=\"article:published_time\" content=\"2025-03-14T10:30:00+01:00\">", "2025-03-14"},
      {"<meta name=\"DC.date\" content=\"2025-03\">", "2025-03"},
      {"<meta name=\"date\" content=\"2025\">", "2025"},
      {"<meta name=\"dcterms.issued\" content=\"2025-03-14\"><meta name=\"date\" content=\"2024-01-01\">",
       "2025-03-14"},
      {"<meta itemprop=\"datePublished\" content=\"2025-03-13\">", "2025-03-13"},
  };
  for (const Case& c : cases) {
    auto doc = ReadDocument(CmsNewsPage("<main>", "</main>", c.head));
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    EXPECT_EQ(doc->date, std::optional<std::string>(c.date)) << c.head;
    EXPECT_EQ(doc->date_basis, "html metadata") << c.head;
  }
}

TEST(HtmlReaderTest, AMalformedOrMissingMetadataDateGivesNoDate) {
  for (const std::string head : {"<meta name=\"date\" content=\"2025-02-30\">",
                                 "<meta name=\"date\" content=\"14 March 2025\">",
                                 "<meta name=\"date\" content=\"2025-13\">", ""}) {
    auto doc = ReadDocument(CmsNewsPage("<main>", "</main>", head));
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    EXPECT_FALSE(doc->date.has_value()) << head;
    EXPECT_EQ(doc->date_basis, "") << head;
  }
}

TEST(HtmlReaderTest, OneTimeElementInTheMainContentDatesThePageButAListingsManyDoNot) {
  auto item = ReadDocument(
      "<body><main><h1>Kiribati accedes</h1><time datetime=\"2025-03-14\">14 March 2025</time>"
      "<p>Kiribati acceded.</p></main><aside><time datetime=\"2020-01-01\">old</time></aside></body>");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->date, std::optional<std::string>("2025-03-14"));
  EXPECT_EQ(item->date_basis, "html <time datetime>");
  auto listing = ReadDocument(
      "<body><main><article><time datetime=\"2025-03-14\">14 March</time><p>Kiribati acceded.</p>"
      "</article><article><time datetime=\"2025-02-03\">3 February</time><p>Fiji acceded.</p>"
      "</article></main></body>");
  ASSERT_TRUE(listing.ok());
  EXPECT_FALSE(listing->date.has_value());
}

TEST(HtmlReaderTest, APageCutOffBeforeItsEndIsTruncated) {
  const std::string page = "<!DOCTYPE html><html><body><p>One</p><p>Two</p></body></html>\n";
  auto whole = ReadDocument(page);
  ASSERT_TRUE(whole.ok());
  EXPECT_FALSE(whole->truncated);
  auto cut = ReadDocument(page.substr(0, page.find("Two") + 2));
  ASSERT_TRUE(cut.ok());
  EXPECT_TRUE(cut->truncated);
  EXPECT_EQ(cut->lines, (std::vector<std::string>{"One", "", "Tw"}));
  // A fragment that never opened <html> or <body> is not "cut off".
  auto fragment = ReadDocument("<p>One</p><p>Tw");
  ASSERT_TRUE(fragment.ok());
  EXPECT_FALSE(fragment->truncated);
}

TEST(HtmlReaderTest, DeclaredLatin1IsDecoded) {
  auto doc = ReadDocument(
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
      "charset=iso-8859-1\"></head><body><p>C\xF4te d'Ivoire \x96 "
      "\x93quoted\x94</p></body></html>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->lines, (std::vector<std::string>{"Côte d'Ivoire – “quoted”"}));
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_THAT(doc->warnings[0], HasSubstr("windows-1252"));
}

TEST(HtmlReaderTest, UndeclaredInvalidUtf8IsReplacedWithAWarning) {
  auto doc = ReadDocument("<html><body>\n<p>fine</p>\n<p>C\xF4te</p>\n</body></html>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->lines, (std::vector<std::string>{"fine", "", "C\uFFFDte"}));
  EXPECT_EQ(doc->warnings,
            (std::vector<std::string>{"invalid UTF-8 at HTML source line 3, replaced"}));
}

TEST(HtmlReaderTest, PathologicalNestingIsRefusedQuickly) {
  // Each of these makes gumbo quadratic: 1 MB of <div> alone takes it 108 s.
  std::string divs;
  for (int i = 0; i < 200'000; ++i) divs += "<div>";
  std::string formatting;
  for (int i = 0; i < 3000; ++i) formatting += "<div><b a=" + std::to_string(i) + "></div>";
  for (int i = 0; i < 3000; ++i) formatting += "<div>x</div>";
  std::string attributes = "<p";
  for (int i = 0; i < 100'000; ++i) attributes += " a" + std::to_string(i);
  std::string stray_ends;
  for (int i = 0; i < 100'000; ++i) stray_ends += "<span><div></span>";
  for (const std::string* html : {&divs, &formatting, &attributes, &stray_ends}) {
    const auto start = std::chrono::steady_clock::now();
    auto got = ReadDocument(*html);
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(got.ok()) << html->substr(0, 40);
    EXPECT_EQ(got.status().code(), StatusCode::kParseError);
    EXPECT_THAT(got.status().message(), HasSubstr("HTML"));
    EXPECT_LT(took, std::chrono::seconds(2)) << got.status().message();
  }
}

TEST(HtmlReaderTest, DeepButAcceptedNestingIsReadAsFlatTextWithAWarning) {
  std::string tables = "<html><body>";
  for (int i = 0; i < 200; ++i) tables += "<span><table><tr><td>";
  std::string divs;
  for (int i = 0; i < 900; ++i) divs += "<div>";
  for (const std::string& html : {tables, divs}) {
    auto doc = ReadDocument(html + "deep <b>text</b>");
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    EXPECT_EQ(doc->lines, (std::vector<std::string>{"deep text"}));
    ASSERT_EQ(doc->warnings.size(), 1u);
    EXPECT_THAT(doc->warnings[0], HasSubstr("nested more than 256 levels"));
  }
}

TEST(HtmlReaderTest, ReadsRandomTagSoupWithoutTrouble) {
  const char* pieces[] = {"<p>",
                          "</p>",
                          "<div>",
                          "</div>",
                          "<table>",
                          "<tr>",
                          "<td>",
                          "</td>",
                          "<li>",
                          "<ul>",
                          "</ul>",
                          "<b>",
                          "</b>",
                          "<a href=x>",
                          "</a>",
                          "<br>",
                          "<pre>",
                          "</pre>",
                          "<svg>",
                          "<math>",
                          "<select>",
                          "<option>",
                          "<script>",
                          "</script>",
                          "&amp;",
                          "&#0;",
                          "text ",
                          "\n",
                          "<!--",
                          "-->",
                          "<font color=red>",
                          "</font>",
                          "<h2>",
                          "<template>",
                          "</html>"};
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::string html = "<html><body>";
    for (int k = 0; k < 300; ++k) html += pieces[rng() % std::size(pieces)];
    auto doc = ReadDocument(html);
    if (!doc.ok()) {
      EXPECT_EQ(doc.status().code(), StatusCode::kParseError);
      continue;
    }
    for (const std::string& l : doc->lines) EXPECT_TRUE(text::IsValidUtf8(l));
  }
}

// ---------------------------------------------------------------------------------------------

TEST(PdfReaderTest, RandomBytesAfterTheHeaderAreAClearError) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    auto got = ReadDocument("%PDF-1.4\n" + RandomBytes(2000, seed));
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kParseError);
    EXPECT_THAT(got.status().message(), HasSubstr("not a readable PDF"));
  }
}

TEST(PdfReaderTest, HeaderAloneIsAClearError) {
  auto got = ReadDocument("%PDF-1.7\n%%EOF\n");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.status().message(), HasSubstr("not a readable PDF (truncated or damaged)"));
}

// The seed documents, converted in the test to HTML (by TextToHtml) and to PDF (by weasyprint,
// from that HTML), must read as the same lines as the text.
//
// weasyprint needs ~2 s for both seeds (mostly start-up), and ctest runs every test in a process
// of its own, so the PDFs are kept in a cache directory named by the SHA-256 of their HTML: only
// the first process, or the first run after the HTML changes, converts.
class SeedConversionTest : public ::testing::Test {
 protected:
  struct Seed {
    std::string name;
    std::string text;
    std::string html;
    std::string pdf;  // empty when weasyprint is not available
  };

  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    seeds_ = std::make_unique<std::vector<Seed>>();
    for (const std::string& path : {kSeed000, kSeed003}) {
      Seed s;
      s.name = fs::path(path).stem().string();
      s.text = ReadBytes(path);
      s.html = TextToHtml(Lines(s.text));
      WriteBytes(dir_->path() / (s.name + ".html"), s.html);
      seeds_->push_back(std::move(s));
    }
    const fs::path cache = fs::temp_directory_path() / "octopus-reader-test-cache";
    std::error_code ec;
    fs::create_directories(cache, ec);
    std::string convert;
    for (const Seed& s : *seeds_) {
      const fs::path pdf = cache / (Sha256Hex(s.html) + ".pdf");
      if (ReadBytes(pdf).starts_with("%PDF-")) continue;
      // Written under a temporary name and renamed, so a parallel test never reads half a file.
      const fs::path part = pdf.string() + "." + std::to_string(getpid()) + ".part";
      convert += "(weasyprint " + Quoted(dir_->path() / (s.name + ".html")) + " " + Quoted(part) +
                 " >/dev/null 2>&1 && mv -f " + Quoted(part) + " " + Quoted(pdf) + ") & ";
    }
    have_weasyprint_ = HaveTool("weasyprint");
    if (!convert.empty() && have_weasyprint_) {
      // Both conversions at once; a failed one shows as a missing PDF below.
      [[maybe_unused]] const int status = std::system(("(" + convert + "wait)").c_str());
    }
    for (Seed& s : *seeds_) {
      const fs::path pdf = cache / (Sha256Hex(s.html) + ".pdf");
      s.pdf = ReadBytes(pdf);
      WriteBytes(dir_->path() / (s.name + ".pdf"), s.pdf);
    }
  }

  static void TearDownTestSuite() {
    seeds_.reset();
    dir_.reset();
  }

  static const std::vector<Seed>& seeds() { return *seeds_; }
  static const fs::path& dir() { return dir_->path(); }

  static bool HavePdfs() {
    return std::all_of(seeds_->begin(), seeds_->end(),
                       [](const Seed& s) { return s.pdf.starts_with("%PDF-"); });
  }

  static inline bool have_weasyprint_ = false;

 private:
  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<std::vector<Seed>> seeds_;
};

// The PDF half: skipped without weasyprint, failed when weasyprint made no PDF.
class SeedPdfTest : public SeedConversionTest {
 protected:
  void SetUp() override {
    if (!have_weasyprint_) GTEST_SKIP() << "weasyprint is not available";
    ASSERT_TRUE(HavePdfs()) << "weasyprint did not convert the seeds (see " << dir() << ")";
  }
};

// PDF lines joined where weasyprint wrapped them: a line continues the one before unless an empty
// line (a block boundary) comes between, or it starts a new table row (a TAB after some text).
// A line starting with a TAB continues a table cell. A break after a hyphen inside a word or
// after '/' joins without a space.
std::vector<std::string> Unwrap(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  bool open = false;
  auto join = [](std::string& a, std::string_view b) {
    while (!a.empty() && a.back() == ' ') a.pop_back();
    const bool glue = (a.size() > 1 && a.back() == '-' && a[a.size() - 2] != ' ') ||
                      (!a.empty() && a.back() == '/');
    if (!glue) a.push_back(' ');
    a += text::Trim(b);
  };
  for (const std::string& l : lines) {
    if (text::Trim(l).empty()) {
      open = false;
      continue;
    }
    const bool continues_cell = l[0] == '\t';
    const bool new_row = !continues_cell && l.find('\t') != std::string::npos;
    if (open && (continues_cell || (!new_row && out.back().find('\t') == std::string::npos))) {
      join(out.back(), continues_cell ? std::string_view(l).substr(1) : std::string_view(l));
    } else {
      out.push_back(l);
    }
    open = true;
  }
  return out;
}

TEST_F(SeedConversionTest, SeedTextIsReadAsText) {
  for (const Seed& s : seeds()) {
    auto doc = ReadDocument(s.text);
    ASSERT_TRUE(doc.ok()) << s.name;
    EXPECT_EQ(doc->format, Format::kText) << s.name;
    EXPECT_EQ(doc->lines,
              Lines(s.text.ends_with('\n') ? s.text.substr(0, s.text.size() - 1) : s.text))
        << s.name;
    EXPECT_TRUE(doc->warnings.empty()) << s.name;
  }
}

TEST_F(SeedConversionTest, HtmlReadsAsTheSameNonEmptyLinesAsTheText) {
  for (const Seed& s : seeds()) {
    auto doc = ReadDocument(s.html);
    ASSERT_TRUE(doc.ok()) << s.name << ": " << doc.status().message();
    EXPECT_EQ(doc->format, Format::kHtml);
    EXPECT_FALSE(doc->truncated);
    EXPECT_EQ(NonEmptyNormalized(doc->lines), NonEmptyNormalized(Lines(s.text))) << s.name;
    // Blocks stay separated by exactly one empty line.
    for (size_t i = 1; i < doc->lines.size(); ++i) {
      EXPECT_FALSE(doc->lines[i].empty() && doc->lines[i - 1].empty()) << s.name << " " << i;
    }
  }
}

TEST_F(SeedPdfTest, PdfKeepsEveryCharacterInReadingOrder) {
  for (const Seed& s : seeds()) {
    auto doc = ReadDocument(s.pdf);
    ASSERT_TRUE(doc.ok()) << s.name << ": " << doc.status().message();
    EXPECT_EQ(doc->format, Format::kPdf);
    EXPECT_FALSE(doc->truncated);
    EXPECT_TRUE(doc->warnings.empty());
    const std::string want = NonWhitespace(Lines(s.text));
    const std::string got = NonWhitespace(doc->lines);
    const auto diff = std::mismatch(want.begin(), want.end(), got.begin(), got.end());
    EXPECT_EQ(got, want) << s.name << ": first difference at character "
                         << (diff.first - want.begin());
  }
}

TEST_F(SeedPdfTest, PdfKeepsAtLeast95PercentOfLinesOnceUnwrapped) {
  for (const Seed& s : seeds()) {
    auto doc = ReadDocument(s.pdf);
    ASSERT_TRUE(doc.ok()) << s.name;
    // Compared with whitespace and TABs alike: a wide gap may show as a TAB (checked below).
    auto flatten = [](std::vector<std::string> lines) {
      for (std::string& l : lines) std::replace(l.begin(), l.end(), '\t', ' ');
      return NonEmptyNormalized(lines);
    };
    const std::vector<std::string> want = flatten(Lines(s.text));
    const std::vector<std::string> got_lines = flatten(Unwrap(doc->lines));
    std::vector<std::string> got = got_lines;
    std::sort(got.begin(), got.end());
    size_t found = 0;
    for (const std::string& l : want) found += std::binary_search(got.begin(), got.end(), l);
    const double share = static_cast<double>(found) / static_cast<double>(want.size());
    RecordProperty(s.name + "_lines_found_permille", static_cast<int>(share * 1000));
    std::printf("[ measure  ] %s: %zu of %zu text lines are PDF lines (%.1f%%)\n", s.name.c_str(),
                found, want.size(), 100 * share);
    EXPECT_GE(share, 0.95) << s.name;
  }
}

TEST_F(SeedPdfTest, PdfTableRowsKeepTheirCellsApartWithATab) {
  const Seed& s = seeds()[1];  // 003, the quarterly update with its inventory tables
  auto doc = ReadDocument(s.pdf);
  ASSERT_TRUE(doc.ok());
  std::vector<std::string> rows;
  for (const std::string& l : Lines(s.text)) {
    if (l.find('\t') != std::string::npos) rows.push_back(Normalize(l));
  }
  ASSERT_GT(rows.size(), 100u);
  std::vector<std::string> got = NonEmptyNormalized(Unwrap(doc->lines));
  std::sort(got.begin(), got.end());
  size_t found = 0;
  for (const std::string& r : rows) found += std::binary_search(got.begin(), got.end(), r);
  std::printf("[ measure  ] %s: %zu of %zu table rows read as PROJECT<TAB>... lines\n",
              s.name.c_str(), found, rows.size());
  EXPECT_GE(found * 100, rows.size() * 95);
  EXPECT_NE(std::find(doc->lines.begin(), doc->lines.end(),
                      "Octopus\tPublication of additional resources on the cyberviolence portal, "
                      "<i>online</i> , July"),
            doc->lines.end());
}

TEST_F(SeedPdfTest, FirstHalfOfAPdfIsAClearError) {
  for (const Seed& s : seeds()) {
    auto got = ReadDocument(std::string_view(s.pdf).substr(0, s.pdf.size() / 2));
    ASSERT_FALSE(got.ok()) << s.name;
    EXPECT_EQ(got.status().code(), StatusCode::kParseError);
    EXPECT_EQ(got.status().message(), "not a readable PDF (truncated or damaged)");
  }
}

TEST_F(SeedPdfTest, PdfWithoutItsEndMarkerIsReadButMarkedTruncated) {
  const std::string& pdf = seeds()[0].pdf;
  const size_t eof = pdf.rfind("%%EOF");
  ASSERT_NE(eof, std::string::npos);
  auto doc = ReadDocument(std::string_view(pdf).substr(0, eof));
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_TRUE(doc->truncated);
  EXPECT_FALSE(doc->lines.empty());
}

TEST_F(SeedPdfTest, PasswordProtectedPdfIsRefused) {
  if (!HaveTool("gs")) GTEST_SKIP() << "ghostscript is not available";
  const fs::path in = dir() / (seeds()[0].name + ".pdf");
  const fs::path out = dir() / "locked.pdf";
  const std::string cmd =
      "gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sOwnerPassword=owner "
      "-sUserPassword=user -dFirstPage=1 -dLastPage=1 -sOutputFile=" +
      Quoted(out) + " " + Quoted(in) + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto got = ReadDocument(ReadBytes(out));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kParseError);
  EXPECT_EQ(got.status().message(), "PDF is password-protected");
}

// ---------------------------------------------------------------------------------------------
// The two small units beside the readers.

TEST(Sha256Test, MatchesTheStandardTestVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string("a\0b", 3)).size(), 64u);
}

Extraction SampleExtraction() {
  Extraction e;
  e.document = {"seeds/003.txt", "abc",        "text", "quarterly_update",
                "2023-07-01",    "2023-09-30", false, "", {}, {}, "", "", {}, {}, {}};
  Record r;
  r.kind = "activity";
  r.line = 424;
  r.fields = {{"project", "GLACY+"}, {"start", "2023-07-03"}, {"end", nullptr}};
  e.records.push_back(r);
  e.records.push_back(Record{"activity", 425, nlohmann::json::object()});
  e.records.push_back(Record{"news_item", 60, {{"title", "Japan ratifies"}}});
  e.not_understood.push_back({12, "Follow us"});
  e.disagreements.push_back({"JP 224 entry into force", "2023-11-01", "2023-12-01", 66});
  return e;
}

TEST(DocumentJsonTest, HasTheStableReportShape) {
  const nlohmann::json j = ToJson(SampleExtraction());
  const nlohmann::json want = nlohmann::json::parse(R"({
    "document": {"path": "seeds/003.txt", "sha256": "abc", "format": "text",
                 "shape": "quarterly_update",
                 "period": {"start": "2023-07-01", "end": "2023-09-30"}, "truncated": false,
                 "title": null, "warnings": [], "date": null, "date_basis": null,
                 "source_url": null, "recognisers": [], "original": null},
    "records": [
      {"kind": "activity", "line": 424, "project": "GLACY+", "start": "2023-07-03", "end": null},
      {"kind": "activity", "line": 425},
      {"kind": "news_item", "line": 60, "title": "Japan ratifies"}],
    "not_understood": [{"line": 12, "text": "Follow us"}],
    "disagreements": [{"what": "JP 224 entry into force", "document_value": "2023-11-01",
                       "registry_value": "2023-12-01", "line": 66}]})");
  EXPECT_EQ(j, want) << j.dump(2);
}

TEST(DocumentJsonTest, WrittenRecordByRecordItIsTheSameTextAsTheWholeReport) {
  Extraction e;
  e.document.path = "news.html";
  e.document.shape = "news_page";
  e.document.date = "2024-06";
  e.records.push_back({"treaty_action", 3, {{"state", "FJ"}, {"action", "accession"}, {"line", 99}}});
  e.records.push_back({"link", 5, {{"caption", "Agenda \u2013 PDF"}}});
  e.not_understood.push_back({7, "Share this page"});
  e.disagreements.push_back({"FJ ETS 185 entry into force", "2024-10-01", "2024-11-01", 3});
  const nlohmann::json extra = {{"stored", false}, {"duplicate", true}, {"records", "replaced"}};
  nlohmann::json whole = extra;
  whole.update(ToJson(e));
  std::ostringstream streamed;
  WriteJson(streamed, e, extra);
  EXPECT_EQ(streamed.str(), whole.dump());
  std::ostringstream bare;
  WriteJson(bare, Extraction{});
  EXPECT_EQ(bare.str(), ToJson(Extraction{}).dump());
}

TEST(DocumentJsonTest, WrittenRecordsKeepTheKeyOrderAndEscapesOfTheWholeReport) {
  Extraction e;
  // Keys around "kind" and "line", fields named like them (the record's own win), every kind of
  // value, and strings that need escaping or carry non-ASCII text.
  e.records.push_back({"activity", 12,
                       {{"aa", "quote \" and backslash \\ and tab \t"},
                        {"kind", "overridden"},
                        {"kinds", nlohmann::json::array({1, 2.5, -3, true, nullptr})},
                        {"l", "\u00e9t\u00e9 \u2013 \x01"},
                        {"line", 999},
                        {"lines", {{"z", {{"nested", "plain"}}}, {"a", nlohmann::json::array()}}},
                        {"zz", 0.1},
                        {"\u00e9", "key of non-ASCII"}}});
  e.records.push_back({"link", 1, nlohmann::json::array({"fields", "not an object"})});
  e.records.push_back({"news_item", -2, nullptr});
  e.records.push_back({"project", 3, nlohmann::json::object()});
  std::ostringstream streamed;
  WriteJson(streamed, e);
  EXPECT_EQ(streamed.str(), ToJson(e).dump());
}

TEST(DocumentJsonTest, PeriodIsNullWithoutOne) {
  Extraction e;
  e.document.format = FormatName(Format::kHtml);
  const nlohmann::json j = ToJson(e);
  EXPECT_TRUE(j["document"]["period"].is_null());
  EXPECT_EQ(j["document"]["format"], "html");
  EXPECT_TRUE(j["records"].is_array() && j["records"].empty());
}

TEST(DocumentTextTest, SummarisesCountsThenWhatWasNotUnderstood) {
  EXPECT_EQ(ToText(SampleExtraction()),
            "seeds/003.txt: text, quarterly_update, period 2023-07-01 to 2023-09-30\n"
            "records: 2 activity, 1 news_item\n"
            "not understood:\n"
            "  L12: Follow us\n"
            "disagreements:\n"
            "  L66: JP 224 entry into force: document says 2023-11-01, registry says 2023-12-01\n");
}

TEST(DocumentTextTest, FormatNamesAreStable) {
  EXPECT_STREQ(FormatName(Format::kText), "text");
  EXPECT_STREQ(FormatName(Format::kHtml), "html");
  EXPECT_STREQ(FormatName(Format::kPdf), "pdf");
}

}  // namespace
}  // namespace octopus::ingest
