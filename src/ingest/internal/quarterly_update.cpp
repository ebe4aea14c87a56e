/// The quarterly update shape (the Cybercrime@CoE Update):
///   the period ("July - September 2023"), highlights, save the date,
///   "UPDATE: …" sections with treaty figures ("Parties as of 30 September 2023: 68"),
///   project basics (Duration:, Budget:, Funding:, Participating countries:, Implementation:)
///   and project updates ("PLACE, DATES" header, "In person | Title", body, READ MORE),
///   the inventory of activities by month and "Coming next" (a project column, a TAB, then
///   "Title, places, <i>mode</i>, dates"), the inventory of projects and the totals table.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>

#include "core/text.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

enum class Section {
  kFront,
  kHighlights,
  kPromo,
  kSaveTheDate,
  kUpdate,
  kInventory,
  kComingNext,
  kProjectInventory,
};

std::string Slug(std::string_view label) {
  std::string s = text::FoldKey(label);
  for (char& c : s) {
    if (c == ' ') c = '_';
  }
  return s;
}

bool FoldedStarts(std::string_view s, std::string_view prefix) {
  return text::StartsWith(text::FoldKey(s), prefix);
}

std::optional<Section> SectionOf(std::string_view line, std::string* name) {
  if (line.size() > 120) return std::nullopt;
  const std::string f = text::FoldKey(line);
  if (text::StartsWith(f, "highlights")) return Section::kHighlights;
  if (f == "follow us" || text::StartsWith(f, "tools on cybercrime")) return Section::kPromo;
  if (text::StartsWith(f, "save the date")) return Section::kSaveTheDate;
  if (text::StartsWith(line, "UPDATE:") || text::StartsWith(line, "Update:")) {
    *name = std::string(text::Trim(line.substr(7)));
    return Section::kUpdate;
  }
  if (text::StartsWith(f, "inventory of activities")) return Section::kInventory;
  if (text::StartsWith(f, "coming next")) return Section::kComingNext;
  if (text::StartsWith(f, "inventory of capacity building projects")) return Section::kProjectInventory;
  return std::nullopt;
}

// The mode a source marks: "In person", "in-person", "Online", "Hybrid".
std::optional<std::string> ModeOf(std::string_view s) {
  const std::string f = text::FoldKey(s);
  if (f == "in person") return "in person";
  if (f == "online" || f == "en ligne") return "online";
  if (f == "hybrid" || f == "hybride") return "hybrid";
  return std::nullopt;
}

// "In person | Title" (after cleaning "***In person* | Title**").
std::optional<std::pair<std::string, std::string>> ModeLine(std::string_view s) {
  const size_t bar = s.find('|');
  if (bar == std::string_view::npos || bar > 20) return std::nullopt;
  auto mode = ModeOf(s.substr(0, bar));
  if (!mode) return std::nullopt;
  return std::make_pair(*mode, std::string(text::Trim(s.substr(bar + 1))));
}

// Where a mode marker starts inside a line ("4-8 SeptemberIn person | …"), or npos.
size_t GluedModeAt(std::string_view s) {
  const std::string lower = text::ToLowerAscii(s);
  for (std::string_view marker : {"in person |", "in-person |", "online |", "hybrid |"}) {
    const size_t at = lower.find(marker);
    if (at != std::string::npos && at > 0) return at;
  }
  return std::string_view::npos;
}

bool FirstWordUpper(std::string_view s) {
  size_t letters = 0;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == ';') break;
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++letters;
  }
  return letters >= 2;
}

struct Header {
  std::string place;
  DatePhrase when;
  std::string as_written;
};

std::optional<Header> ParseHeader(std::string_view s, int year) {
  if (s.size() > 160 || s.empty() || s.back() == '.') return std::nullopt;
  auto found = DateSuffix(s, year);
  if (!found || found->begin == 0) return std::nullopt;
  std::string place(text::Trim(s.substr(0, found->begin)));
  while (!place.empty() && (place.back() == ',' || place.back() == ';')) place.pop_back();
  place = std::string(text::Trim(place));
  if (place.empty() || place.size() > 80 || !FirstWordUpper(place)) return std::nullopt;
  return Header{place, found->phrase, std::string(text::Trim(s.substr(found->begin)))};
}

// "EUR 10 million", "EUR: 4.945 Million", "Budget: EUR 5.33 million", "USD 508,371.23".
std::optional<std::pair<double, std::string>> ParseMoney(std::string_view s) {
  static constexpr std::pair<std::string_view, std::string_view> kCurrencies[] = {
      {"EUR", "EUR"}, {"\u20ac", "EUR"}, {"USD", "USD"}, {"US$", "USD"}, {"$", "USD"}, {"GBP", "GBP"}};
  for (const auto& [mark, code] : kCurrencies) {
    const size_t at = s.find(mark);
    if (at == std::string_view::npos) continue;
    size_t i = at + mark.size();
    while (i < s.size() && (s[i] == ' ' || s[i] == ':')) ++i;
    std::string digits;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == ',')) {
      if (s[i] != ',') digits.push_back(s[i]);
      ++i;
    }
    if (digits.empty() || digits.find_first_of("0123456789") == std::string::npos) continue;
    if (digits.back() == '.') digits.pop_back();
    double amount = 0;
    try {
      amount = std::stod(digits);
    } catch (...) {
      continue;
    }
    const std::string tail = text::FoldKey(s.substr(i, 10));
    if (text::StartsWith(tail, "million") || tail == "m" || text::StartsWith(tail, "m ")) amount *= 1e6;
    if (text::StartsWith(tail, "billion")) amount *= 1e9;
    return std::make_pair(std::round(amount * 100) / 100, std::string(code));
  }
  return std::nullopt;
}

json Amount(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9e15) return json(static_cast<int64_t>(v));
  return json(v);
}

// "Voluntary contributions by Canada, …, USA" → [Canada, …, USA];
// "Joint project of the European Union (…) and the Council of Europe" → [European Union, Council of Europe].
std::vector<std::string> Funders(std::string_view s) {
  std::string t = WithoutParentheticals(s);  // parentheticals name instruments, not funders
  std::string f = std::string(text::Trim(t));
  for (std::string_view prefix : {"Voluntary contributions by", "Voluntary contribution by", "Joint projects of",
                                  "Joint project of", "Funded by", "Funding by", "Contributions by"}) {
    if (text::StartsWith(text::ToLowerAscii(f), text::ToLowerAscii(prefix))) {
      f = std::string(text::Trim(std::string_view(f).substr(prefix.size())));
      break;
    }
  }
  for (std::string_view sep : {", as well as ", " as well as ", " and "}) {
    for (size_t p = f.find(sep); p != std::string::npos; p = f.find(sep)) f.replace(p, sep.size(), ",");
  }
  std::vector<std::string> out;
  for (std::string part : SplitOutsideParens(f, ',')) {
    if (text::StartsWith(part, "the ")) part.erase(0, 4);
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

struct ProjectBlock {
  std::string name;
  int line = 0;
  std::map<std::string, std::string> fields;  // folded key → value
  std::vector<std::string> members;           // projects of a joint initiative
};

bool IsProjectKey(const std::string& key) {
  return key == "duration" || key == "budget" || key == "funding" || key == "participating countries" ||
         key == "participating countries regions" || key == "participating regions" || key == "implementation" ||
         key == "geographical scope" || key == "implementing partners" || key == "partners";
}

Record ProjectRecord(const ProjectBlock& b, const std::string& section, const MentionFinder& finder) {
  json f = EmptyProjectFields(b.name, section);
  if (!b.members.empty()) f["projects"] = b.members;
  for (const auto& [key, value] : b.fields) {
    if (key == "duration") {
      if (auto d = ParseDatePhrase(value, 0)) {
        f["start"] = IsoOrNull(d->start);
        f["end"] = IsoOrNull(d->end);
      }
      f["duration"] = value;
    } else if (key == "budget") {
      if (auto m = ParseMoney(value)) {
        f["budget_amount"] = Amount(m->first);
        f["budget_currency"] = m->second;
      }
      f["budget"] = value;
    } else if (key == "funding") {
      f["funders"] = Funders(value);
      f["funding"] = value;
    } else if (key == "geographical scope" || key == "participating regions" ||
               key == "participating countries regions") {
      f["scope"] = value;
      if (auto c = MentionFinder::Ids(finder.Countries(value)); !c.empty()) f["countries"] = c;
    } else if (key == "participating countries") {
      f["countries"] = MentionFinder::Ids(finder.Countries(value));
      f["participants"] = value;
    } else if (key == "implementation" || key == "implementing partners" || key == "partners") {
      f["implementer"] = value;
    }
  }
  Record r;
  r.kind = "project";
  r.line = b.line;
  r.fields = std::move(f);
  return r;
}

// "<i>in person</i>" → the mode, and the line without it.
std::string TakeTaggedMode(std::string_view raw, std::optional<std::string>* mode) {
  std::string out(raw);
  const std::string lower = text::ToLowerAscii(out);
  for (size_t open = lower.find("<i>"); open != std::string::npos; open = lower.find("<i>", open + 3)) {
    const size_t close = lower.find("</i>", open);
    if (close == std::string::npos) break;
    if (auto m = ModeOf(out.substr(open + 3, close - open - 3))) {
      *mode = m;
      out.replace(open, close + 4 - open, "");
      return out;
    }
  }
  return out;
}

bool IsRegionWord(std::string_view s) {
  const std::string f = text::FoldKey(s);
  static constexpr std::string_view kRegions[] = {
      "latam", "mena", "global", "africa", "asia", "pacific", "caribbean", "europe", "latin america",
      "asia pacific", "west africa", "east africa", "eastern partnership", "south eastern europe",
      "western balkans", "ecowas", "online", "worldwide"};
  for (std::string_view r : kRegions) {
    if (f == r) return true;
  }
  return false;
}

bool CityLike(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  size_t words = 0;
  for (const std::string& w : text::Split(s, ' ')) {
    if (w.empty()) continue;
    ++words;
    const unsigned char c = static_cast<unsigned char>(w[0]);
    const bool capital = (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (!capital && w != "of" && w != "de" && w != "la" && w != "el" && w != "the" && w != "du" && w != "am") {
      return false;
    }
  }
  return words >= 1 && words <= 4;
}

// A row is complete when its last part is its date ("…, <i>online</i> , 3-5 July").
bool RowIsComplete(const std::string& rest, int year) {
  std::optional<std::string> mode;
  const std::string line = CleanLine(TakeTaggedMode(rest, &mode));
  const std::vector<std::string> parts = SplitOutsideParens(line, ',');
  return !parts.empty() && DateSuffix(parts.back(), year).has_value();
}

}  // namespace

int QuarterlyUpdateScore(const CleanLines& lines) {
  int score = 0;
  size_t seen = 0, titled = 0;
  bool dated = false;
  for (size_t i = 0; i < lines.clean.size(); ++i) {
    if (lines.blank[i]) continue;
    const std::string& line = lines.clean[i];
    std::string name;
    if (auto s = SectionOf(line, &name)) score += (*s == Section::kInventory || *s == Section::kComingNext) ? 3 : 1;
    ++seen;
    // A short issue has no sections: its title, then its period of months on one of the next lines.
    if (titled != 0 && !dated && seen <= titled + 2 && line.size() < 60) {
      const std::optional<DatePhrase> p = ParseDatePhrase(line, 0);
      if (p && p->year_given && (p->precision == "range" || p->precision == "month")) {
        dated = true;
        ++score;
      }
    }
    if (seen < 20 && text::FoldKey(line).find("update") != std::string::npos &&
        text::FoldKey(line).find("cybercrime") != std::string::npos) {
      if (titled == 0) titled = seen;
      score += 3;
      // A two-column PDF runs its headings into the text: "… UPDATE January – March 2018 Highlights …".
      if (line.size() > 120 && (" " + text::FoldKey(line) + " ").find(" highlights ") != std::string::npos) ++score;
    }
  }
  return score;
}

LayoutResult ExtractQuarterlyUpdate(const TextDocument& doc, const MentionFinder& finder) {
  return ExtractQuarterlyUpdate(doc, CleanLines(doc), finder);
}

LayoutResult ExtractQuarterlyUpdate(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder) {
  LayoutResult result;
  result.recognisers.push_back("quarterly_update");
  Extraction& e = result.extraction;
  e.document.shape = "quarterly_update";
  const auto& lines = doc.lines;
  const std::vector<std::string>& clean = cl.clean;
  const std::vector<bool>& blank = cl.blank;
  auto line_no = [](size_t i) { return static_cast<int>(i + 1); };
  auto not_understood = [&](size_t i) { e.not_understood.push_back({line_no(i), clean[i]}); };

  // The period: the first line (of the first 40) that is a span of months with its year.
  int year = 0;
  for (size_t i = 0, seen = 0; i < lines.size() && seen < 40; ++i) {
    if (blank[i]) continue;
    ++seen;
    std::optional<DatePhrase> p = ParseDatePhrase(clean[i], 0);
    if (!p) {
      if (auto f = DateSuffix(clean[i], 0)) p = f->phrase;
    }
    if (!p && clean[i].size() > 120) {
      // The period run into the first line of a two-column PDF: the first span of months in it.
      for (const FoundDate& d : DatesIn(std::string_view(clean[i]).substr(0, 200), 0)) {
        if (d.phrase.precision == "range" && d.phrase.year_given) {
          p = d.phrase;
          break;
        }
      }
    }
    if (p && p->year_given && (p->precision == "range" || p->precision == "month") && p->start && p->end) {
      auto last = PartialDate{p->end->year, p->end->month, 1};
      const int days = [&] {
        static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const bool leap = (last.year % 4 == 0 && last.year % 100 != 0) || last.year % 400 == 0;
        return last.month == 2 && leap ? 29 : kDays[last.month - 1];
      }();
      e.document.period_start = PartialDate{p->start->year, p->start->month, 1}.Iso();
      e.document.period_end = PartialDate{p->end->year, p->end->month, days}.Iso();
      year = p->end->year;
      break;
    }
  }

  Section section = Section::kFront;
  std::string update_name;
  std::vector<std::string> section_projects;
  std::string treaty_block;
  bool committee = false;
  int list_year = year, list_month = 0;
  std::optional<ProjectBlock> block;
  std::string block_section;

  // The project update being read.
  struct Item {
    size_t line = 0;
    Header header;
    std::optional<std::string> mode;
    std::string title;
    std::vector<std::pair<size_t, std::string>> body;
    std::vector<std::pair<size_t, std::string>> links;
  };
  std::optional<Item> item;
  size_t item_last = 0;  // the item's last line so far

  auto flush_block = [&] {
    if (block) {
      e.records.push_back(ProjectRecord(*block, block_section, finder));
      block.reset();
    }
  };
  auto flush_item = [&] {
    if (!item) return;
    result.items.back().end = item_last + 1;
    std::string body;
    for (const auto& [ln, text] : item->body) body += (body.empty() ? "" : "\n\n") + text;
    const std::string all = item->header.place + "\n" + item->title + "\n" + body;
    std::vector<std::string> projects = MentionFinder::Ids(finder.Projects(all));
    for (const auto& p : section_projects) {
      if (std::find(projects.begin(), projects.end(), p) == projects.end()) projects.push_back(p);
    }
    std::sort(projects.begin(), projects.end());
    const DatePhrase& w = item->header.when;
    Record r;
    r.kind = "news_item";
    r.line = line_no(item->line);
    r.fields = json::object({{"title", item->title.empty() ? json(nullptr) : json(item->title)},
                             {"date", IsoOrNull(w.start ? w.start : w.end)},
                             {"place", item->header.place},
                             {"event_start", IsoOrNull(w.start)},
                             {"event_end", IsoOrNull(w.end)},
                             {"event_place", item->header.place},
                             {"event_precision", w.precision},
                             {"as_written", item->header.as_written},
                             {"mode", item->mode ? json(*item->mode) : json(nullptr)},
                             {"countries", MentionFinder::Ids(finder.Countries(all))},
                             {"projects", projects},
                             {"treaties", MentionFinder::Ids(finder.Treaties(all))},
                             {"body", body},
                             {"section", update_name}});
    e.records.push_back(std::move(r));
    for (const auto& [ln, caption] : item->links) {
      Record l;
      l.kind = "link";
      l.line = line_no(ln);
      l.fields = json::object({{"caption", caption}, {"target", nullptr}, {"item_line", line_no(item->line)}});
      e.records.push_back(std::move(l));
    }
    item.reset();
  };
  auto start_item = [&](size_t i, Header h) {
    flush_item();
    item = Item{};
    item->line = i;
    item->header = std::move(h);
    item_last = i;
    const bool exact = item->header.when.start && item->header.when.precision == "day";
    ItemSpan span;
    span.first = i;
    span.end = i + 1;
    span.date = exact ? item->header.when.start : std::nullopt;
    span.year = year;
    result.items.push_back(std::move(span));
  };
  auto set_title = [&](size_t i, std::string title, std::optional<std::string> mode) {
    item->title = std::move(title);
    item->mode = std::move(mode);
    item_last = i;
    result.items.back().headings.push_back(i);
  };

  auto activity = [&](size_t i, const std::string& raw, const std::string& where) {
    std::optional<std::string> mode;
    const std::string line = CleanLine(TakeTaggedMode(raw, &mode));
    const size_t tab = line.find('\t');
    const std::string project_text = line.substr(0, tab);
    std::string rest(text::Trim(std::string_view(line).substr(tab + 1)));
    for (char& c : rest) {
      if (c == '\t') c = ' ';
    }
    std::vector<std::string> projects;
    std::string pt = project_text;
    for (char& c : pt) {
      if (c == '/') c = ',';
    }
    for (const std::string& p : SplitOutsideParens(pt, ',')) projects.push_back(MentionFinder::ProjectName(p));
    std::vector<std::string> parts = SplitOutsideParens(rest, ',');
    // Date: the last part.
    std::optional<DatePhrase> when;
    std::string as_written;
    if (!parts.empty()) {
      if (auto f = DateSuffix(parts.back(), list_year)) {
        when = f->phrase;
        as_written = std::string(text::Trim(std::string_view(parts.back()).substr(f->begin)));
        const std::string before(text::Trim(std::string_view(parts.back()).substr(0, f->begin)));
        parts.pop_back();
        if (!before.empty()) parts.push_back(before);
      }
    }
    // Mode written as a plain part ("Online").
    for (size_t k = parts.size(); k-- > 1;) {
      if (auto m = ModeOf(parts[k])) {
        mode = m;
        parts.erase(parts.begin() + static_cast<long>(k));
        break;
      }
    }
    // Places: countries, regions and the cities beside them, from the right.
    std::vector<std::string> places;
    auto is_country = [&](const std::string& p) { return finder.gazetteer().Find(p) != nullptr; };
    while (parts.size() > 1) {
      const std::string& p = parts.back();
      const bool country = is_country(p);
      const bool beside_country = (!places.empty() && is_country(places.front())) ||
                                  (parts.size() >= 2 && is_country(parts[parts.size() - 2]));
      if (country || IsRegionWord(p) || (CityLike(p) && beside_country)) {
        places.insert(places.begin(), p);
        parts.pop_back();
      } else {
        break;
      }
    }
    std::string title;
    for (size_t k = 0; k < parts.size(); ++k) title += (k ? ", " : "") + parts[k];
    std::vector<std::string> countries;
    for (const auto& p : places) {
      if (const domain::Country* c = finder.gazetteer().Find(p)) countries.push_back(c->iso2);
    }
    for (const auto& c : MentionFinder::Ids(finder.Countries(title))) countries.push_back(c);
    std::sort(countries.begin(), countries.end());
    countries.erase(std::unique(countries.begin(), countries.end()), countries.end());
    json f = json::object({{"projects", projects},
                           {"title", title},
                           {"places", places},
                           {"countries", countries},
                           {"mode", mode ? json(*mode) : json(nullptr)},
                           {"start", nullptr},
                           {"end", nullptr},
                           {"precision", nullptr},
                           {"as_written", as_written.empty() ? json(nullptr) : json(as_written)},
                           {"section", where}});
    if (when) {
      f["start"] = IsoOrNull(when->start);
      f["end"] = IsoOrNull(when->end);
      f["precision"] = when->precision;
      if (!when->days.empty()) {
        json days = json::array();
        for (const auto& d : when->days) days.push_back(d.Iso());
        f["days"] = days;
      }
    } else if (list_month != 0) {
      // Listed under a month heading and dated no further: that month, and said so.
      const std::string month = PartialDate{list_year, list_month, 0}.Iso();
      f["start"] = month;
      f["end"] = month;
      f["precision"] = "month";
      f["date_from"] = "heading";
    }
    Record r;
    r.kind = "activity";
    r.line = line_no(i);
    r.fields = std::move(f);
    e.records.push_back(std::move(r));
  };

  auto figure = [&](size_t i, const std::string& treaty, const std::string& measure, int count, bool at_least,
                    const std::optional<std::string>& as_of, const std::string& label) {
    Record r;
    r.kind = "treaty_figure";
    r.line = line_no(i);
    r.fields = json::object({{"treaty", treaty},
                             {"measure", measure},
                             {"count", count},
                             {"at_least", at_least},
                             {"as_of", as_of ? json(*as_of) : json(nullptr)},
                             {"span", label}});
    e.records.push_back(std::move(r));
  };
  const std::string main_treaty = [&] {
    const domain::Treaty* t = finder.catalog().Resolve("ETS 185");
    return t ? t->ref : std::string("ETS 185");
  }();

  // "Parties:\t68\tOther States …:\t45+" — label/value cells of the totals table.
  auto totals = [&](size_t i) -> bool {
    const std::vector<std::string> cells = SplitOutsideParens(clean[i], '\t');
    if (cells.size() < 2) return false;
    bool any = false;
    for (size_t c = 0; c + 1 < cells.size(); c += 2) {
      std::string label = cells[c];
      const std::string& value = cells[c + 1];
      if (value.empty() || !(value[0] >= '0' && value[0] <= '9')) return any;
      if (label != "=" && (label.empty() || label.back() != ':')) return any;  // "Label:" or "="
      if (label.back() == ':') label.pop_back();
      const std::string f = text::FoldKey(label);
      std::string measure;
      if (label == "=") {
        measure = c == 0 ? "total" : "total_other";
      } else if (f == "parties") {
        measure = "parties";
      } else if (f == "signed" || f == "signatories") {
        measure = "signatories";
      } else if (f == "invited to accede" || f == "invited") {
        measure = "invited";
      } else if (f.find("broadly in line") != std::string::npos) {
        measure = "broadly_in_line";
      } else if (f.find("drawing on") != std::string::npos) {
        measure = "drawing_on";
      } else {
        measure = Slug(label);
      }
      const auto count = LeadingCount(value);
      if (!count) return any;
      figure(i, main_treaty, measure, *count, value.find('+') != std::string::npos, e.document.period_end,
             label + " " + value);
      any = true;
    }
    return any;
  };

  // An inventory row being assembled from its lines.
  struct Row {
    size_t line = 0;
    std::string project, rest, where;
    bool complete = false;  ///< the text ends with its date
  };
  std::optional<Row> row;
  auto flush_row = [&] {
    if (!row) return;
    if (row->project.empty()) {
      not_understood(row->line);  // a row without its project column
    } else {
      activity(row->line, row->project + "\t" + row->rest, row->where);
    }
    row.reset();
  };

  for (size_t i = 0; i < lines.size(); ++i) {
    if (blank[i]) continue;
    const std::string& s = clean[i];
    std::string name;
    if (auto next = SectionOf(s, &name)) {
      flush_row();
      flush_item();
      flush_block();
      section = *next;
      section_projects.clear();
      treaty_block.clear();
      committee = false;
      list_month = 0;
      if (section == Section::kUpdate) {
        update_name = name;
        for (const auto& p : MentionFinder::Ids(finder.Projects(name))) section_projects.push_back(p);
        if (section_projects.empty() && name.find("T-CY") == std::string::npos) {
          section_projects.push_back(MentionFinder::ProjectName(name));
        }
      }
      if (section == Section::kInventory || section == Section::kComingNext) {
        if (auto f = DateSuffix(s, year); f && f->phrase.end) list_year = f->phrase.end->year;
      }
      continue;
    }
    if (totals(i)) continue;
    const std::string f = text::FoldKey(s);
    switch (section) {
      case Section::kFront: {
        if (f.find("update") != std::string::npos || ParseDatePhrase(s, 0)) continue;  // title, period
        not_understood(i);
        break;
      }
      case Section::kHighlights: {
        // "- Title", or "▪ A ▪ B" run together from a two-column PDF.
        std::string t = s;
        for (std::string_view bullet : {"\u25aa", "\u2022", "\u00b7"}) {
          for (size_t p = t.find(bullet); p != std::string::npos; p = t.find(bullet)) t.replace(p, bullet.size(), "\n");
        }
        for (const std::string& part : text::Split(t, '\n')) {
          std::string_view h = text::Trim(part);
          if (text::StartsWith(h, "- ")) h = text::Trim(h.substr(2));
          if (h.empty()) continue;
          Record r;
          r.kind = "link";
          r.line = line_no(i);
          r.fields = json::object({{"caption", std::string(h)}, {"target", nullptr}, {"section", "highlights"}});
          e.records.push_back(std::move(r));
        }
        break;
      }
      case Section::kPromo:
        not_understood(i);
        break;
      case Section::kSaveTheDate: {
        // "- 13-15 December 2023, Bucharest, Romania: Octopus Conference 2023"
        std::string_view t = s;
        if (text::StartsWith(t, "- ")) t = text::Trim(t.substr(2));
        const size_t colon = t.find(": ");
        std::vector<std::string> parts = SplitOutsideParens(t.substr(0, colon), ',');
        std::optional<DatePhrase> when = parts.empty() ? std::nullopt : ParseDatePhrase(parts.front(), year);
        if (colon == std::string_view::npos || !when) {
          not_understood(i);
          break;
        }
        const std::string as_written = parts.front();
        parts.erase(parts.begin());
        const std::string title(text::Trim(t.substr(colon + 2)));
        std::vector<std::string> countries;
        for (const auto& p : parts) {
          if (const domain::Country* c = finder.gazetteer().Find(p)) countries.push_back(c->iso2);
        }
        Record r;
        r.kind = "activity";
        r.line = line_no(i);
        r.fields = json::object({{"projects", MentionFinder::Ids(finder.Projects(title))},
                                 {"title", title},
                                 {"places", parts},
                                 {"countries", countries},
                                 {"mode", nullptr},
                                 {"start", IsoOrNull(when->start)},
                                 {"end", IsoOrNull(when->end)},
                                 {"precision", when->precision},
                                 {"as_written", as_written},
                                 {"section", "save_the_date"}});
        e.records.push_back(std::move(r));
        break;
      }
      case Section::kUpdate: {
        // Project basics: "<Name> basics", then "Key: value" lines.
        if (text::StartsWith(f.size() > 6 ? f.substr(f.size() - 6) : f, "basics") && s.size() < 80) {
          flush_item();
          flush_block();
          std::string pname(text::Trim(std::string_view(s).substr(0, s.size() - 6)));
          pname = MentionFinder::ProjectName(pname);
          block = ProjectBlock{pname, line_no(i), {}, {}};
          block_section = "update";
          section_projects = {pname};
          continue;
        }
        const size_t colon = s.find(':');
        if (colon != std::string::npos && !item) {
          const std::string key = text::FoldKey(s.substr(0, colon));
          if (IsProjectKey(key)) {
            if (!block) {
              block = ProjectBlock{update_name, line_no(i), {}, {}};
              block_section = "update";
              if (section_projects.size() > 1) block->members = section_projects;
            }
            std::string value(text::Trim(std::string_view(s).substr(colon + 1)));
            // "Budget: Budget: EUR 5.33 million"
            while (FoldedStarts(value, key + " ") || text::FoldKey(value.substr(0, value.find(':'))) == key) {
              const size_t c2 = value.find(':');
              if (c2 == std::string::npos) break;
              value = std::string(text::Trim(std::string_view(value).substr(c2 + 1)));
            }
            block->fields[key] = value;
            continue;
          }
        }
        flush_block();
        // Treaty figures: "Parties as of 30 September 2023: 68".
        if (const size_t as = f.find(" as of "); as != std::string::npos && colon != std::string::npos && !item) {
          const size_t as_raw = text::ToLowerAscii(s).find(" as of ");
          const std::string label = s.substr(0, as_raw);
          const auto when = as_raw != std::string::npos && colon > as_raw + 7
                                ? ParseExactDay(s.substr(as_raw + 7, colon - as_raw - 7))
                                : std::nullopt;
          const std::string value(text::Trim(std::string_view(s).substr(colon + 1)));
          if (const auto count = LeadingCount(value); when && count) {
            const std::string lf = text::FoldKey(label);
            std::string measure = Slug(label);
            if (lf == "parties") measure = "parties";
            if (lf == "signatories and states invited to accede") measure = "signatories_and_invited";
            if (lf == "members") measure = committee ? "tcy_members" : "members";
            if (lf == "observer states") measure = "observers";
            if (lf == "observer organisations" || lf == "observer organizations") measure = "observer_organisations";
            figure(i, treaty_block.empty() ? main_treaty : treaty_block, measure, *count,
                   value.find('+') != std::string::npos, when->Iso(), s);
            continue;
          }
        }
        if (!item && text::StartsWith(f, "opened for signature")) {
          if (auto d = ParseExactDay(s.substr(colon + 1))) {
            Record r;
            r.kind = "treaty_figure";
            r.line = line_no(i);
            r.fields = json::object({{"treaty", treaty_block.empty() ? main_treaty : treaty_block},
                                     {"measure", "opened_for_signature"},
                                     {"count", nullptr},
                                     {"at_least", false},
                                     {"as_of", d->Iso()},
                                     {"span", s}});
            e.records.push_back(std::move(r));
            continue;
          }
        }
        // A treaty or committee heading inside the section.
        if (!item && s.size() < 60 && colon == std::string::npos) {
          if (auto t = finder.Treaties(s); !t.empty()) {
            treaty_block = t.front().id;
            continue;
          }
          if (f == "t cy") {
            committee = true;
            continue;
          }
        }
        // A project update: header, then "Mode | Title" (maybe glued to the header).
        std::string header_text = s;
        std::string glued;
        if (const size_t at = GluedModeAt(s); at != std::string::npos) {
          header_text = std::string(text::Trim(std::string_view(s).substr(0, at)));
          glued = s.substr(at);
        }
        if (auto h = ParseHeader(header_text, year)) {
          start_item(i, std::move(*h));
          if (!glued.empty()) {
            auto ml = ModeLine(glued);
            set_title(i, ml ? ml->second : glued, ml ? std::optional<std::string>(ml->first) : std::nullopt);
          }
          continue;
        }
        if (item && item->title.empty()) {
          auto ml = ModeLine(s);
          set_title(i, ml ? ml->second : s, ml ? std::optional<std::string>(ml->first) : std::nullopt);
          continue;
        }
        const bool footnote = text::StartsWith(text::Trim(lines[i]), "*") && !ModeLine(s);
        if (item && !footnote) {
          // "[READ MORE]" at the end of a paragraph is a link.
          std::string t = s;
          static constexpr std::string_view kMore = "[READ MORE]";
          item_last = i;
          if (const size_t m = t.rfind(kMore); m != std::string::npos) {
            item->links.push_back({i, "READ MORE"});
            t = std::string(text::Trim(std::string_view(t).substr(0, m)));
          }
          std::replace(t.begin(), t.end(), '\t', ' ');  // a column gap inside prose
          if (!t.empty()) item->body.push_back({i, t});
          continue;
        }
        if (!item && section_projects.size() <= 1) {
          // "GLACY+, iPROCEEDS-2, CyberEast, CyberSouth and Octopus projects"
          auto named = MentionFinder::Ids(finder.Projects(s));
          if (named.size() >= 2 && s.size() < 200) {
            section_projects = named;
            continue;
          }
        }
        not_understood(i);
        break;
      }
      case Section::kInventory:
      case Section::kComingNext: {
        const bool completes_row = row && !row->complete && RowIsComplete(row->rest + " " + s, list_year);
        if (auto p = ParseDatePhrase(s, 0);
            p && p->precision == "month" && p->year_given && s.size() < 30 && !completes_row) {
          flush_row();
          list_year = p->start->year;
          list_month = p->start->month;
          continue;
        }
        // A row: "PROJECT<TAB>Title, places, <i>mode</i>, dates". A PDF may wrap it over
        // several lines, with the project cell on a line of its own above, beside or below
        // the text: lines are joined until the row has its project and ends with its date,
        // or the next project cell starts another row.
        std::string_view raw = lines[i];  // a leading TAB is an empty project cell: keep it
        while (!raw.empty() && (raw.front() == ' ' || raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r')) {
          raw = raw.front() == ' ' ? raw.substr(1) : raw.substr(0, raw.size() - 1);
        }
        const size_t tab = raw.find('\t');
        std::string cell;
        std::string_view more;
        if (tab != std::string_view::npos) {
          cell = CleanLine(raw.substr(0, tab));
          more = text::Trim(raw.substr(tab + 1));
        } else if (raw.size() <= 40 && !row) {
          not_understood(i);  // a short line outside any row
          break;
        } else if (raw.size() <= 40) {
          cell = CleanLine(raw);  // the project column alone on its line
        } else {
          more = raw;  // the text column, wrapped
        }
        if (text::FoldKey(cell) == "project" || text::FoldKey(cell) == "projects") continue;  // a wrapped column's tail
        if (!cell.empty()) {
          if (row && !row->project.empty()) {
            const bool continues = row->project.back() == ',' || row->project.back() == '/' ||
                                   (cell[0] >= 'a' && cell[0] <= 'z');  // "Octopus" + "project"
            if (continues) {
              row->project += " " + cell;
              cell.clear();
            } else {
              flush_row();
            }
          }
          if (!cell.empty()) {
            if (!row) row = Row{i, {}, {}, section == Section::kInventory ? "inventory" : "coming_next", false};
            row->project = cell;
          }
        }
        if (!more.empty()) {
          if (row && row->complete) flush_row();  // a complete row still waiting for its project
          if (!row) row = Row{i, {}, {}, section == Section::kInventory ? "inventory" : "coming_next", false};
          // "<i>in person</" + "i>", "inter-" + "agency": a word cut at the line's end.
          const bool glue = !row->rest.empty() &&
                            (row->rest.back() == '<' || row->rest.back() == '/' ||
                             (row->rest.back() == '-' && row->rest.size() > 1 && std::isalpha(static_cast<unsigned char>(row->rest[row->rest.size() - 2]))));
          row->rest += (row->rest.empty() || glue ? "" : " ") + std::string(more);
          row->complete = RowIsComplete(row->rest, list_year);
        }
        if (row && row->complete && !row->project.empty()) flush_row();
        continue;
      }
      case Section::kProjectInventory: {
        const size_t colon = s.find(':');
        if (colon != std::string::npos) {
          const std::string key = text::FoldKey(s.substr(0, colon));
          if (IsProjectKey(key) && block) {
            block->fields[key] = std::string(text::Trim(std::string_view(s).substr(colon + 1)));
            continue;
          }
        }
        if (colon == std::string::npos && s.size() < 80 && !IsProse(s) && finder.Projects(s).size() <= 1 &&
            s.find("www.") == std::string::npos) {
          flush_block();
          block = ProjectBlock{MentionFinder::ProjectName(s), line_no(i), {}, {}};
          block_section = "inventory";
          continue;
        }
        flush_block();
        not_understood(i);
        break;
      }
    }
  }
  flush_row();
  flush_item();
  flush_block();
  return result;
}

}  // namespace octopus::ingest::internal
