#pragma once
/// Civil (proleptic Gregorian) dates and date spans with their precision.
/// Value types only: no I/O, no clock.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace octopus::domain {

/// A calendar day. Always valid once constructed through Make/Parse.
class Date {
 public:
  /// 1970-01-01; use Make or Parse for real dates.
  constexpr Date() = default;

  /// A valid date or nullopt (month 1..12, day within the month, year 1..9999).
  static std::optional<Date> Make(int year, int month, int day);
  /// The date `days` after 1970-01-01 (negative before).
  static Date FromDays(int64_t days);
  /// Strict ISO 8601 calendar date: "YYYY-MM-DD". Errors name the text.
  static Result<Date> Parse(std::string_view iso);

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  /// Days since 1970-01-01.
  int64_t days() const;

  Date AddDays(int64_t n) const { return FromDays(days() + n); }
  /// Same day n months later; the day is clamped to the end of a shorter
  /// month (2012-11-30 + 3 months = 2013-02-28).
  Date AddMonths(int n) const;
  /// The first day of the month after this date's month.
  Date FirstOfNextMonth() const;
  Date FirstOfMonth() const { return Date(year_, month_, 1); }
  Date LastOfMonth() const;
  /// 0 = Monday … 6 = Sunday.
  int Weekday() const;

  /// "YYYY-MM-DD".
  std::string ToIso() const;
  /// "1 September 2011".
  std::string ToLongEnglish() const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;

 private:
  constexpr Date(int y, int m, int d) : year_(y), month_(static_cast<int8_t>(m)), day_(static_cast<int8_t>(d)) {}
  int year_ = 1970;
  int8_t month_ = 1;
  int8_t day_ = 1;
};

int DaysInMonth(int year, int month);
bool IsLeapYear(int year);
/// "January".."December" for 1..12, "" otherwise.
std::string_view MonthName(int month);
/// 1..12 for an English or French month name or its common abbreviation
/// ("Sep", "Sept", "septembre", "déc"), case-insensitive; 0 if none.
int ParseMonthName(std::string_view name);

/// How much of a date a source gives.
enum class Precision {
  kDay,      ///< an exact day or an exact span of days
  kMonth,    ///< "October 2023": some day(s) within the month
  kYear,     ///< "2018": some day within the year
  kBy,       ///< "by 30 July": on or before `end`
  kMid,      ///< "mid-November": around the middle of the month
  kTbc,      ///< "October TBC": planned, to be confirmed
  kTbd,      ///< "TBD": no date yet
  kRange,    ///< "July-September": somewhere within a span of months
};

std::string_view PrecisionName(Precision p);
std::optional<Precision> ParsePrecision(std::string_view name);

/// A date or span as a source states it: bounds and how precise they are.
/// `start`/`end` are the tightest bounds the text supports (both empty for TBD).
struct DateSpan {
  std::optional<Date> start;
  std::optional<Date> end;
  Precision precision = Precision::kDay;

  static DateSpan Day(Date d) { return {d, d, Precision::kDay}; }
  static DateSpan Days(Date a, Date b) { return {a, b, Precision::kDay}; }
  static DateSpan Month(int year, int month);

  /// ISO text at the span's precision: "2023-10-03", "2023-10", "2023".
  std::string StartText() const;
  std::string EndText() const;

  friend bool operator==(const DateSpan&, const DateSpan&) = default;
};

}  // namespace octopus::domain
