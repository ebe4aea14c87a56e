#include "publish/markdown.h"

#include <gtest/gtest.h>

namespace octopus::publish {
namespace {

TEST(MarkdownTest, ATableRendersAsAnHtmlTable) {
  const std::string html = RenderMarkdown(
      "| Treaty | Status |\n|---|---|\n| ETS 185 | ratified |\n");
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_NE(html.find("<th>Treaty</th>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>ETS 185</td>"), std::string::npos) << html;
}

TEST(MarkdownTest, StrikethroughAndAutolinksRender) {
  const std::string html = RenderMarkdown("~~old~~ see https://www.coe.int/cybercrime\n");
  EXPECT_NE(html.find("<del>old</del>"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"https://www.coe.int/cybercrime\">"), std::string::npos) << html;
}

TEST(MarkdownTest, RawHtmlScriptIsStripped) {
  const std::string html =
      RenderMarkdown("Before\n\n<script>alert(1)</script>\n\nInline <script>x()</script> too\n");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_NE(html.find("Before"), std::string::npos) << html;
}

TEST(MarkdownTest, JavascriptLinksLoseTheirTarget) {
  const std::string html = RenderMarkdown("[click](javascript:alert(1)) and [ok](https://example.org)\n");
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("click"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"https://example.org\""), std::string::npos) << html;
}

TEST(MarkdownTest, EmptyInputGivesEmptyOutput) { EXPECT_EQ(RenderMarkdown(""), ""); }

}  // namespace
}  // namespace octopus::publish
