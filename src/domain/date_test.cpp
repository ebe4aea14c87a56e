// Civil dates: construction, strict parsing, day arithmetic, months, names and spans.
#include "domain/date.h"

#include <gtest/gtest.h>

#include <string>

namespace octopus::domain {
namespace {

Date D(const char* iso) {
  auto d = Date::Parse(iso);
  EXPECT_TRUE(d.ok()) << iso << ": " << d.status().message();
  return d.ok() ? *d : Date();
}

TEST(DateTest, DefaultIsTheEpoch) {
  EXPECT_EQ(Date().ToIso(), "1970-01-01");
  EXPECT_EQ(Date().days(), 0);
}

struct MakeCase {
  int y, m, d;
  bool valid;
};

TEST(DateTest, MakeAcceptsOnlyRealCalendarDays) {
  const MakeCase cases[] = {
      {2011, 6, 1, true},   {2011, 2, 28, true},  {2011, 2, 29, false},  // not a leap year
      {2012, 2, 29, true},                                               // leap year
      {1900, 2, 29, false},                                              // century, not a leap year
      {2000, 2, 29, true},                                               // divisible by 400
      {2011, 4, 30, true},  {2011, 4, 31, false}, {2011, 12, 31, true}, {2011, 1, 32, false},
      {2011, 1, 0, false},  {2011, 0, 1, false},  {2011, 13, 1, false}, {2011, -1, 1, false},
      {1, 1, 1, true},      {9999, 12, 31, true}, {0, 1, 1, false},     {10000, 1, 1, false}};
  for (const MakeCase& c : cases) {
    const auto date = Date::Make(c.y, c.m, c.d);
    EXPECT_EQ(date.has_value(), c.valid) << c.y << "-" << c.m << "-" << c.d;
    if (date) {
      EXPECT_EQ(date->year(), c.y);
      EXPECT_EQ(date->month(), c.m);
      EXPECT_EQ(date->day(), c.d);
    }
  }
}

TEST(DateTest, ParseReadsAStrictIsoDay) {
  const auto d = Date::Parse("2011-09-01");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year(), 2011);
  EXPECT_EQ(d->month(), 9);
  EXPECT_EQ(d->day(), 1);
  EXPECT_EQ(d->ToIso(), "2011-09-01");
}

struct BadParseCase {
  const char* text;
  const char* message_part;  ///< what the error says
};

void ExpectParseError(const BadParseCase& c) {
  const auto d = Date::Parse(c.text);
  ASSERT_FALSE(d.ok()) << c.text;
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find(c.message_part), std::string::npos) << d.status().message();
  EXPECT_NE(d.status().message().find("'" + std::string(c.text) + "'"), std::string::npos)
      << d.status().message();
}

TEST(DateTest, ParseRejectsDaysThatDoNotExistAndNamesTheText) {
  const BadParseCase cases[] = {{"2011-02-29", "no such date"}, {"2011-02-30", "no such date"},
                                {"2011-13-01", "no such date"}, {"2011-00-10", "no such date"},
                                {"2011-04-31", "no such date"}, {"2011-06-00", "no such date"},
                                {"0000-01-01", "no such date"}};
  for (const BadParseCase& c : cases) ExpectParseError(c);
}

TEST(DateTest, ParseRejectsAnythingButYyyyMmDdAndNamesTheText) {
  const BadParseCase cases[] = {{"", "malformed date"},
                                {"2011-6-1", "malformed date"},
                                {"2011-06-1", "malformed date"},
                                {"2011/06/01", "malformed date"},
                                {"20110601", "malformed date"},
                                {"01-06-2011", "malformed date"},
                                {"01/06/2011", "malformed date"},
                                {" 2011-06-01", "malformed date"},
                                {"2011-06-01 ", "malformed date"},
                                {"2011-06-01T00:00", "malformed date"},
                                {"2011-06", "malformed date"},
                                {"2011", "malformed date"},
                                {"+011-06-01", "malformed date"},
                                {"-011-06-01", "malformed date"},
                                {"2011-0a-01", "malformed date"},
                                {"2011-06-+1", "malformed date"},
                                {"2011-06- 1", "malformed date"},
                                {"２０１１-06-01", "malformed date"},
                                {"1 June 2011", "malformed date"}};
  for (const BadParseCase& c : cases) ExpectParseError(c);
}

TEST(DateTest, ParseRejectsEmbeddedNul) {
  EXPECT_FALSE(Date::Parse(std::string_view("2011-06-0\0", 10)).ok());
}

struct DaysCase {
  const char* iso;
  int64_t days;
};

TEST(DateTest, DaysCountsFromTheEpochBothWays) {
  const DaysCase cases[] = {{"1970-01-01", 0},      {"1970-01-02", 1},     {"1969-12-31", -1},
                            {"1900-01-01", -25567}, {"2000-03-01", 11017}, {"2001-11-23", 11649},
                            {"2004-07-01", 12600},  {"2038-01-19", 24855}, {"0001-01-01", -719162},
                            {"9999-12-31", 2932896}};
  for (const DaysCase& c : cases) {
    EXPECT_EQ(D(c.iso).days(), c.days) << c.iso;
    EXPECT_EQ(Date::FromDays(c.days).ToIso(), c.iso);
  }
}

TEST(DateTest, FromDaysAndDaysRoundTripEveryDayFrom1900To2100) {
  const Date first = D("1900-01-01");
  const Date last = D("2100-12-31");
  Date prev = first;
  int checked = 0;
  for (int64_t n = first.days(); n <= last.days(); ++n) {
    const Date d = Date::FromDays(n);
    ASSERT_EQ(d.days(), n) << d.ToIso();
    ASSERT_EQ(Date::FromDays(d.days()), d);
    ASSERT_TRUE(Date::Make(d.year(), d.month(), d.day()).has_value()) << d.ToIso();
    ASSERT_EQ(*Date::Parse(d.ToIso()), d);
    if (n > first.days()) {
      ASSERT_LT(prev, d);
      ASSERT_EQ(d.days() - prev.days(), 1);
      ASSERT_EQ(prev.AddDays(1), d);
      ASSERT_EQ(d.AddDays(-1), prev);
      // The next day is the next day of the month, or the 1st of the next month.
      if (d.day() == 1) {
        ASSERT_EQ(prev, prev.LastOfMonth());
        ASSERT_EQ(prev.FirstOfNextMonth(), d);
      } else {
        ASSERT_EQ(d.day(), prev.day() + 1);
        ASSERT_EQ(d.month(), prev.month());
      }
    }
    prev = d;
    ++checked;
  }
  EXPECT_EQ(checked, 73414);  // 201 years, 49 of them leap years (2000 is, 1900 and 2100 are not)
  EXPECT_EQ(prev, last);
}

TEST(DateTest, AddDaysCrossesMonthsYearsAndTheEpoch) {
  EXPECT_EQ(D("2012-02-28").AddDays(1).ToIso(), "2012-02-29");
  EXPECT_EQ(D("2011-02-28").AddDays(1).ToIso(), "2011-03-01");
  EXPECT_EQ(D("2011-12-31").AddDays(1).ToIso(), "2012-01-01");
  EXPECT_EQ(D("1970-01-01").AddDays(-1).ToIso(), "1969-12-31");
  EXPECT_EQ(D("2025-10-26").AddDays(90).ToIso(), "2026-01-24");
  EXPECT_EQ(D("2026-01-24").AddDays(-90).ToIso(), "2025-10-26");
  EXPECT_EQ(D("2011-06-01").AddDays(0), D("2011-06-01"));
}

struct AddMonthsCase {
  const char* from;
  int months;
  const char* expected;
};

TEST(DateTest, AddMonthsKeepsTheDayOrClampsToTheEndOfAShorterMonth) {
  const AddMonthsCase cases[] = {
      {"2012-11-30", 3, "2013-02-28"},  // clamped, common year
      {"2011-11-30", 3, "2012-02-29"},  // clamped, leap year
      {"2012-06-13", 3, "2012-09-13"},   {"2012-05-31", 1, "2012-06-30"},
      {"2012-01-31", 1, "2012-02-29"},   {"2011-01-31", 1, "2011-02-28"},
      {"2012-12-15", 1, "2013-01-15"},   {"2012-10-31", 3, "2013-01-31"},
      {"2012-02-29", 12, "2013-02-28"},  {"2012-02-29", 48, "2016-02-29"},
      {"2024-02-07", 60, "2029-02-07"},  {"2011-06-01", 0, "2011-06-01"},
      {"2013-03-31", -1, "2013-02-28"},  {"2013-01-15", -1, "2012-12-15"},
      {"2013-01-15", -13, "2011-12-15"}, {"2012-11-30", -9, "2012-02-29"}};
  for (const AddMonthsCase& c : cases) {
    EXPECT_EQ(D(c.from).AddMonths(c.months).ToIso(), c.expected) << c.from << " + " << c.months;
  }
}

TEST(DateTest, FirstOfNextMonthRollsDecemberIntoTheNextYear) {
  EXPECT_EQ(D("2011-06-01").FirstOfNextMonth().ToIso(), "2011-07-01");
  EXPECT_EQ(D("2011-06-30").FirstOfNextMonth().ToIso(), "2011-07-01");
  EXPECT_EQ(D("2012-02-29").FirstOfNextMonth().ToIso(), "2012-03-01");
  EXPECT_EQ(D("2011-12-01").FirstOfNextMonth().ToIso(), "2012-01-01");
  EXPECT_EQ(D("2011-12-31").FirstOfNextMonth().ToIso(), "2012-01-01");
}

TEST(DateTest, FirstAndLastOfMonth) {
  EXPECT_EQ(D("2012-02-13").FirstOfMonth().ToIso(), "2012-02-01");
  EXPECT_EQ(D("2012-02-13").LastOfMonth().ToIso(), "2012-02-29");
  EXPECT_EQ(D("2011-02-13").LastOfMonth().ToIso(), "2011-02-28");
  EXPECT_EQ(D("2011-12-01").LastOfMonth().ToIso(), "2011-12-31");
  EXPECT_EQ(D("2011-04-30").LastOfMonth().ToIso(), "2011-04-30");
}

TEST(DateTest, DaysInMonthAndLeapYears) {
  EXPECT_EQ(DaysInMonth(2011, 2), 28);
  EXPECT_EQ(DaysInMonth(2012, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2011, 4), 30);
  EXPECT_EQ(DaysInMonth(2011, 12), 31);
  EXPECT_EQ(DaysInMonth(2011, 0), 0);
  EXPECT_EQ(DaysInMonth(2011, 13), 0);
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_TRUE(IsLeapYear(2400));
  EXPECT_FALSE(IsLeapYear(2023));
}

struct WeekdayCase {
  const char* iso;
  int weekday;  ///< 0 = Monday … 6 = Sunday
};

TEST(DateTest, WeekdayNumbersDaysFromMonday) {
  const WeekdayCase cases[] = {{"2026-11-24", 1},  // a Tuesday
                               {"1970-01-01", 3},  // a Thursday
                               {"1969-12-31", 2},  // before the epoch
                               {"1969-12-29", 0}, {"1900-01-01", 0},
                               {"2001-11-23", 4},  // ETS 185 opened, Friday
                               {"2004-07-01", 3}, {"2024-12-29", 6}};
  for (const WeekdayCase& c : cases) EXPECT_EQ(D(c.iso).Weekday(), c.weekday) << c.iso;
}

TEST(DateTest, WeekdayAdvancesByOneEachDay) {
  Date d = D("1960-01-01");
  for (int i = 0; i < 800; ++i) {
    const Date next = d.AddDays(1);
    ASSERT_EQ(next.Weekday(), (d.Weekday() + 1) % 7) << next.ToIso();
    d = next;
  }
}

TEST(DateTest, ToIsoPadsEveryField) {
  EXPECT_EQ(D("0999-01-05").ToIso(), "0999-01-05");
  EXPECT_EQ(Date::Make(1, 2, 3)->ToIso(), "0001-02-03");
}

TEST(DateTest, ToLongEnglishWritesDayMonthNameYear) {
  EXPECT_EQ(D("2011-09-01").ToLongEnglish(), "1 September 2011");
  EXPECT_EQ(D("2024-12-25").ToLongEnglish(), "25 December 2024");
  EXPECT_EQ(D("2001-11-23").ToLongEnglish(), "23 November 2001");
  EXPECT_EQ(D("2004-01-10").ToLongEnglish(), "10 January 2004");
}

TEST(DateTest, ComparesChronologically) {
  EXPECT_LT(D("2011-06-01"), D("2011-06-02"));
  EXPECT_LT(D("2011-06-30"), D("2011-07-01"));
  EXPECT_LT(D("2011-12-31"), D("2012-01-01"));
  EXPECT_EQ(D("2011-06-01"), *Date::Make(2011, 6, 1));
  EXPECT_GT(D("2012-01-01"), D("2011-12-31"));
}

TEST(MonthNameTest, NamesMonthsOneToTwelveOnly) {
  EXPECT_EQ(MonthName(1), "January");
  EXPECT_EQ(MonthName(9), "September");
  EXPECT_EQ(MonthName(12), "December");
  EXPECT_EQ(MonthName(0), "");
  EXPECT_EQ(MonthName(13), "");
}

struct MonthNameCase {
  const char* text;
  int month;
};

TEST(MonthNameTest, ParseMonthNameReadsEnglishNamesAndAbbreviations) {
  const MonthNameCase cases[] = {
      {"January", 1},   {"february", 2}, {"MARCH", 3}, {"May", 5},  {"September", 9},
      {"December", 12}, {"Jan", 1},      {"Feb", 2},   {"Mar", 3},  {"Apr", 4},
      {"Jun", 6},       {"Jul", 7},      {"Aug", 8},   {"Sep", 9},  {"Sept", 9},
      {"Sept.", 9},     {"Oct", 10},     {"Nov", 11},  {"Dec", 12}, {" October ", 10}};
  for (const MonthNameCase& c : cases) EXPECT_EQ(ParseMonthName(c.text), c.month) << c.text;
}

TEST(MonthNameTest, ParseMonthNameReadsFrenchNamesAndAbbreviations) {
  const MonthNameCase cases[] = {
      {"janvier", 1},  {"février", 2},   {"fevrier", 2},   {"mars", 3}, {"avril", 4},
      {"mai", 5},      {"juin", 6},      {"juillet", 7},   {"août", 8}, {"Septembre", 9},
      {"octobre", 10}, {"novembre", 11}, {"décembre", 12}, {"déc", 12}, {"DÉC.", 12},
      {"janv.", 1},    {"févr", 2},      {"avr", 4},       {"juil", 7}};
  for (const MonthNameCase& c : cases) EXPECT_EQ(ParseMonthName(c.text), c.month) << c.text;
}

TEST(MonthNameTest, ParseMonthNameGivesZeroForAnythingElse) {
  const MonthNameCase cases[] = {{"", 0},         {"   ", 0}, {"ma", 0},
                                 {"ju", 0},       {"j", 0},   {"Septembers", 0},
                                 {"Budapest", 0}, {"13", 0},  {"decembre 2011", 0}};
  for (const MonthNameCase& c : cases) EXPECT_EQ(ParseMonthName(c.text), c.month) << c.text;
}

TEST(PrecisionTest, NamesRoundTrip) {
  for (Precision p : {Precision::kDay, Precision::kMonth, Precision::kYear, Precision::kBy,
                      Precision::kMid, Precision::kTbc, Precision::kTbd, Precision::kRange}) {
    const auto parsed = ParsePrecision(PrecisionName(p));
    ASSERT_TRUE(parsed.has_value()) << PrecisionName(p);
    EXPECT_EQ(*parsed, p);
  }
  EXPECT_FALSE(ParsePrecision("").has_value());
  EXPECT_FALSE(ParsePrecision("Day").has_value());
  EXPECT_FALSE(ParsePrecision("week").has_value());
}

TEST(DateSpanTest, DayIsExactAndWrittenAsAnIsoDay) {
  const DateSpan s = DateSpan::Day(D("2023-10-03"));
  EXPECT_EQ(s.precision, Precision::kDay);
  EXPECT_EQ(s.start, s.end);
  EXPECT_EQ(s.StartText(), "2023-10-03");
  EXPECT_EQ(s.EndText(), "2023-10-03");
}

TEST(DateSpanTest, DaysSpansTwoExactDays) {
  const DateSpan s = DateSpan::Days(D("2025-10-25"), D("2025-10-26"));
  EXPECT_EQ(s.StartText(), "2025-10-25");
  EXPECT_EQ(s.EndText(), "2025-10-26");
}

TEST(DateSpanTest, MonthCoversTheWholeMonth) {
  const DateSpan s = DateSpan::Month(2012, 2);
  EXPECT_EQ(s.precision, Precision::kMonth);
  EXPECT_EQ(s.start, D("2012-02-01"));
  EXPECT_EQ(s.end, D("2012-02-29"));
  EXPECT_EQ(s.StartText(), "2012-02");
  EXPECT_EQ(s.EndText(), "2012-02");
  EXPECT_EQ(DateSpan::Month(2011, 12).end, D("2011-12-31"));
}

struct SpanTextCase {
  Precision precision;
  const char* start_text;
  const char* end_text;
};

TEST(DateSpanTest, TextsShowOnlyWhatThePrecisionSupports) {
  const SpanTextCase cases[] = {{Precision::kDay, "2023-10-03", "2023-11-20"},
                                {Precision::kMonth, "2023-10", "2023-11"},
                                {Precision::kYear, "2023", "2023"},
                                {Precision::kBy, "2023-10-03", "2023-11-20"},
                                {Precision::kMid, "2023-10", "2023-11"},
                                {Precision::kTbc, "2023-10", "2023-11"},
                                {Precision::kRange, "2023-10", "2023-11"}};
  for (const SpanTextCase& c : cases) {
    const DateSpan s{D("2023-10-03"), D("2023-11-20"), c.precision};
    EXPECT_EQ(s.StartText(), c.start_text) << PrecisionName(c.precision);
    EXPECT_EQ(s.EndText(), c.end_text) << PrecisionName(c.precision);
  }
}

TEST(DateSpanTest, TbdHasNoDatesAndNoText) {
  const DateSpan s{std::nullopt, std::nullopt, Precision::kTbd};
  EXPECT_EQ(s.StartText(), "");
  EXPECT_EQ(s.EndText(), "");
}

TEST(DateSpanTest, ByHasOnlyAnEnd) {
  const DateSpan s{std::nullopt, D("2024-07-30"), Precision::kBy};
  EXPECT_EQ(s.StartText(), "");
  EXPECT_EQ(s.EndText(), "2024-07-30");
}

TEST(DateSpanTest, EqualityComparesBoundsAndPrecision) {
  EXPECT_EQ(DateSpan::Month(2023, 10),
            (DateSpan{D("2023-10-01"), D("2023-10-31"), Precision::kMonth}));
  EXPECT_NE(DateSpan::Month(2023, 10),
            (DateSpan{D("2023-10-01"), D("2023-10-31"), Precision::kRange}));
  EXPECT_NE(DateSpan::Day(D("2023-10-01")), DateSpan::Day(D("2023-10-02")));
}

}  // namespace
}  // namespace octopus::domain
