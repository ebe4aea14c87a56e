#include "web/svg_plot.h"

#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace octopus::web {
namespace {

using domain::Date;
using treaty::Range;
using treaty::TimelinePoint;

Date D(int y, int m, int d) { return *Date::Make(y, m, d); }

PlotOptions Options() {
  PlotOptions o;
  o.start = D(2001, 11, 23);
  o.end = D(2012, 1, 1);
  o.title = "Parties";
  return o;
}

/// Every element opened is closed, in order (the subset of XML the plot writes).
bool WellFormed(const std::string& svg) {
  std::vector<std::string> open;
  const std::regex tag(R"(<(/?)([a-z]+)[^>]*?(/?)>)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator();
       ++it) {
    const auto& m = *it;
    if (m[3] == "/") continue;
    if (m[1] == "/") {
      if (open.empty() || open.back() != m[2]) return false;
      open.pop_back();
    } else {
      open.push_back(m[2]);
    }
  }
  return open.empty();
}

/// The "d" attribute of each path of a class.
std::vector<std::string> Paths(const std::string& svg, const std::string& group) {
  std::vector<std::string> out;
  const size_t g = svg.find("<g class=\"" + group + "\">");
  const size_t end = svg.find("</g>", g);
  const std::regex path(R"re(<path class="plot-(line|band)" d="([^"]*)")re");
  const std::string part = svg.substr(g, end - g);
  for (auto it = std::sregex_iterator(part.begin(), part.end(), path); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1].str() + ":" + (*it)[2].str());
  }
  return out;
}

TEST(SvgPlotTest, NoPointsSaysSo) {
  const std::string svg = PartiesPlot({}, Options());
  EXPECT_TRUE(WellFormed(svg));
  EXPECT_NE(svg.find("No consent on record"), std::string::npos);
  EXPECT_NE(svg.find("no consent on record."), std::string::npos);  // in <desc>
  EXPECT_EQ(svg.find("plot-band"), std::string::npos);
}

TEST(SvgPlotTest, ExactCountsAreOneLineEachWithoutBand) {
  const std::vector<TimelinePoint> points = {
      {D(2002, 3, 1), {1, 1}, {0, 0}},
      {D(2004, 7, 1), {5, 5}, {5, 5}},
      {D(2011, 6, 1), {31, 31}, {30, 30}},
  };
  const std::string svg = PartiesPlot(points, Options());
  EXPECT_TRUE(WellFormed(svg)) << svg;
  EXPECT_EQ(svg.find("plot-band"), std::string::npos);
  EXPECT_EQ(svg.find("leave the count open"), std::string::npos);
  const auto consents = Paths(svg, "plot-consents");
  ASSERT_EQ(consents.size(), 1u);
  // Starts at 0 on the left edge, ends at the right edge (720 - 14).
  EXPECT_EQ(consents[0].rfind("line:M44.0,", 0), 0u) << consents[0];
  EXPECT_NE(consents[0].find("L706.0,"), std::string::npos);
  EXPECT_NE(svg.find("consents deposited 31, in force for 30 at the end."), std::string::npos);
  // The y axis reaches a round number above the maximum: 31 → steps of 10 up to 40.
  EXPECT_NE(svg.find(">40</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">50</text>"), std::string::npos);
  // Year ticks from the first whole year.
  EXPECT_NE(svg.find(">2002</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">2001</text>"), std::string::npos);
}

TEST(SvgPlotTest, RangesGetABandBetweenTwoLines) {
  const std::vector<TimelinePoint> points = {
      {D(2002, 3, 1), {1, 1}, {0, 0}},
      {D(2007, 2, 2), {1, 12}, {1, 1}},
      {D(2011, 6, 1), {31, 31}, {16, 30}},
  };
  const std::string svg = PartiesPlot(points, Options());
  EXPECT_TRUE(WellFormed(svg));
  const auto consents = Paths(svg, "plot-consents");
  ASSERT_EQ(consents.size(), 3u);
  EXPECT_EQ(consents[0].rfind("band:", 0), 0u);
  EXPECT_NE(consents[0].find(" Z"), std::string::npos);
  EXPECT_NE(consents[1], consents[2]);
  EXPECT_EQ(Paths(svg, "plot-in-force").size(), 3u);
  EXPECT_NE(svg.find("leave the count open"), std::string::npos);
  EXPECT_NE(svg.find("in force for 16-30 at the end"), std::string::npos);
}

TEST(SvgPlotTest, StepsRiseAtTheirDates) {
  PlotOptions o = Options();
  o.start = D(2000, 1, 1);
  o.end = D(2010, 1, 1);  // 3653 days over 662 px
  o.width = 720;
  const std::vector<TimelinePoint> points = {{D(2005, 1, 1), {2, 2}, {0, 0}}};
  const auto consents = Paths(PartiesPlot(points, o), "plot-consents");
  ASSERT_EQ(consents.size(), 1u);
  // 2005-01-01 is day 1827 of 3653: x = 44 + 1827/3653 * 662 = 375.1.
  EXPECT_NE(consents[0].find("L375.1,"), std::string::npos) << consents[0];
}

TEST(SvgPlotTest, PointsOutsideTheRangeAreClipped) {
  PlotOptions o = Options();
  o.start = D(2005, 1, 1);
  o.end = D(2006, 1, 1);
  const std::vector<TimelinePoint> points = {
      {D(2004, 1, 1), {3, 3}, {3, 3}},   // before: the count at the left edge
      {D(2007, 1, 1), {90, 90}, {90, 90}},  // after: not drawn, not scaled for
  };
  const std::string svg = PartiesPlot(points, o);
  const auto consents = Paths(svg, "plot-consents");
  ASSERT_EQ(consents.size(), 1u);
  EXPECT_EQ(consents[0].find(" L", consents[0].find(" L") + 1), std::string::npos)
      << "a flat line has two vertices: " << consents[0];
  EXPECT_EQ(svg.find(">90</text>"), std::string::npos);
  EXPECT_NE(svg.find("consents deposited 3"), std::string::npos);
}

TEST(SvgPlotTest, MarkerOnlyInsideTheRange) {
  PlotOptions o = Options();
  o.marker = D(2011, 6, 1);
  EXPECT_NE(PartiesPlot({}, o).find("plot-marker"), std::string::npos);
  EXPECT_NE(PartiesPlot({}, o).find(">2011-06-01</text>"), std::string::npos);
  o.marker = D(1999, 1, 1);
  EXPECT_EQ(PartiesPlot({}, o).find("plot-marker"), std::string::npos);
}

TEST(SvgPlotTest, TextIsEscapedAndOutputDeterministic) {
  PlotOptions o = Options();
  o.title = "<script>&\"";
  const std::string svg = PartiesPlot({}, o);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"plot-title\">&lt;script&gt;&amp;&quot;</title>"), std::string::npos);
  EXPECT_EQ(svg, PartiesPlot({}, o));
}

TEST(SvgPlotTest, DegenerateRangeIsWidened) {
  PlotOptions o = Options();
  o.end = o.start;
  const std::string svg = PartiesPlot({{o.start, {1, 1}, {1, 1}}}, o);
  EXPECT_TRUE(WellFormed(svg));
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

}  // namespace
}  // namespace octopus::web
