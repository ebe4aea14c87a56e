#include "core/text.h"
#include "publish/icalendar.h"

#include <algorithm>

#include <fmt/format.h>

namespace octopus::publish {

namespace {

std::string DateValue(domain::Date d) {
  return fmt::format("{:04d}{:02d}{:02d}", d.year(), d.month(), d.day());
}

using text::Join;

}  // namespace

std::string EscapeCalendarText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out.push_back(c);
    }
  }
  return out;
}

std::string FoldLine(std::string_view line) {
  std::string out;
  size_t on_line = 0;  // octets on the current physical line
  size_t i = 0;
  while (i < line.size()) {
    // The length of the UTF-8 sequence starting here (1 for a stray byte).
    const auto lead = static_cast<unsigned char>(line[i]);
    size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    len = std::min(len, line.size() - i);
    if (on_line + len > 75) {
      out += "\r\n ";
      on_line = 1;
    }
    out.append(line.substr(i, len));
    on_line += len;
    i += len;
  }
  out += "\r\n";
  return out;
}

std::optional<CalendarEvent> ActivityEvent(int64_t id, const domain::RecordFacts& a,
                                           const std::string& url) {
  if (!a.lo || !a.hi) return std::nullopt;
  CalendarEvent e;
  e.uid = fmt::format("activity-{}@octopus", id);
  e.first = *a.lo;
  e.last = *a.hi;
  e.url = url;
  e.location = Join(a.places, "; ");
  e.categories = a.projects;
  e.precision = std::string(domain::PrecisionName(a.precision));
  const std::string when = domain::DescribeWhen(a);
  const bool exact = a.precision == domain::Precision::kDay && a.start &&
                     a.start->precision == domain::Precision::kDay &&
                     (!a.end || a.end->precision == domain::Precision::kDay);
  e.tentative = a.precision == domain::Precision::kTbc || a.precision == domain::Precision::kTbd;
  e.summary = a.title;
  std::string description;
  if (!a.projects.empty()) description += Join(a.projects, ", ") + ": ";
  description += a.title + ".";
  if (!a.mode.empty()) description += " Mode: " + a.mode + ".";
  if (!exact) {
    e.summary += " [" + when + "]";
    description += fmt::format(
        "\nDate as the source gives it: {}. This event spans every day the activity may fall "
        "on ({} to {}); it is not an exact date.",
        when, a.lo->ToIso(), a.hi->ToIso());
  }
  if (e.tentative) description += "\nDate to be confirmed.";
  e.description = std::move(description);
  return e;
}

std::string RenderICalendar(const Calendar& c) {
  std::string out;
  auto line = [&](std::string_view text) { out += FoldLine(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Octopus//Activities//EN");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  if (!c.name.empty()) line("X-WR-CALNAME:" + EscapeCalendarText(c.name));
  if (!c.description.empty()) line("X-WR-CALDESC:" + EscapeCalendarText(c.description));
  for (const CalendarEvent& e : c.events) {
    line("BEGIN:VEVENT");
    line("UID:" + EscapeCalendarText(e.uid));
    line("DTSTAMP:" + c.stamp);
    line("DTSTART;VALUE=DATE:" + DateValue(e.first));
    line("DTEND;VALUE=DATE:" + DateValue(e.last.AddDays(1)));
    line("SUMMARY:" + EscapeCalendarText(e.summary));
    if (!e.description.empty()) line("DESCRIPTION:" + EscapeCalendarText(e.description));
    if (!e.location.empty()) line("LOCATION:" + EscapeCalendarText(e.location));
    if (!e.categories.empty()) {
      std::string cats;
      for (const auto& cat : e.categories) {
        if (!cats.empty()) cats += ",";
        cats += EscapeCalendarText(cat);
      }
      line("CATEGORIES:" + cats);
    }
    if (!e.url.empty()) line("URL:" + e.url);
    line(std::string("STATUS:") + (e.cancelled ? "CANCELLED" : e.tentative ? "TENTATIVE" : "CONFIRMED"));
    line("TRANSP:TRANSPARENT");
    if (!e.precision.empty()) line("X-OCTOPUS-DATE-PRECISION:" + e.precision);
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace octopus::publish
