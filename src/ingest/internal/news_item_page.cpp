/// A single news item page as a CMS serves it:
///   Back <title>                      ("Retour <title>" on the French site)
///   <place> , <date>                  (an event's place line, often without its date)
///   body paragraphs
///   Strasbourg 02/06/2014             (the dateline, often at the end)
/// and the document's own date, from the reader or caller, else the dateline.

#include <algorithm>

#include "core/text.h"
#include "ingest/internal/recognisers.h"
#include "ingest/internal/statements.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

bool CapitalWords(std::string_view s) {
  size_t words = 0;
  for (const std::string& w : text::Split(s, ' ')) {
    if (w.empty()) continue;
    ++words;
    const unsigned char c = static_cast<unsigned char>(w[0]);
    if (!((c >= 'A' && c <= 'Z') || c >= 0x80 || w == "of" || w == "de" || w == "du")) return false;
  }
  return words <= 5;
}

bool IsReadMoreLine(std::string_view s) {
  // Each ASCII letter or digit folds to one letter of the key: a line of more than the 11 of
  // "lire la suite" folds to none of these.
  if (AsciiAlnumMoreThan(s, 11)) return false;
  const std::string f = text::FoldKey(s);
  return f == "read more" || f == "lire la suite" || f == "more news";
}

}  // namespace


std::optional<PartialDate> Dateline(std::string_view s, std::string* place) {
  if (s.size() < 8 || s.size() > 80 || s.find('\t') != std::string_view::npos) return std::nullopt;  // a table row
  auto found = DateSuffix(s, 0);
  if (!found || !found->phrase.year_given || found->phrase.precision != "day" || !found->phrase.start ||
      !(*found->phrase.start == *found->phrase.end)) {
    return std::nullopt;
  }
  std::string head(text::Trim(s.substr(0, found->begin)));
  while (!head.empty() && (head.back() == ',' || head.back() == '-' || head.back() == '|')) head.pop_back();
  head = std::string(text::Trim(head));
  for (std::string_view lead : {"Published on", "Published", "Posted on", "Publié le", "Updated on", "Date:"}) {
    if (text::StartsWith(head, lead)) head = std::string(text::Trim(std::string_view(head).substr(lead.size())));
  }
  if (!head.empty() && (head.find_first_of(".:|") != std::string::npos || !CapitalWords(head))) return std::nullopt;
  if (text::StartsWith(head, "Council of Europe")) head = std::string(text::Trim(std::string_view(head).substr(17)));
  if (place) *place = head;
  return found->phrase.start;
}

std::optional<PartialDate> DocumentDate(const TextDocument& doc, const CleanLines& lines, std::string* basis) {
  if (doc.date) {
    if (auto d = ParseIsoDate(*doc.date)) {
      *basis = doc.date_basis.empty() ? "document metadata" : doc.date_basis;
      return d;
    }
  }
  // A listing dates each item, not the page: only a page with no "Read More" has a dateline.
  if (std::count_if(lines.clean.begin(), lines.clean.end(), [](const std::string& s) { return IsReadMoreLine(s); }) >= 2) {
    return std::nullopt;
  }
  for (size_t i = 0; i < lines.clean.size(); ++i) {
    if (lines.blank[i]) continue;
    if (auto d = Dateline(lines.clean[i], nullptr)) {
      *basis = "dateline";
      return d;
    }
  }
  return std::nullopt;
}

LayoutResult ExtractNewsItemPage(const TextDocument& doc, const MentionFinder& finder) {
  return ExtractNewsItemPage(doc, CleanLines(doc), finder);
}

LayoutResult ExtractNewsItemPage(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder) {
  LayoutResult out;
  const auto& clean = cl.clean;
  if (std::count_if(clean.begin(), clean.end(), [](const std::string& s) { return IsReadMoreLine(s); }) >= 2 ||
      NewsPageScore(cl) >= 2) {
    return out;  // a listing: the news page recogniser reads it
  }
  std::optional<size_t> title_line;
  for (size_t i = 0, seen = 0; i < clean.size() && seen < 40; ++i) {
    if (cl.blank[i]) continue;
    ++seen;
    if (WithoutBackLink(clean[i]) != clean[i] && clean[i].size() < 300) {
      title_line = i;
      break;
    }
  }
  std::optional<size_t> date_line;
  std::optional<PartialDate> date;
  std::string place;
  for (size_t i = title_line ? *title_line : 0; i < clean.size(); ++i) {
    if (cl.blank[i]) continue;
    if (auto d = Dateline(clean[i], &place)) {
      date = d;
      date_line = i;
      break;
    }
  }
  if (!title_line && date_line) {
    // No "Back" link: the page's first line is its title when it is a heading.
    for (size_t i = 0; i < clean.size(); ++i) {
      if (cl.blank[i]) continue;
      if (clean[i].size() < 200 && !IsProse(clean[i]) && i != *date_line) title_line = i;
      break;
    }
  }
  if (!title_line) return out;
  std::string basis;
  const std::optional<PartialDate> own = DocumentDate(doc, cl, &basis);
  if (!date && own) date = own;

  const std::string title = WithoutBackLink(clean[*title_line]);
  // The line under the title may be the event's place ("Baku, Azerbaijan , ").
  std::string event_place;
  std::optional<std::string> mode;
  std::string body;
  for (size_t i = *title_line + 1; i < clean.size(); ++i) {
    if (cl.blank[i] || i == date_line) continue;
    const std::string& s = clean[i];
    if (body.empty() && event_place.empty() && s.size() < 80 && !IsProse(s) && s.find(" ,") != std::string::npos) {
      std::string p(text::Trim(std::string_view(s).substr(0, s.find(" ,"))));
      if (text::FoldKey(p) == "online" || text::FoldKey(p) == "en ligne") {
        mode = "online";
      } else if (CapitalWords(std::string(p.begin(), std::remove(p.begin(), p.end(), ','))) ) {
        event_place = p;
      }
      continue;
    }
    if (text::FoldKey(s) == text::FoldKey(title)) continue;  // the title repeated as a heading
    if (IsProse(s)) body += (body.empty() ? "" : "\n\n") + s;
  }
  const std::string all = title + "\n" + body;
  Record r;
  r.kind = "news_item";
  r.line = static_cast<int>(*title_line + 1);
  r.fields = json::object({{"title", title},
                           {"date", IsoOrNull(date)},
                           {"place", place.empty() ? json(nullptr) : json(place)},
                           {"event_start", nullptr},
                           {"event_end", nullptr},
                           {"event_place", event_place.empty() ? json(nullptr) : json(event_place)},
                           {"countries", MentionFinder::Ids(finder.Countries(all))},
                           {"projects", MentionFinder::Ids(finder.Projects(all))},
                           {"treaties", MentionFinder::Ids(finder.Treaties(all))},
                           {"body", body},
                           {"links", json::array()}});
  if (mode) r.fields["mode"] = *mode;
  if (date && !date_line) r.fields["date_basis"] = basis;
  out.extraction.records.push_back(std::move(r));
  out.extraction.document.title = title;
  if (date_line) {
    out.extraction.document.date = date->Iso();
    out.extraction.document.date_basis = "dateline";
  } else if (own) {
    out.extraction.document.date = own->Iso();
    out.extraction.document.date_basis = basis;
  }
  ItemSpan span;
  span.first = *title_line;
  span.end = clean.size();
  span.date = date;
  span.year = date ? date->year : 0;
  span.headings = {*title_line};
  out.items.push_back(std::move(span));
  out.extraction.document.shape = "news_item_page";
  out.recognisers.push_back("news_item_page");
  return out;
}

}  // namespace octopus::ingest::internal
