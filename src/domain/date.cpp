#include "domain/date.h"

#include <array>
#include <cctype>

#include "core/text.h"

namespace octopus::domain {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m, d;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

}  // namespace

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

std::optional<Date> Date::Make(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return Date(y, m, d);
}

Date Date::FromDays(int64_t days) {
  const Civil c = CivilFromDays(days);
  return Date(static_cast<int>(c.y), static_cast<int>(c.m), static_cast<int>(c.d));
}

Result<Date> Date::Parse(std::string_view iso) {
  auto bad = [&] {
    return InvalidArgument("malformed date '" + std::string(iso) + "' (expected YYYY-MM-DD)");
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return bad();
  auto num = [&](size_t pos, size_t len, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(iso[i]))) return false;
      out = out * 10 + (iso[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return bad();
  auto date = Make(y, m, d);
  if (!date) return InvalidArgument("no such date '" + std::string(iso) + "'");
  return *date;
}

int64_t Date::days() const {
  return DaysFromCivil(year_, static_cast<unsigned>(month_), static_cast<unsigned>(day_));
}

Date Date::AddMonths(int n) const {
  const int total = year_ * 12 + (month_ - 1) + n;
  const int y = total / 12;
  const int m = total % 12 + 1;
  const int d = std::min<int>(day_, DaysInMonth(y, m));
  return Date(y, m, d);
}

Date Date::FirstOfNextMonth() const {
  return month_ == 12 ? Date(year_ + 1, 1, 1) : Date(year_, month_ + 1, 1);
}

Date Date::LastOfMonth() const { return Date(year_, month_, DaysInMonth(year_, month_)); }

int Date::Weekday() const {
  const int64_t z = days();  // 1970-01-01 was a Thursday (3)
  return static_cast<int>(((z % 7) + 7 + 3) % 7);
}

std::string Date::ToIso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year_, static_cast<int>(month_),
                static_cast<int>(day_));
  return buf;
}

std::string Date::ToLongEnglish() const {
  return std::to_string(day_) + " " + std::string(MonthName(month_)) + " " + std::to_string(year_);
}

std::string_view MonthName(int month) {
  return month >= 1 && month <= 12 ? kMonths[month - 1] : std::string_view{};
}

int ParseMonthName(std::string_view name) {
  const std::string key = text::FoldKey(name);
  if (key.empty()) return 0;
  struct Entry {
    std::string_view full;
    int month;
  };
  static constexpr Entry kNames[] = {
      {"january", 1},  {"february", 2},  {"march", 3},     {"april", 4},    {"may", 5},
      {"june", 6},     {"july", 7},      {"august", 8},    {"september", 9}, {"october", 10},
      {"november", 11}, {"december", 12}, {"janvier", 1},  {"fevrier", 2},  {"mars", 3},
      {"avril", 4},    {"mai", 5},       {"juin", 6},      {"juillet", 7},  {"aout", 8},
      {"septembre", 9}, {"octobre", 10},  {"novembre", 11}, {"decembre", 12}};
  for (const auto& e : kNames) {
    if (key == e.full) return e.month;
  }
  // Abbreviations: at least three letters of an English or French name
  // ("Sep", "Sept", "Dec", "déc"), but "mar"/"ma" stay unambiguous by length.
  if (key.size() >= 3) {
    for (const auto& e : kNames) {
      if (e.full.size() > key.size() && e.full.substr(0, key.size()) == key) return e.month;
    }
  }
  return 0;
}

std::string_view PrecisionName(Precision p) {
  switch (p) {
    case Precision::kDay: return "day";
    case Precision::kMonth: return "month";
    case Precision::kYear: return "year";
    case Precision::kBy: return "by";
    case Precision::kMid: return "mid";
    case Precision::kTbc: return "tbc";
    case Precision::kTbd: return "tbd";
    case Precision::kRange: return "range";
  }
  return "day";
}

std::optional<Precision> ParsePrecision(std::string_view name) {
  for (Precision p : {Precision::kDay, Precision::kMonth, Precision::kYear, Precision::kBy,
                      Precision::kMid, Precision::kTbc, Precision::kTbd, Precision::kRange}) {
    if (PrecisionName(p) == name) return p;
  }
  return std::nullopt;
}

DateSpan DateSpan::Month(int year, int month) {
  const Date first = *Date::Make(year, month, 1);
  return {first, first.LastOfMonth(), Precision::kMonth};
}

namespace {
std::string SpanText(const std::optional<Date>& d, Precision p) {
  if (!d) return {};
  const std::string iso = d->ToIso();
  switch (p) {
    case Precision::kMonth:
    case Precision::kMid:
    case Precision::kRange:
    case Precision::kTbc:
      return iso.substr(0, 7);
    case Precision::kYear:
      return iso.substr(0, 4);
    default:
      return iso;
  }
}
}  // namespace

std::string DateSpan::StartText() const { return SpanText(start, precision); }
std::string DateSpan::EndText() const { return SpanText(end, precision); }

}  // namespace octopus::domain
