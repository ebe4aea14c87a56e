#pragma once
/// iCalendar (RFC 5545) for activities: all-day events (VALUE=DATE), CRLF line
/// endings, lines folded at 75 octets without splitting a UTF-8 sequence.
/// Fuzzy dates are never passed off as exact: see ActivityEvent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "domain/record.h"

namespace octopus::publish {

struct CalendarEvent {
  std::string uid;
  domain::Date first, last;  ///< all-day, inclusive (DTEND is the day after `last`)
  std::string summary;
  std::string description;
  std::string location;
  std::string url;  ///< absolute, or empty (a relative URL is not a valid URI value)
  std::vector<std::string> categories;
  bool tentative = false;  ///< STATUS:TENTATIVE (dates to be confirmed, or only planned)
  bool cancelled = false;  ///< STATUS:CANCELLED, whatever `tentative` says
  std::string precision;   ///< X-OCTOPUS-DATE-PRECISION: how much of the date the source gives
};

struct Calendar {
  std::string name;
  std::string description;
  std::string stamp;  ///< DTSTAMP of every event, UTC "YYYYMMDDTHHMMSSZ"
  std::vector<CalendarEvent> events;
};

/// The calendar as text.
std::string RenderICalendar(const Calendar& calendar);

/// An activity as an event; nullopt when the source gives no date at all
/// (TBC without a month). A date less precise than a day becomes an event
/// over every day it may cover — the whole month for "October 2023", "by
/// October 2023" or "mid-November 2023" — and the summary says so in
/// brackets ("[by October 2023]"), the description spells it out, and a TBC
/// event is tentative.
/// `url` is the activity's page, absolute, or empty.
std::optional<CalendarEvent> ActivityEvent(int64_t id, const domain::RecordFacts& activity,
                                           const std::string& url);

/// TEXT value escaping: backslash, ';', ',' and newlines.
std::string EscapeCalendarText(std::string_view s);

/// One content line folded: CRLF + space before any octet past 75 on a line,
/// never inside a UTF-8 sequence; ends with CRLF.
std::string FoldLine(std::string_view line);

}  // namespace octopus::publish
