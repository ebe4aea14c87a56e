#include "ingest/internal/dates.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "core/text.h"
#include "domain/date.h"

namespace octopus::ingest::internal {

namespace {

enum class Tok {
  kDay,      // 1-2 digit number, maybe with an ordinal suffix
  kYear,     // 4-digit number 1900..2199
  kNumDate,  // 21/06/2011
  kMonth,
  kDash,     // - – — and the words to, until, au
  kAnd,      // & and et
  kComma,
  kBy,       // by, before, avant
  kMid,      // mid, mi
  kTbc,      // TBC, tbc, to be confirmed
  kTbd,      // TBD
  kFrom,     // from, du, on, le, of, in, between
  kBetween,
  kOf,       // "the 10th of December"
  kOther,
};

struct Token {
  Tok kind = Tok::kOther;
  size_t begin = 0, end = 0;
  int value = 0;          // day, year or month
  PartialDate numeric{};  // kNumDate
  bool ordinal = false;   // a day written "14th", "1er"
  bool closes = false;    // a day followed by , . ; ) or the end of the text
};

bool IsAsciiAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// Length of a UTF-8 dash (– —) or no-break space at `i`, else 0.
size_t DashAt(std::string_view s, size_t i) {
  if (i + 3 <= s.size() && static_cast<unsigned char>(s[i]) == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0x93 || static_cast<unsigned char>(s[i + 2]) == 0x94)) {
    return 3;
  }
  return 0;
}

bool IsSpaceAt(std::string_view s, size_t i, size_t* len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
    *len = 1;
    return true;
  }
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    *len = 2;
    return true;
  }
  return false;
}

// `w` is a word's FoldKey.
bool IsWeekday(std::string_view w) {
  static constexpr std::string_view kDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                               "saturday", "sunday", "lundi", "mardi", "mercredi",
                                               "jeudi", "vendredi", "samedi", "dimanche"};
  return std::find(std::begin(kDays), std::end(kDays), w) != std::end(kDays);
}

// `w` is the FoldKey of `word`.
Tok WordKind(std::string_view word, std::string_view w, int* month) {
  if (w == "to" || w == "until" || w == "au" || w == "till") return Tok::kDash;
  if (w == "and" || w == "et") return Tok::kAnd;
  if (w == "by" || w == "before" || w == "avant") return Tok::kBy;
  if (w == "mid" || w == "mi") return Tok::kMid;
  if (w == "tbc") return Tok::kTbc;
  if (w == "tbd") return Tok::kTbd;
  if (w == "from" || w == "du" || w == "on" || w == "le" || w == "des") return Tok::kFrom;
  if (w == "between" || w == "entre") return Tok::kBetween;
  if (w == "of") return Tok::kOf;
  // Every month name, and every abbreviation of one, starts with one of these letters and has at most
  // nine: other words are spared the look-up.
  if (w.size() < 3 || w.size() > 9 || std::string_view("jfmasond").find(w[0]) == std::string_view::npos) {
    return Tok::kOther;
  }
  if (int m = domain::ParseMonthName(word); m != 0) {
    *month = m;
    return Tok::kMonth;
  }
  return Tok::kOther;
}

void Tokenize(std::string_view s, std::vector<Token>* into) {
  std::vector<Token>& out = *into;
  out.clear();
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 0;
    if (IsSpaceAt(s, i, &len)) {
      i += len;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    Token t;
    t.begin = i;
    if (const size_t d = DashAt(s, i); d != 0 || c == '-') {
      t.kind = Tok::kDash;
      i += d != 0 ? d : 1;
    } else if (c == '&') {
      t.kind = Tok::kAnd;
      ++i;
    } else if (c == ',') {
      t.kind = Tok::kComma;
      ++i;
    } else if (IsDigit(c)) {
      size_t j = i;
      while (j < s.size() && IsDigit(static_cast<unsigned char>(s[j]))) ++j;
      const std::string_view digits = s.substr(i, j - i);
      // 21/06/2011 or 21.06.2011
      if (j < s.size() && (s[j] == '/' || s[j] == '.') && digits.size() <= 2) {
        const char sep = s[j];
        size_t k = j + 1, m = k;
        while (m < s.size() && IsDigit(static_cast<unsigned char>(s[m]))) ++m;
        if (m > k && m - k <= 2 && m < s.size() && s[m] == sep) {
          size_t y = m + 1, ye = y;
          while (ye < s.size() && IsDigit(static_cast<unsigned char>(s[ye]))) ++ye;
          if (ye - y == 4) {
            t.kind = Tok::kNumDate;
            t.numeric = {std::stoi(std::string(s.substr(y, 4))), std::stoi(std::string(s.substr(k, m - k))),
                         std::stoi(std::string(digits))};
            i = ye;
            t.end = i;
            out.push_back(t);
            continue;
          }
        }
      }
      i = j;
      if (digits.size() <= 2) {
        t.kind = Tok::kDay;
        t.value = std::stoi(std::string(digits));
        // Ordinal suffixes: 1st 2nd 3rd 4th 1er
        for (std::string_view suf : {"st", "nd", "rd", "th", "er"}) {
          if (s.substr(i, suf.size()) == suf &&
              (i + suf.size() >= s.size() || !IsAsciiAlpha(static_cast<unsigned char>(s[i + suf.size()])))) {
            i += suf.size();
            t.ordinal = true;
            break;
          }
        }
        t.closes = i >= s.size() || s[i] == ',' || s[i] == '.' || s[i] == ';' || s[i] == ')';
      } else if (digits.size() == 4) {
        const int y = std::stoi(std::string(digits));
        t.kind = (y >= 1900 && y < 2200) ? Tok::kYear : Tok::kOther;
        t.value = y;
      } else {
        t.kind = Tok::kOther;
      }
      // A number glued to letters ("6th" handled; "3G", "24/7") is not a date part.
      if (t.kind != Tok::kOther && i < s.size() &&
          (IsAsciiAlpha(static_cast<unsigned char>(s[i])) || IsDigit(static_cast<unsigned char>(s[i])) ||
           s[i] == '/')) {
        t.kind = Tok::kOther;
        while (i < s.size() && (IsAsciiAlpha(static_cast<unsigned char>(s[i])) ||
                                IsDigit(static_cast<unsigned char>(s[i])) || s[i] == '/')) {
          ++i;
        }
      }
    } else if (IsAsciiAlpha(c) || c >= 0x80) {
      size_t j = i;
      while (j < s.size()) {
        const unsigned char cj = static_cast<unsigned char>(s[j]);
        size_t sl = 0;
        if (DashAt(s, j) != 0 || IsSpaceAt(s, j, &sl)) break;
        if (!(IsAsciiAlpha(cj) || cj >= 0x80)) break;
        ++j;
      }
      if (j == i) j = i + 1;  // a lone continuation byte
      int month = 0;
      const std::string_view word = s.substr(i, j - i);
      i = j;
      // "Tuesday 1 - Wednesday 2 April 2008": a weekday adds nothing to the date.
      // A word of ASCII letters folds to itself lowercased: folded in a buffer, without FoldKey.
      thread_local std::string key;
      if (std::all_of(word.begin(), word.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; })) {
        key.assign(word);
        for (char& ch : key) ch = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
      } else {
        key = text::FoldKey(word);
      }
      if (IsWeekday(key)) continue;
      t.kind = WordKind(word, key, &month);
      t.value = month;
    } else {
      t.kind = Tok::kOther;
      ++i;
    }
    t.end = i;
    out.push_back(t);
  }
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  Tokenize(s, &out);
  return out;
}

struct Part {
  int day = 0, month = 0, year = 0;
};

struct Parsed {
  DatePhrase phrase;
  size_t consumed = 0;  // tokens
};

bool ValidDay(int y, int m, int d) { return domain::Date::Make(y, m, d).has_value(); }

// Parses tokens [first, last) completely; nullopt when they are not one phrase.
std::optional<DatePhrase> ParseTokens(const std::vector<Token>& t, size_t first, size_t last,
                                      int default_year) {
  size_t i = first;
  bool by = false, mid = false, between = false;
  while (i < last && (t[i].kind == Tok::kFrom || t[i].kind == Tok::kBetween)) {
    between = between || t[i].kind == Tok::kBetween;
    ++i;
  }
  if (i < last && t[i].kind == Tok::kBy) {
    by = true;
    ++i;
  } else if (i < last && t[i].kind == Tok::kMid) {
    mid = true;
    ++i;
    if (i < last && t[i].kind == Tok::kDash) ++i;
  }
  DatePhrase out;
  // TBD / TBC alone.
  if (i < last && (t[i].kind == Tok::kTbd || t[i].kind == Tok::kTbc) && i + 1 == last && !by && !mid) {
    out.precision = "tbc";
    return out;
  }
  std::vector<Part> parts;
  bool listed = false, ranged = false;
  bool year_given = false;
  while (i < last) {
    Part p;
    if (t[i].kind == Tok::kNumDate) {
      p = {t[i].numeric.day, t[i].numeric.month, t[i].numeric.year};
      year_given = true;
      ++i;
    } else {
      if (t[i].kind == Tok::kDay) {
        p.day = t[i].value;
        ++i;
        if (i + 1 < last && t[i].kind == Tok::kOf && t[i + 1].kind == Tok::kMonth) ++i;  // "10th of December"
      }
      if (i < last && t[i].kind == Tok::kMonth) {
        p.month = t[i].value;
        ++i;
        // "April 14th, 2016", "on March 30.": the day after the month, when nothing else can follow.
        if (p.day == 0 && i < last && t[i].kind == Tok::kDay &&
            (t[i].ordinal || t[i].closes || (i + 1 < last && t[i + 1].kind == Tok::kYear))) {
          p.day = t[i].value;
          ++i;
        }
        size_t k = i;
        if (k < last && t[k].kind == Tok::kComma && k + 1 < last && t[k + 1].kind == Tok::kYear) ++k;
        if (k < last && t[k].kind == Tok::kYear) {
          p.year = t[k].value;
          year_given = true;
          i = k + 1;
        }
      } else if (p.day == 0 && i < last && t[i].kind == Tok::kYear) {
        p.year = t[i].value;
        year_given = true;
        ++i;
      }
      if (p.day == 0 && p.month == 0 && p.year == 0) return std::nullopt;
    }
    parts.push_back(p);
    if (i == last) break;
    if (t[i].kind == Tok::kTbc && i + 1 == last) break;
    if (t[i].kind == Tok::kDash) {
      ranged = true;
    } else if (t[i].kind == Tok::kAnd) {
      if (between) {
        ranged = true;
      } else {
        listed = true;
      }
    } else if (t[i].kind == Tok::kComma && i + 1 < last && t[i + 1].kind == Tok::kDay) {
      listed = true;
    } else if (t[i].kind == Tok::kDay && !by && !mid) {
      // A span whose dash the source dropped: "24 27 March 2014", "1 November 2013 31 October 2016".
      ranged = true;
      continue;
    } else {
      return std::nullopt;
    }
    ++i;
    if (i == last) return std::nullopt;  // dangling separator
  }
  const bool tbc = i < last && t[i].kind == Tok::kTbc;
  if (parts.empty()) return std::nullopt;
  if (parts.size() > 1 && by) return std::nullopt;
  // Fill months and years from the right: "9-10 June 2011", "29 November–1 December".
  for (size_t k = parts.size() - 1; k-- > 0;) {
    Part& p = parts[k];
    const Part& next = parts[k + 1];
    if (p.month == 0 && p.day != 0) p.month = next.month;
    if (p.year == 0 && next.year != 0 && (p.month != 0 || p.day != 0)) {
      p.year = (p.month != 0 && next.month != 0 && p.month > next.month) ? next.year - 1 : next.year;
    }
  }
  for (size_t k = 0; k < parts.size(); ++k) {
    Part& p = parts[k];
    if (p.day != 0 && p.month == 0) return std::nullopt;
    if (p.year == 0) {
      if (default_year == 0) return std::nullopt;
      p.year = default_year;
      // A span that runs over the new year: "29 December-3 January".
      if (k > 0 && parts[k - 1].month > p.month && p.month != 0) p.year = parts[k - 1].year + 1;
    }
    if (p.day != 0 && !ValidDay(p.year, p.month, p.day)) return std::nullopt;
  }
  auto pd = [](const Part& p) { return PartialDate{p.year, p.month, p.day}; };
  auto key = [](const Part& p) { return p.year * 10000 + p.month * 100 + p.day; };
  out.year_given = year_given;
  const bool all_days = std::all_of(parts.begin(), parts.end(), [](const Part& p) { return p.day != 0; });
  if (by) {
    out.end = pd(parts.back());
    out.precision = "by";
  } else if (mid) {
    if (parts.size() != 1 || parts[0].day != 0 || parts[0].month == 0) return std::nullopt;
    out.start = out.end = pd(parts[0]);
    out.precision = "mid";
  } else {
    // Start and end: the earliest and latest parts, in the order written.
    for (size_t k = 1; k < parts.size(); ++k) {
      if (key(parts[k]) < key(parts[k - 1])) return std::nullopt;
    }
    out.start = pd(parts.front());
    out.end = pd(parts.back());
    if (all_days) {
      out.precision = "day";
      if (listed) {
        // Expand: ranges within the list become their days.
        // Parts joined by a dash form a range; the list keeps every day named.
        for (const Part& p : parts) out.days.push_back(pd(p));
        if (ranged) {
          // "11-13 & 15 September": the days 11, 12, 13 and 15.
          std::vector<PartialDate> days;
          size_t k = 0;
          // Re-walk the separators to know which pairs are ranges.
          size_t ti = first;
          std::vector<Tok> seps;
          for (; ti < last; ++ti) {
            if (t[ti].kind == Tok::kDash || t[ti].kind == Tok::kAnd ||
                (t[ti].kind == Tok::kComma && ti + 1 < last && t[ti + 1].kind == Tok::kDay)) {
              if (ti == first || t[ti - 1].kind == Tok::kMid) continue;
              seps.push_back(t[ti].kind);
            }
          }
          for (k = 0; k < parts.size(); ++k) {
            if (k > 0 && k - 1 < seps.size() && seps[k - 1] == Tok::kDash) {
              auto from = domain::Date::Make(parts[k - 1].year, parts[k - 1].month, parts[k - 1].day);
              auto to = domain::Date::Make(parts[k].year, parts[k].month, parts[k].day);
              if (!from || !to) return std::nullopt;
              for (domain::Date d = from->AddDays(1); d < *to; d = d.AddDays(1)) {
                days.push_back({d.year(), d.month(), d.day()});
              }
            }
            days.push_back(pd(parts[k]));
          }
          out.days = std::move(days);
        }
      }
    } else if (parts.size() == 1) {
      out.precision = parts[0].month != 0 ? "month" : "year";
    } else {
      out.precision = "range";
    }
  }
  if (tbc) out.precision = "tbc";
  return out;
}

bool NamesMonthOrTbc(const std::vector<Token>& t, size_t first, size_t last) {
  for (size_t i = first; i < last; ++i) {
    if (t[i].kind == Tok::kMonth || t[i].kind == Tok::kTbc || t[i].kind == Tok::kTbd ||
        t[i].kind == Tok::kNumDate) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string PartialDate::Iso() const {
  char buf[16];
  if (month == 0) {
    std::snprintf(buf, sizeof buf, "%04d", year);
  } else if (day == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  }
  return buf;
}

nlohmann::json IsoOrNull(const std::optional<PartialDate>& d) {
  return d ? nlohmann::json(d->Iso()) : nlohmann::json(nullptr);
}

std::optional<DatePhrase> ParseDatePhrase(std::string_view s, int default_year) {
  const auto t = Tokenize(s);
  if (t.empty()) return std::nullopt;
  return ParseTokens(t, 0, t.size(), default_year);
}

std::optional<FoundDate> DateSuffix(std::string_view s, int default_year) {
  const auto t = Tokenize(s);
  for (size_t i = 0; i < t.size(); ++i) {
    if (i > 0 && t[i - 1].kind != Tok::kComma && t[i - 1].kind != Tok::kOther) {
      // Start only after a place or a comma, so "4-7 September" is not read as "7 September".
      continue;
    }
    if (!NamesMonthOrTbc(t, i, t.size())) return std::nullopt;
    if (auto p = ParseTokens(t, i, t.size(), default_year)) {
      return FoundDate{*p, t[i].begin, s.size()};
    }
  }
  return std::nullopt;
}

std::vector<FoundDate> DatesIn(std::string_view s, int default_year) {
  std::vector<FoundDate> out;
  // A date found here has a day or a year, and both are written in digits: a text without a
  // digit has none (nor is it tokenized).
  if (std::none_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return out;
  thread_local std::vector<Token> tokens;
  Tokenize(s, &tokens);
  const std::vector<Token>& t = tokens;
  size_t i = 0;
  while (i < t.size()) {
    bool found = false;
    if (t[i].kind == Tok::kDay || t[i].kind == Tok::kMonth || t[i].kind == Tok::kNumDate ||
        t[i].kind == Tok::kBy || t[i].kind == Tok::kMid || t[i].kind == Tok::kBetween) {
      // The longest run from i that parses and names a month.
      size_t limit = std::min(t.size(), i + 12);
      for (size_t j = limit; j > i; --j) {
        if (!NamesMonthOrTbc(t, i, j)) continue;
        auto p = ParseTokens(t, i, j, default_year);
        if (!p || p->precision == "tbc") continue;
        // A bare month ("May") without a day or a year is too weak in prose.
        const bool has_day = p->start ? p->start->day != 0 : (p->end && p->end->day != 0);
        if (!has_day && !p->year_given) continue;
        out.push_back({*p, t[i].begin, t[j - 1].end});
        i = j;
        found = true;
        break;
      }
    }
    if (!found) ++i;
  }
  // The buffer is kept for the next text, unless this one was long: no thread keeps a large one.
  if (tokens.capacity() > 65536) std::vector<Token>().swap(tokens);
  return out;
}

std::optional<PartialDate> ParseExactDay(std::string_view s) {
  auto p = ParseDatePhrase(s, 0);
  if (!p || p->precision != "day" || !p->start || !(*p->start == *p->end) || !p->year_given) {
    return std::nullopt;
  }
  return p->start;
}

}  // namespace octopus::ingest::internal
