#include "ingest/internal/statements.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "core/text.h"
#include "ingest/internal/tcy_plenary.h"
#include "ingest/internal/treaty_prose.h"

namespace octopus::ingest::internal {

namespace {

// A paragraph of the pass: one line, or consecutive lines of one wrapped sentence.
struct Paragraph {
  size_t first = 0;
  size_t last = 0;
  std::string text;
  bool heading = false;
};

bool IsBulletStart(std::string_view s) {
  return text::StartsWith(s, "-") || text::StartsWith(s, "*") || text::StartsWith(s, "\u2022") ||
         text::StartsWith(s, "\u00b7") || text::StartsWith(s, "\u25aa") || text::StartsWith(s, "\u2013");
}

// A line's text as a sentence reader takes it: a leading dated bracket
// ("[21 June 2011, Strasbourg] …") is the item's dateline, which the item's
// context already carries, not a date its sentence states; TABs are column gaps.
std::string StatementText(std::string_view clean) {
  if (!clean.empty() && clean.front() == '[') {
    const size_t close = clean.find(']');
    if (close != std::string_view::npos && close <= 100 && !DatesIn(clean.substr(1, close - 1), 0).empty()) {
      clean = text::Trim(clean.substr(close + 1));
    }
  }
  std::string s(clean);
  std::replace(s.begin(), s.end(), '\t', ' ');
  return s;
}

size_t WordCount(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool w = c != ' ';
    if (w && !in_word) ++words;
    in_word = w;
  }
  return words;
}

// True when `next` goes on the sentence `p` left unfinished on the line above.
bool Continues(const Paragraph& p, size_t line, std::string_view prev_line, std::string_view next) {
  if (p.heading || p.last + 1 != line || p.text.empty() || next.empty()) return false;
  if (std::string_view(".!?:;").find(p.text.back()) != std::string_view::npos) return false;
  if (IsBulletStart(next) || WordCount(prev_line) < 6) return false;
  return !ParseDatePhrase(next, 0).has_value();
}

}  // namespace

std::optional<PartialDate> DatelineOf(const CleanLines& lines) {
  std::optional<PartialDate> found;
  for (size_t i = 0; i < lines.clean.size(); ++i) {
    const std::string& s = lines.clean[i];
    if (lines.blank[i] || s.size() > 80 || s.find('.') != std::string::npos || s.find(':') != std::string::npos) {
      continue;
    }
    const std::vector<FoundDate> dates = DatesIn(s, 0);
    if (dates.size() != 1) continue;
    const DatePhrase& d = dates.front().phrase;
    if (d.precision != "day" || !d.year_given || !d.start || !d.end || !(*d.start == *d.end)) continue;
    // Not the end of a span ("Tuesday 1 - Wednesday 2 April 2008", "3 and 4 May 2010").
    const std::string_view before = text::Trim(std::string_view(s).substr(0, dates.front().begin));
    auto ends = [&](std::string_view tail) {
      return before.size() >= tail.size() && before.substr(before.size() - tail.size()) == tail;
    };
    if (!before.empty() && (std::isdigit(static_cast<unsigned char>(before.back())) || ends("-") || ends("\u2013") ||
                            ends(" to") || ends(" and") || before.find(" - ") != std::string_view::npos ||
                            before.find(" \u2013 ") != std::string_view::npos)) {
      continue;
    }
    // The rest of the line: a few words that name a place or an office, no sentence.
    const std::string rest = s.substr(0, dates.front().begin) + " " + s.substr(dates.front().end);
    if (WordCount(rest) > 5) continue;
    bool capitalised = true;
    for (std::string_view w : text::Split(rest, ' ')) {
      w = text::Trim(w);
      if (!w.empty() && w.front() >= 'a' && w.front() <= 'z' && w != "of" && w != "de") capitalised = false;
    }
    if (!capitalised) continue;
    if (found && !(*found == *d.start)) return std::nullopt;  // two datelines: which is the document's is unknown
    found = d.start;
  }
  return found;
}

std::optional<Republication> RepublicationOf(const CleanLines& lines) {
  for (size_t i = 0; i < lines.clean.size(); ++i) {
    const std::string& s = lines.clean[i];
    if (lines.blank[i] || s.size() > 300) continue;
    const std::string low = text::ToLowerAscii(s);
    size_t at = std::string::npos;
    size_t len = 0;
    for (std::string_view cue : {"first published ", "originally published ", "initially published ", "republished from ",
                                 "reproduced from ", "publie initialement ", "initialement publie "}) {
      if (const size_t k = low.find(cue); k != std::string::npos) {
        at = k;
        len = cue.size();
        break;
      }
    }
    if (at == std::string::npos) continue;
    Republication r;
    r.line = static_cast<int>(i + 1);
    std::string_view rest = std::string_view(s).substr(at + len);
    const std::vector<FoundDate> dates = DatesIn(rest, 0);
    size_t publisher_end = rest.size();
    for (const FoundDate& d : dates) {
      if (d.phrase.year_given && d.phrase.start) {
        r.date = d.phrase.start;
        publisher_end = std::min(publisher_end, d.begin);
        break;
      }
    }
    // "by the Council of Europe on …", "in Example Weekly, …", "on the site of …".
    std::string_view who = rest.substr(0, publisher_end);
    for (std::string_view lead : {"by ", "in ", "on ", "par ", "dans ", "sur "}) {
      if (text::StartsWith(who, lead)) {
        who.remove_prefix(lead.size());
        break;
      }
    }
    who = text::Trim(who);
    for (std::string_view tail : {" on", ",", " in", " le", "."}) {
      if (who.size() >= tail.size() && who.substr(who.size() - tail.size()) == tail) {
        who = text::Trim(who.substr(0, who.size() - tail.size()));
      }
    }
    // A date alone ("first published on 3 May 2021") names no publisher.
    if (!who.empty() && std::isupper(static_cast<unsigned char>(who.front())) == 0 &&
        !text::StartsWith(who, "the ")) {
      who = {};
    }
    if (text::StartsWith(who, "the ")) who.remove_prefix(4);
    r.publisher = std::string(who.substr(0, std::min<size_t>(who.size(), 120)));
    if (r.publisher.empty() && !r.date) continue;
    return r;
  }
  return std::nullopt;
}

std::optional<PartialDate> ParseIsoDate(std::string_view iso) {
  auto number = [&](size_t at, size_t len) -> int {
    if (at + len > iso.size()) return -1;
    int n = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      n = n * 10 + (iso[i] - '0');
    }
    return n;
  };
  PartialDate d;
  if (iso.size() != 4 && iso.size() != 7 && iso.size() != 10) return std::nullopt;
  d.year = number(0, 4);
  if (d.year <= 0) return std::nullopt;
  if (iso.size() >= 7) {
    d.month = iso[4] == '-' ? number(5, 2) : -1;
    if (d.month < 1 || d.month > 12) return std::nullopt;
  }
  if (iso.size() == 10) {
    d.day = iso[7] == '-' ? number(8, 2) : -1;
    if (d.day < 1 || d.day > 31) return std::nullopt;
  }
  return d;
}

std::vector<Record> ExtractStatements(const TextDocument& doc, const CleanLines& lines,
                                      const std::vector<ItemSpan>& items, const MentionFinder& finder,
                                      std::optional<PartialDate> document_date, std::vector<bool>* used) {
  const size_t n = doc.lines.size();
  const int document_year = document_date ? document_date->year : 0;
  TreatyProse prose(finder, document_year);
  TcyPlenaries plenaries;

  // The items in line order; a line belongs to the first item that covers it.
  std::vector<const ItemSpan*> ordered;
  for (const ItemSpan& item : items) {
    if (item.first < item.end && item.first < n) ordered.push_back(&item);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const ItemSpan* a, const ItemSpan* b) { return a->first < b->first; });

  std::map<int, size_t> last_line_of;  // a paragraph's 1-based first line → its last line (0-based)
  auto read = [&](size_t from, size_t to, const ItemSpan* item) {
    const int year = item && item->year != 0 ? item->year : document_year;
    if (item) {
      prose.BeginItem(item->date, item->year != 0 ? item->year : document_year);
    } else {
      prose.BeginItem(document_date, document_year, false);
    }
    std::vector<Paragraph> paragraphs;
    for (size_t i = from; i < to; ++i) {
      if (lines.blank[i]) continue;
      const bool heading = item && std::find(item->headings.begin(), item->headings.end(), i) != item->headings.end();
      std::string s = StatementText(lines.clean[i]);
      if (s.empty()) continue;
      if (!paragraphs.empty()) {
        Paragraph& p = paragraphs.back();
        // A table row (TAB-separated cells) is a paragraph of its own.
        const bool row = doc.lines[i].find('\t') != std::string::npos ||
                         doc.lines[p.last].find('\t') != std::string::npos;
        const bool joins = !row && (heading ? p.heading && p.last + 1 == i
                                            : Continues(p, i, lines.clean[p.last], s));
        if (joins) {
          p.text += " " + s;
          p.last = i;
          continue;
        }
      }
      paragraphs.push_back({i, i, std::move(s), heading});
    }
    for (const Paragraph& p : paragraphs) {
      const int line = static_cast<int>(p.first + 1);
      last_line_of[line] = p.last;
      // A table row is an activity its layout reads.
      if (doc.lines[p.first].find('\t') == std::string::npos) plenaries.Paragraph(p.text, line, year);
      if (p.heading) {
        prose.Heading(p.text, line);
      } else {
        prose.Paragraph(p.text, line);
      }
    }
  };

  size_t at = 0;
  for (const ItemSpan* item : ordered) {
    if (item->first < at) continue;  // overlaps an item already read
    if (at < item->first) read(at, item->first, nullptr);
    const size_t end = std::min(item->end, n);
    read(item->first, end, item);
    at = end;
  }
  if (at < n) read(at, n, nullptr);

  std::vector<Record> records = prose.Records();
  for (Record& r : plenaries.Records()) records.push_back(std::move(r));
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) { return a.line < b.line; });
  if (used) {
    used->assign(n, false);
    for (const Record& r : records) {
      const auto it = last_line_of.find(r.line);
      if (r.line < 1 || it == last_line_of.end()) continue;
      for (size_t i = static_cast<size_t>(r.line - 1); i <= it->second && i < n; ++i) (*used)[i] = true;
    }
  }
  return records;
}

}  // namespace octopus::ingest::internal
