#pragma once
/// Date phrases as the programme's documents write them: "21 June 2011",
/// "3-5 July", "29 November–1 December", "11-13 & 15 September", "by 30 July",
/// "by October", "mid-November", "October TBC", "TBD", "July-September",
/// "1er octobre 2011", "21/06/2023". The year, when the phrase gives none,
/// comes from the caller (an issue's period, a month heading).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace octopus::ingest::internal {

/// A date at the precision the source gives: a day, a month (day 0) or a
/// year (month 0).
struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;
  /// "2023-10-03", "2023-10" or "2023".
  std::string Iso() const;
  friend bool operator==(const PartialDate&, const PartialDate&) = default;
};

/// The ISO text of `d`, or JSON null when there is no date.
nlohmann::json IsoOrNull(const std::optional<PartialDate>& d);

/// What a date phrase says.
struct DatePhrase {
  std::optional<PartialDate> start;  ///< null for "by …" and for TBD
  std::optional<PartialDate> end;
  /// day | month | year | by | mid | tbc | range
  std::string precision;
  /// The days, when the phrase lists days that are not one span ("11-13 & 15 September").
  std::vector<PartialDate> days;
  bool year_given = false;  ///< the phrase names its year
};

/// A phrase found inside longer text, with its byte range.
struct FoundDate {
  DatePhrase phrase;
  size_t begin = 0;
  size_t end = 0;
};

/// The phrase when all of `text` (trimmed) is one; nullopt otherwise.
std::optional<DatePhrase> ParseDatePhrase(std::string_view text, int default_year);

/// The longest tail of `text`, starting at a word, that is a date phrase
/// naming a month (or TBC/TBD): "PRAGUE, CZECH REPUBLIC, 4-7 September" →
/// "4-7 September". `begin` is where it starts.
std::optional<FoundDate> DateSuffix(std::string_view text, int default_year);

/// Every date phrase in prose that names at least a day and a month, or a
/// month and a year, longest first from left to right.
std::vector<FoundDate> DatesIn(std::string_view text, int default_year);

/// A day phrase ("21 June 2011", "1st October 2011", "16 Dec 2010",
/// "21/06/2011"): the date when all of `text` is one exact day with its year.
std::optional<PartialDate> ParseExactDay(std::string_view text);

}  // namespace octopus::ingest::internal
