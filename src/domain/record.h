#pragma once
/// What pages, search and feeds read from one extracted record: the record's
/// fields (JSON, as the extractors store them) turned into typed facts. Pure:
/// no I/O.
///
/// Record kinds and their fields (null when unknown; dates ISO, possibly
/// reduced to "2023-10" or "2023"):
///   news_item: title, date, place, event_start, event_end, event_place,
///              countries[], projects[], treaties[], body
///   activity:  projects[], title, places[], countries[], mode, start, end,
///              precision (day|month|by|mid|tbc|range)
///   project:   name, start, end, scope, budget_amount, budget_currency,
///              funders[], countries[]
///   treaty_action, treaty_figure, link: read for their title only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/date.h"

namespace octopus::domain {

/// A date as a record gives it: "2023-10-03", "2023-10" or "2023", with the
/// first and last day it may denote.
struct ReducedDate {
  std::string text;  ///< as stored
  Date first;
  Date last;
  Precision precision = Precision::kDay;  ///< kDay, kMonth or kYear

  /// Parses the three ISO shapes; InvalidArgument naming the text otherwise.
  static Result<ReducedDate> Parse(std::string_view text);
};

/// The kinds the search index covers, in the order facets list them.
inline constexpr std::string_view kSearchableKinds[] = {"news_item", "activity", "project"};

/// True for the kinds in kSearchableKinds.
bool IsSearchableKind(std::string_view kind);

/// A kind's name for people: "news", "activity", "project".
std::string KindLabel(std::string_view kind);

struct RecordFacts {
  std::string kind;
  std::string title;  ///< never empty: a placeholder names the kind when the record has none
  std::string body;   ///< the other text worth searching (place, scope, body, funders…)
  std::string summary;  ///< the record's own prose: a news item's body, a project's scope
  std::optional<ReducedDate> start;  ///< news: date; activity and project: start
  std::optional<ReducedDate> end;    ///< activity and project: end
  Precision precision = Precision::kDay;  ///< activity: as stored; others: kDay
  /// The days the record may cover: [lo, hi]. Unknown (nullopt) for undated
  /// activities (TBC, no month). "By October" covers October: the source says
  /// no more than "on or before", and the calendar shows it in that month.
  std::optional<Date> lo, hi;
  std::vector<std::string> countries;  ///< ISO2 codes as stored
  std::vector<std::string> projects;  ///< a project's own name for a project
  std::vector<std::string> places;  ///< activity places, news place and event place (each once)
  std::string mode;                 ///< activity: "in person", "online", "hybrid" or ""
  std::vector<std::string> treaties;  ///< news: "ETS 185"

  /// The year the record belongs to (of lo, else of start), or 0.
  int year() const;
  /// "YYYY-MM-DD" of lo, or "" when undated: the order of lists and calendars.
  std::string sort_date() const;
};

/// Reads a record's fields. ParseError naming the kind when `fields_json` is
/// not a JSON object; fields of the wrong type are ignored, never guessed.
/// Control characters are removed from every text (so that markers used for
/// highlighting can never come from the data).
Result<RecordFacts> ReadRecord(std::string_view kind, std::string_view fields_json);

/// When an activity or item takes place, as people read it, saying exactly
/// what the source says: "27 April 2011", "27–29 April 2011",
/// "29 November – 1 December 2023", "October 2023", "by October 2023",
/// "mid-November 2023", "July–September 2023", "October 2023 (TBC)", "TBC",
/// and "date not given" when nothing is known.
std::string DescribeWhen(const RecordFacts& r);

}  // namespace octopus::domain
