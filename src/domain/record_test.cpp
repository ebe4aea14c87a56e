// Records read into facts: reduced dates, fuzzy activity dates shown as the
// source says them, and fields of the wrong shape ignored rather than guessed.
#include "domain/record.h"

#include <gtest/gtest.h>

namespace octopus::domain {
namespace {

RecordFacts Read(std::string_view kind, std::string_view json) {
  auto r = ReadRecord(kind, json);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : RecordFacts{};
}

TEST(ReducedDateTest, DayMonthAndYearCoverTheirDays) {
  auto day = ReducedDate::Parse("2011-04-27");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(day->first.ToIso(), "2011-04-27");
  EXPECT_EQ(day->last.ToIso(), "2011-04-27");
  auto month = ReducedDate::Parse("2024-02");
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(month->precision, Precision::kMonth);
  EXPECT_EQ(month->last.ToIso(), "2024-02-29");
  auto year = ReducedDate::Parse("2023");
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(year->last.ToIso(), "2023-12-31");
  for (const char* bad : {"", "2023-13", "2023-1", "23", "2023-02-30", "October", "2023-10-"}) {
    EXPECT_FALSE(ReducedDate::Parse(bad).ok()) << bad;
  }
}

struct WhenCase {
  const char* fields;
  const char* shown;
  const char* lo;  // "" when undated
  const char* hi;
};

TEST(DescribeWhenTest, FuzzyActivityDatesReadAsTheSourceSaysThem) {
  const WhenCase cases[] = {
      {R"({"start":"2011-04-27","end":"2011-04-29","precision":"day"})", "27\u201329 April 2011",
       "2011-04-27", "2011-04-29"},
      {R"({"start":"2023-11-29","end":"2023-12-01","precision":"day"})",
       "29 November \u2013 1 December 2023", "2023-11-29", "2023-12-01"},
      {R"({"start":"2023-10-05","end":null,"precision":"day"})", "5 October 2023", "2023-10-05",
       "2023-10-05"},
      {R"({"start":null,"end":"2023-10","precision":"by"})", "by October 2023", "2023-10-01",
       "2023-10-31"},
      {R"({"start":"2023-11","end":"2023-11","precision":"mid"})", "mid-November 2023",
       "2023-11-01", "2023-11-30"},
      {R"({"start":"2023-10","end":null,"precision":"month"})", "October 2023", "2023-10-01",
       "2023-10-31"},
      {R"({"start":"2023-07","end":"2023-09","precision":"range"})", "July\u2013September 2023",
       "2023-07-01", "2023-09-30"},
      {R"({"start":"2023-12","end":null,"precision":"tbc"})", "December 2023 (TBC)", "2023-12-01",
       "2023-12-31"},
      {R"({"start":null,"end":null,"precision":"tbc"})", "TBC", "", ""},
      {R"({"title":"x"})", "date not given", "", ""},
  };
  for (const WhenCase& c : cases) {
    const RecordFacts r = Read("activity", c.fields);
    EXPECT_EQ(DescribeWhen(r), c.shown) << c.fields;
    EXPECT_EQ(r.lo ? r.lo->ToIso() : "", c.lo) << c.fields;
    EXPECT_EQ(r.hi ? r.hi->ToIso() : "", c.hi) << c.fields;
  }
}

TEST(ReadRecordTest, NewsItemGivesItsTextPlacesAndTags) {
  const RecordFacts r = Read("news_item", R"j({
    "title": "Pacific regional workshop on cybercrime (Tonga, 27-29 April 2011)",
    "date": "2011-04-29", "place": "Nuku'alofa", "event_place": "Tonga",
    "countries": ["TO"], "projects": ["Global Project on Cybercrime"], "treaties": ["ETS 185"],
    "body": "Line one\nline two\u0002"})j");
  EXPECT_EQ(r.title, "Pacific regional workshop on cybercrime (Tonga, 27-29 April 2011)");
  EXPECT_EQ(r.sort_date(), "2011-04-29");
  EXPECT_EQ(r.year(), 2011);
  EXPECT_EQ(r.countries, std::vector<std::string>{"TO"});
  EXPECT_EQ(r.treaties, std::vector<std::string>{"ETS 185"});
  EXPECT_EQ(r.places, (std::vector<std::string>{"Nuku'alofa", "Tonga"}));
  EXPECT_EQ(r.summary, "Line one line two");
  // Newlines become spaces; control characters are dropped.
  EXPECT_NE(r.body.find("Line one line two"), std::string::npos);
  EXPECT_EQ(r.body.find('\x02'), std::string::npos);
}

TEST(ReadRecordTest, APlaceGivenTwiceIsKeptOnce) {
  const RecordFacts r = Read(
      "news_item", R"({"title":"t","place":"EBENE, MAURITIUS","event_place":"Ebene, Mauritius"})");
  EXPECT_EQ(r.places, std::vector<std::string>{"EBENE, MAURITIUS"});
}

TEST(ReadRecordTest, WrongShapesAreIgnoredAndANameIsAlwaysGiven) {
  const RecordFacts r = Read("project", R"({"name": 7, "start": "soon", "countries": "TR"})");
  EXPECT_EQ(r.title, "Untitled project");
  EXPECT_FALSE(r.start.has_value());
  EXPECT_TRUE(r.countries.empty());
  EXPECT_EQ(r.year(), 0);
  EXPECT_FALSE(ReadRecord("project", "[1, 2]").ok());
  EXPECT_FALSE(ReadRecord("project", "{").ok());
  EXPECT_EQ(Read("link", R"({"caption": "Agenda"})").title, "Agenda");
}

TEST(ReadRecordTest, OnlyNewsActivitiesAndProjectsAreSearchable) {
  EXPECT_TRUE(IsSearchableKind("news_item"));
  EXPECT_TRUE(IsSearchableKind("activity"));
  EXPECT_TRUE(IsSearchableKind("project"));
  EXPECT_FALSE(IsSearchableKind("link"));
  EXPECT_FALSE(IsSearchableKind("treaty_action"));
  EXPECT_EQ(KindLabel("news_item"), "news");
}

}  // namespace
}  // namespace octopus::domain
