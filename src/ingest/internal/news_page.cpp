/// The news page shape: one item per block.
///   Title line(s)                       (an event's own date and place in parentheses)
///   [21 June 2011, Strasbourg] Body …   (also "[Kyiv, Ukraine, 31 October 2013]", "[16 Dec 2010]")
///   more paragraphs
///   Link captions (Agenda, Presentations, …)
/// and the later site's listing: a title line, then "21 June 2023 Strasbourg"
/// or "21/06/2023 Strasbourg", a teaser, "Read More".

#include <algorithm>
#include <iterator>
#include <optional>

#include "core/text.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/recognisers.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

struct Anchor {
  size_t line = 0;           // index into doc.lines
  PartialDate date;          // the item's date (start of a span)
  std::optional<DatePhrase> span;
  std::string place;         // "" when the anchor names none
  std::string rest;          // text after the bracket on the same line
};

bool IsMostlyPlace(std::string_view s) {
  // A place: a few capitalised words, no sentence punctuation.
  if (s.empty() || s.size() > 60) return false;
  if (s.find('.') != std::string_view::npos) return false;
  size_t words = 1;
  for (char c : s) words += c == ' ';
  return words <= 6;
}

// "[21 June 2011, Strasbourg] rest", "[Kyiv, Ukraine, 31 October 2013]", "[17-18 March 2011, Lisbon]".
std::optional<Anchor> BracketAnchor(const std::string& line) {
  if (line.size() < 8 || line[0] != '[') return std::nullopt;
  const size_t close = line.find(']');
  if (close == std::string::npos || close > 100) return std::nullopt;
  const std::string inside = line.substr(1, close - 1);
  Anchor a;
  std::vector<std::string> place;
  bool dated = false;
  for (const std::string& part : SplitOutsideParens(inside, ',')) {
    if (!dated) {
      if (auto p = ParseDatePhrase(part, 0); p && p->year_given && p->precision == "day" && p->start) {
        a.date = *p->start;
        a.span = *p;
        dated = true;
        continue;
      }
    }
    place.push_back(part);
  }
  if (!dated) return std::nullopt;
  for (size_t i = 0; i < place.size(); ++i) a.place += (i ? ", " : "") + place[i];
  a.rest = std::string(text::Trim(std::string_view(line).substr(close + 1)));
  return a;
}

// "21 June 2023 Strasbourg", "21/06/2023 Strasbourg", "21 June 2023".
std::optional<Anchor> ListingAnchor(const std::string& line) {
  if (line.empty() || line.size() > 80 || !(line[0] >= '0' && line[0] <= '9')) return std::nullopt;
  // The longest prefix of words that is an exact day.
  std::vector<size_t> cuts;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') cuts.push_back(i);
  }
  cuts.push_back(line.size());
  for (size_t k = std::min<size_t>(cuts.size(), 4); k-- > 0;) {
    const std::string head = line.substr(0, cuts[k]);
    // "11 october 2021", or the span of an event: "11-13 April 2016 Johannesburg".
    auto p = ParseDatePhrase(head, 0);
    if (!p || !p->year_given || p->precision != "day" || !p->start || !p->end || !p->days.empty()) continue;
    Anchor a;
    a.date = *p->start;
    if (!(*p->start == *p->end)) a.span = *p;
    a.place = std::string(text::Trim(std::string_view(line).substr(cuts[k])));
    if (!a.place.empty() && !IsMostlyPlace(a.place)) return std::nullopt;
    return a;
  }
  return std::nullopt;
}

bool EndsWithFunctionWord(std::string_view s) {
  const size_t sp = s.rfind(' ');
  const std::string w = text::ToLowerAscii(sp == std::string_view::npos ? s : s.substr(sp + 1));
  return w == "the" || w == "to" || w == "of" || w == "and" || w == "on" || w == "for" || w == "in" ||
         w == "a" || w == "de" || w == "la" || w == "du" || w == "des";
}

bool IsBullet(std::string_view s) {
  return text::StartsWith(s, "-") || text::StartsWith(s, "\u00b7") || text::StartsWith(s, "\u2022") ||
         text::StartsWith(s, "\u25aa") || text::StartsWith(s, "*") || text::StartsWith(s, "\u2013");
}

bool IsReadMore(std::string_view s) {
  // Each ASCII letter or digit folds to one letter of the key: a line of more than the 12 of
  // "en savoir plus" folds to none of these.
  if (AsciiAlnumMoreThan(s, 12)) return false;
  const std::string f = text::FoldKey(s);
  return f == "read more" || f == "lire la suite" || f == "more" || f == "en savoir plus";
}

// The event a title names: "(Durres, Albania, 9-10 June 2011)", "(23-27 May 2011, Dublin,
// Ireland)", "Internet Governance Forum, Vilnius, Lithuania, 14-17 September 2010".
struct TitleEvent {
  std::optional<DatePhrase> when;
  std::string place;
};

std::string StripQuotes(std::string s) {
  for (std::string_view q : {"\u201c", "\u201d", "\"", "\u00ab", "\u00bb"}) {
    for (size_t p = s.find(q); p != std::string::npos; p = s.find(q)) s.erase(p, q.size());
  }
  return std::string(text::Trim(s));
}

TitleEvent EventOfTitle(const std::string& title) {
  TitleEvent ev;
  const size_t open = title.rfind('(');
  const size_t close = title.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::vector<std::string> place;
    for (const std::string& part : SplitOutsideParens(title.substr(open + 1, close - open - 1), ',')) {
      if (!ev.when) {
        if (auto p = ParseDatePhrase(part, 0); p && p->year_given) {
          ev.when = p;
          continue;
        }
      }
      place.push_back(StripQuotes(part));
    }
    if (ev.when) {
      for (size_t i = 0; i < place.size(); ++i) ev.place += (i ? ", " : "") + place[i];
      return ev;
    }
    ev = {};
  }
  if (auto found = DateSuffix(title, 0); found && found->phrase.year_given) {
    ev.when = found->phrase;
    // The place: the short comma parts just before the date.
    std::vector<std::string> parts = SplitOutsideParens(title.substr(0, found->begin), ',');
    std::vector<std::string> place;
    while (parts.size() > 1 && IsMostlyPlace(parts.back()) && place.size() < 2) {
      place.insert(place.begin(), parts.back());
      parts.pop_back();
    }
    for (size_t i = 0; i < place.size(); ++i) ev.place += (i ? ", " : "") + place[i];
  }
  return ev;
}

// Words that tie a date in a body to the item's own event.
constexpr std::string_view kEventCues[] = {" held ",    " place ",  " scheduled ", " met ",  " organised ",
                                           " organized ", " convened ", " from ",   " between ", " aura lieu ",
                                           " se tiendra "};

}  // namespace

int NewsPageScore(const CleanLines& lines) {
  int score = 0;
  for (size_t i = 0; i < lines.clean.size(); ++i) {
    if (lines.blank[i]) continue;
    const std::string& line = lines.clean[i];
    if (BracketAnchor(line)) score += 2;
  }
  return score;
}

LayoutResult ExtractNewsPage(const TextDocument& doc, const MentionFinder& finder) {
  return ExtractNewsPage(doc, CleanLines(doc), finder);
}

LayoutResult ExtractNewsPage(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder) {
  LayoutResult result;
  result.recognisers.push_back("news_page");
  Extraction& e = result.extraction;
  e.document.shape = "news_page";
  const auto& lines = doc.lines;
  const std::vector<std::string>& clean = cl.clean;
  const std::vector<bool>& blank = cl.blank;

  // Anchors: bracket lines; listing date lines when the page has no brackets.
  std::vector<Anchor> anchors;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (blank[i]) continue;
    if (auto a = BracketAnchor(clean[i])) {
      a->line = i;
      anchors.push_back(*a);
    }
  }
  if (anchors.empty()) {
    for (size_t i = 1; i < lines.size(); ++i) {
      if (blank[i]) continue;
      if (auto a = ListingAnchor(clean[i])) {
        a->line = i;
        anchors.push_back(*a);
      }
    }
  }

  // Each item's title: the run of lines just above its anchor.
  std::vector<size_t> title_start(anchors.size());
  for (size_t k = 0; k < anchors.size(); ++k) {
    const size_t floor = k == 0 ? 0 : anchors[k - 1].line + 1;
    size_t i = anchors[k].line;
    while (i > floor && blank[i - 1]) --i;
    size_t first = i;
    while (first > floor && !blank[first - 1] && i - first < 3) --first;
    title_start[k] = first < i ? first : anchors[k].line;
  }

  // Before the first item: the page's heading, then anything else.
  const size_t first_item = anchors.empty() ? lines.size() : title_start[0];
  bool heading_seen = false;
  for (size_t i = 0; i < first_item; ++i) {
    if (blank[i]) continue;
    if (!heading_seen && clean[i].size() < 200) {
      heading_seen = true;
      e.document.title = clean[i];
      continue;
    }
    e.not_understood.push_back({static_cast<int>(i + 1), clean[i]});
  }

  for (size_t k = 0; k < anchors.size(); ++k) {
    const Anchor& a = anchors[k];
    const size_t end = k + 1 < anchors.size() ? title_start[k + 1] : lines.size();
    std::string title;
    for (size_t i = title_start[k]; i < a.line; ++i) {
      if (!blank[i]) title += (title.empty() ? "" : " ") + clean[i];
    }
    const int item_line = static_cast<int>(title_start[k] + 1);
    ItemSpan span;
    span.first = title_start[k];
    span.end = end;
    span.date = a.date;
    span.year = a.date.year;
    for (size_t i = title_start[k]; i < a.line; ++i) {
      if (!blank[i]) span.headings.push_back(i);
    }
    result.items.push_back(std::move(span));

    // Body paragraphs and link captions.
    std::vector<std::pair<int, std::string>> paragraphs;  // line, text
    std::vector<std::pair<int, std::string>> links;
    bool list_open = false;  // after a line ending in ':' short lines are list items
    auto add_paragraph = [&](size_t i, std::string text, bool joined) {
      std::replace(text.begin(), text.end(), '\t', ' ');  // a column gap inside prose
      if (joined && !paragraphs.empty()) {
        paragraphs.back().second += " " + text;
      } else {
        paragraphs.push_back({static_cast<int>(i + 1), text});
      }
    };
    if (!a.rest.empty()) add_paragraph(a.line, a.rest, false);
    bool prev_prose = !a.rest.empty();
    for (size_t i = a.line + 1; i < end; ++i) {
      if (blank[i]) {
        prev_prose = false;
        continue;
      }
      const std::string& s = clean[i];
      if (IsReadMore(s)) {
        links.push_back({static_cast<int>(i + 1), s});
        prev_prose = false;
        continue;
      }
      if (IsProse(s) || IsBullet(s) || list_open || s.back() == ':' ||
          (prev_prose && !paragraphs.empty() && std::string_view(".!?:").find(paragraphs.back().second.back()) == std::string_view::npos)) {
        // A prose line right after an unfinished one continues it (wrapped text).
        const bool continues = prev_prose && !paragraphs.empty() &&
                               std::string_view(".!?:").find(paragraphs.back().second.back()) == std::string_view::npos &&
                               !IsBullet(s);
        add_paragraph(i, s, continues);
        if (IsProse(s) && s.back() != ':') list_open = false;
        if (s.back() == ':') list_open = true;
        prev_prose = !IsBullet(s) && !list_open;
        continue;
      }
      // A caption; "… accessions to the" + "Convention" is one caption over two lines.
      if (!links.empty() && EndsWithFunctionWord(links.back().second)) {
        links.back().second += " " + s;
      } else {
        links.push_back({static_cast<int>(i + 1), s});
      }
      prev_prose = false;
    }

    std::string body;
    for (const auto& paragraph : paragraphs) body += (body.empty() ? "" : "\n\n") + paragraph.second;
    const std::string all = title + "\n" + body;
    TitleEvent ev = EventOfTitle(title);
    bool dated_by_anchor = false;
    if (!ev.when && a.span && a.span->start && a.span->end && !(*a.span->start == *a.span->end)) {
      dated_by_anchor = true;
      ev.when = a.span;  // "[17-18 March 2011, Lisbon]": the bracket dates the event itself
      ev.place = a.place;
    }
    bool dated_by_body = false;
    if (!ev.when && !paragraphs.empty()) {
      // The event's date in the first paragraphs: "… will take place in Tallinn on 5-6 May 2011."
      for (size_t p = 0; p < std::min<size_t>(2, paragraphs.size()) && !ev.when; ++p) {
        const std::string& para = paragraphs[p].second;
        for (const FoundDate& d : DatesIn(para, a.date.year)) {
          // Only a date the text ties to the event: "will take place … on 5-6 May 2011".
          const std::string before = text::FoldKey(para.substr(d.begin > 40 ? d.begin - 40 : 0, std::min<size_t>(d.begin, 40)));
          const bool cue = std::any_of(std::begin(kEventCues), std::end(kEventCues), [&](std::string_view c) {
            return (" " + before + " ").find(c) != std::string::npos;
          });
          if (cue && d.phrase.precision == "day" && d.phrase.year_given) {
            ev.when = d.phrase;
            dated_by_body = true;
            break;
          }
        }
      }
    }
    json link_captions = json::array();
    for (const auto& [line, caption] : links) {
      link_captions.push_back(caption);
      Record r;
      r.kind = "link";
      r.line = line;
      r.fields = json::object({{"caption", caption}, {"target", nullptr}, {"item_line", item_line}});
      e.records.push_back(std::move(r));
    }
    // The event the item is about, as an activity: the title's own event ("Closing Conference
    // (29-30 April 2013, Budva, Montenegro)"), or the span a listing dates the item with, named
    // by the event its teaser introduces.
    // Only a title that names an event: "Germany ratified the Protocol (10 June 2011)" is news, no activity.
    const bool names_event = NamesEvent(title) || (dated_by_anchor && !paragraphs.empty() &&
                                                   EventPhrase(paragraphs.front().second));
    const std::vector<std::string> projects = MentionFinder::Ids(finder.Projects(all));
    if (ev.when && ev.when->start && ev.when->year_given && names_event) {
      std::string what = WithoutEventSuffix(title);
      if (dated_by_anchor) {
        // The title's event when it names one, else the one its teaser introduces.
        if (auto named = EventPhrase(title)) {
          what = *named;
        } else if (auto teaser = paragraphs.empty() ? std::nullopt : EventPhrase(paragraphs.front().second)) {
          what = *teaser;
        }
      }
      if (dated_by_body) {
        // The body dates the event the title names: "… during the 2nd webinar of the series …".
        if (auto named = EventPhrase(title)) what = *named;
      }
      std::vector<std::string> places = SplitOutsideParens(ev.place, ',');
      Record act;
      act.kind = "activity";
      act.line = item_line;
      act.fields = json::object({{"projects", projects},
                                 {"title", what},
                                 {"places", places},
                                 {"countries", MentionFinder::Ids(finder.Countries(ev.place))},
                                 {"mode", nullptr},
                                 {"start", IsoOrNull(ev.when->start)},
                                 {"end", IsoOrNull(ev.when->end)},
                                 {"precision", ev.when->precision},
                                 {"as_written", nullptr},
                                 {"section", "news_item"},
                                 {"item_line", item_line}});
      e.records.push_back(std::move(act));
    }
    Record r;
    r.kind = "news_item";
    r.line = item_line;
    r.fields = json::object({
        {"title", title.empty() ? json(nullptr) : json(title)},
        {"date", a.date.Iso()},
        {"place", a.place.empty() ? json(nullptr) : json(a.place)},
        {"event_start", ev.when ? IsoOrNull(ev.when->start) : json(nullptr)},
        {"event_end", ev.when ? IsoOrNull(ev.when->end) : json(nullptr)},
        {"event_place", ev.place.empty() ? json(nullptr) : json(ev.place)},
        {"countries", MentionFinder::Ids(finder.Countries(all))},
        {"projects", projects},
        {"treaties", MentionFinder::Ids(finder.Treaties(all))},
        {"body", std::move(body)},
        {"links", std::move(link_captions)},
    });
    // A date line that gives a span of days ("11-13 April 2016 Johannesburg") dates the item
    // by its first day: the record says so, and keeps the span as the event's.
    if (dated_by_anchor && a.span && a.span->start && a.span->end && !(*a.span->start == *a.span->end) &&
        a.date == *a.span->start) {
      r.fields["date_basis"] = "the first day of the span its date line gives";
    }
    e.records.push_back(std::move(r));
  }
  return result;
}

}  // namespace octopus::ingest::internal
