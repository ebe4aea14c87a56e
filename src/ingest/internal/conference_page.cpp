/// An event page (an Octopus conference):
///   Octopus Conference 2023                   (the title)
///   Bucharest, Romania | 13-15 December 2023  (or the dates, then "Council of Europe, Strasbourg, France")
///   … prose …
///   11-12 December                            (the programme: a date line over a title line)
///   Plenary of the Cybercrime Convention Committee (T-CY)
///   AGENDA: 13 December 2023                  (a day of the agenda over its sessions and times)
///   Workshop 1: Global state of cybercrime legislation
///   14h30-16h00 CET

#include <algorithm>

#include "core/text.h"
#include "ingest/internal/recognisers.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

struct When {
  DatePhrase phrase;
  std::string as_written;
  std::vector<std::string> places;  // as written, venue first when it names one
};

bool PlaceLike(std::string_view s) {
  if (s.empty() || s.size() > 60 || s.find('.') != std::string_view::npos) return false;
  size_t words = 0;
  for (const std::string& w : text::Split(s, ' ')) {
    if (w.empty()) continue;
    ++words;
    const unsigned char c = static_cast<unsigned char>(w[0]);
    if (!((c >= 'A' && c <= 'Z') || c >= 0x80 || w == "of" || w == "de")) return false;
  }
  return words >= 1 && words <= 6;
}

// "20-22 November 2019, Council of Europe, Strasbourg, France", "Bucharest, Romania | 13-15 December 2023",
// "Tuesday 1 - Wednesday 2 April 2008".
std::optional<When> WhenLine(std::string_view s, int year) {
  if (s.size() > 140) return std::nullopt;
  std::vector<std::string> parts;
  for (const std::string& bar : text::Split(s, '|')) {
    for (std::string& p : SplitOutsideParens(bar, ',')) parts.push_back(std::move(p));
  }
  std::optional<When> out;
  for (size_t k = 0; k < parts.size(); ++k) {
    auto p = ParseDatePhrase(parts[k], year);
    if (!p || !p->start || p->precision != "day" || (year == 0 && !p->year_given)) continue;
    if (out) return std::nullopt;  // two dates: not a header
    out = When{*p, parts[k], {}};
  }
  if (!out) return std::nullopt;
  for (const std::string& p : parts) {
    if (p == out->as_written) continue;
    if (!PlaceLike(p)) return std::nullopt;
    out->places.push_back(p);
  }
  return out;
}

bool IsTcyPlenary(std::string_view title) {
  const std::string f = text::FoldKey(title);
  return f.find("plenary") != std::string::npos &&
         (f.find("t cy") != std::string::npos || f.find("convention committee") != std::string::npos);
}

// "14h30-16h00 CET", "09:30 - 12:30".
bool IsTimeLine(std::string_view s) {
  if (s.size() > 40 || s.empty() || s[0] < '0' || s[0] > '9') return false;
  return s.find('h') != std::string_view::npos || s.find(':') != std::string_view::npos;
}

json Countries(const MentionFinder& finder, const std::vector<std::string>& places) {
  std::string all;
  for (const auto& p : places) all += p + ", ";
  return MentionFinder::Ids(finder.Countries(all));
}

}  // namespace

LayoutResult ExtractConferencePage(const TextDocument& doc, const MentionFinder& finder) {
  return ExtractConferencePage(doc, CleanLines(doc), finder);
}

LayoutResult ExtractConferencePage(const TextDocument&, const CleanLines& cl, const MentionFinder& finder) {
  LayoutResult out;
  const auto& clean = cl.clean;
  std::vector<size_t> first;
  for (size_t i = 0; i < clean.size() && first.size() < 5; ++i) {
    if (!cl.blank[i]) first.push_back(i);
  }
  if (first.size() < 2) return out;
  const std::string& head = clean[first[0]];
  if (head.size() > 100 || IsProse(head) || WithoutBackLink(head) != head || head.find(" , ") != std::string::npos) {
    return out;
  }
  // The header: a date line among the next three lines (a repeated or glued title between).
  std::optional<When> when;
  size_t when_at = 0;
  for (size_t k = 1; k < first.size() && k <= 3 && !when; ++k) {
    if (auto w = WhenLine(clean[first[k]], 0)) {
      when = w;
      when_at = k;
    } else if (!text::StartsWith(clean[first[k]], head) && k == 1 && IsProse(clean[first[k]])) {
      return out;
    }
  }
  if (!when) return out;
  // "Cybercrime Convention Committee (T-CY)" over "30th Plenary of the T-CY" over the dates:
  // the body that meets heads the page, the event is the line over its dates.
  if (when_at == 2 && !NamesEvent(head) && NamesEvent(clean[first[1]])) {
    first.erase(first.begin());
    when_at = 1;
  }
  const std::string& title = clean[first[0]];
  std::string subtitle;
  for (size_t k = 1; k < when_at; ++k) {
    const std::string& s = clean[first[k]];
    if (text::StartsWith(s, title) && s.size() > title.size()) subtitle = std::string(text::Trim(s.substr(title.size())));
  }
  // "Council of Europe, Strasbourg, France" under the dates.
  if (when->places.empty() && when_at + 1 < first.size()) {
    std::vector<std::string> parts = SplitOutsideParens(clean[first[when_at + 1]], ',');
    if (!parts.empty() && std::all_of(parts.begin(), parts.end(), [](const std::string& p) { return PlaceLike(p); })) {
      when->places = parts;
    }
  }
  const int year = when->phrase.start->year;
  std::string venue;
  if (!when->places.empty() && text::FoldKey(when->places.front()).find("council of europe") != std::string::npos) {
    venue = when->places.front();
  }
  Record main;
  main.kind = "activity";
  main.line = static_cast<int>(first[0] + 1);
  main.fields = json::object({{"projects", MentionFinder::Ids(finder.Projects(title))},
                              {"title", title},
                              {"places", when->places},
                              {"countries", Countries(finder, when->places)},
                              {"mode", nullptr},
                              {"start", IsoOrNull(when->phrase.start)},
                              {"end", IsoOrNull(when->phrase.end)},
                              {"precision", when->phrase.precision},
                              {"as_written", when->as_written},
                              {"section", "conference"}});
  if (!subtitle.empty()) main.fields["subtitle"] = subtitle;
  if (!venue.empty()) main.fields["venue"] = venue;
  out.extraction.records.push_back(std::move(main));
  out.extraction.document.title = title;

  // The programme.
  std::optional<PartialDate> agenda_day;
  const std::string title_key = text::FoldKey(title);
  for (size_t i = first[when_at] + 1; i < clean.size(); ++i) {
    if (cl.blank[i]) continue;
    const std::string& s = clean[i];
    if (text::StartsWith(text::FoldKey(s), "agenda")) {
      const size_t colon = s.find(':');
      if (colon != std::string::npos) {
        if (auto p = ParseDatePhrase(std::string_view(s).substr(colon + 1), year); p && p->start && p->precision == "day") {
          agenda_day = p->start;
        }
      }
      continue;
    }
    auto p = s.size() < 40 ? ParseDatePhrase(s, year) : std::nullopt;
    size_t next = i + 1;
    while (next < clean.size() && cl.blank[next]) ++next;
    if (p && p->start && p->precision == "day" && next < clean.size() && !IsProse(clean[next]) &&
        clean[next].size() < 160) {
      const std::string& what = clean[next];
      if (text::FoldKey(what) == title_key || IsTcyPlenary(what)) {
        i = next;
        continue;  // the conference itself; a T-CY plenary is the statement pass's (tcy_plenary)
      }
      Record r;
      r.line = static_cast<int>(next + 1);
      {
        r.kind = "activity";
        r.fields = json::object({{"projects", MentionFinder::Ids(finder.Projects(what))},
                                 {"title", what},
                                 {"places", when->places},
                                 {"countries", Countries(finder, when->places)},
                                 {"mode", nullptr},
                                 {"start", IsoOrNull(p->start)},
                                 {"end", IsoOrNull(p->end)},
                                 {"precision", p->precision},
                                 {"as_written", s},
                                 {"section", "programme"},
                                 {"held_with", title}});
      }
      if (!p->year_given) r.fields["date_basis"] = "year from the event's dates";
      out.extraction.records.push_back(std::move(r));
      i = next;
      continue;
    }
    // "Workshop 1: Global state of cybercrime legislation" under the agenda's day, its time below.
    const size_t colon = s.find(':');
    if (agenda_day && colon != std::string::npos && colon < 20 && s.size() < 160 && !IsProse(s)) {
      Record r;
      r.kind = "activity";
      r.line = static_cast<int>(i + 1);
      r.fields = json::object({{"projects", json::array()},
                               {"title", s},
                               {"places", when->places},
                               {"countries", Countries(finder, when->places)},
                               {"mode", nullptr},
                               {"start", agenda_day->Iso()},
                               {"end", agenda_day->Iso()},
                               {"precision", "day"},
                               {"as_written", nullptr},
                               {"section", "programme"},
                               {"held_with", title}});
      if (next < clean.size() && IsTimeLine(clean[next])) r.fields["time"] = clean[next];
      out.extraction.records.push_back(std::move(r));
    }
  }
  ItemSpan span;
  span.first = first[0];
  span.end = clean.size();
  span.year = year;  // the page is not dated: its event gives year-less dates their year
  span.headings = {first[0]};
  out.items.push_back(std::move(span));
  out.extraction.document.shape = "conference_page";
  out.recognisers.push_back("conference_page");
  return out;
}

}  // namespace octopus::ingest::internal
