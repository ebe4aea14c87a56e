#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

namespace {

bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80;
}

// "[text](target)" → "text", scanning by hand (bounded, no backtracking).
std::string StripMarkdownLinks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  size_t next_close = s.find(']');  // the next ']' at or after i (amortised: a line of '[' stays linear)
  while (i < s.size()) {
    if (s[i] == '[' && next_close != std::string_view::npos && next_close < i) next_close = s.find(']', i);
    if (s[i] == '[' && (i == 0 || s[i - 1] != '\\') && next_close != std::string_view::npos &&
        next_close - i < 2000) {
      // Find the closing ']' (skipping escaped ones) then "(…)".
      size_t j = i + 1;
      int depth = 1;
      while (j < s.size() && j - i < 2000) {
        if (s[j] == '\\' && j + 1 < s.size()) {
          j += 2;
          continue;
        }
        if (s[j] == '[') ++depth;
        if (s[j] == ']' && --depth == 0) break;
        ++j;
      }
      if (j < s.size() && s[j] == ']' && j + 1 < s.size() && s[j + 1] == '(') {
        const size_t close = s.find(')', j + 2);
        if (close != std::string_view::npos && close - j < 2000) {
          out += StripMarkdownLinks(s.substr(i + 1, j - i - 1));
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && std::string_view("[]()*_#").find(s[i + 1]) != std::string_view::npos) {
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string StripTags(std::string_view s) {
  static constexpr std::string_view kTags[] = {"<i>", "</i>", "<b>", "</b>", "<em>", "</em>", "<strong>", "</strong>"};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    bool tag = false;
    if (s[i] == '<') {
      for (std::string_view t : kTags) {
        if (i + t.size() <= s.size() && text::ToLowerAscii(s.substr(i, t.size())) == t) {
          i += t.size();
          tag = true;
          break;
        }
      }
    }
    if (!tag) out.push_back(s[i++]);
  }
  return out;
}

// Emphasis asterisks go; a footnote marker ("Kosovo*") stays.
std::string StripEmphasis(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool open = false;
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '*') {
      out.push_back(s[i++]);
      continue;
    }
    size_t j = i;
    while (j < s.size() && s[j] == '*') ++j;
    const size_t run = j - i;
    const bool before_word = i > 0 && IsWordByte(s[i - 1]);
    const bool after_word = j < s.size() && IsWordByte(s[j]);
    if (run == 1 && before_word && !after_word && !open) {
      out.push_back('*');  // footnote marker
    } else if (run % 2 == 1) {
      open = !open;  // *italic* and ***bold italic*** open and close the same way
    }
    i = j;
  }
  return out;
}

}  // namespace

bool IsBlank(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') continue;
    if (c == 0xC2 && i + 1 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0xA0) {
      ++i;
      continue;
    }
    if (c == 0xE2 && i + 2 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(line[i + 2]) == 0x8B || static_cast<unsigned char>(line[i + 2]) == 0xAF)) {
      i += 2;  // zero-width and narrow no-break spaces
      continue;
    }
    return false;
  }
  return true;
}

std::string CleanLine(std::string_view line) {
  // Each markup step changes nothing unless its marker byte is there, and most lines have none:
  // those go through one pass (spaces mapped and collapsed) instead of five. The passes write
  // into a buffer of the final size at most, not byte by byte through push_back.
  std::string marked;
  std::string_view s = line;
  const bool has_markup = line.find_first_of("<[\\*") != std::string_view::npos;
  if (has_markup) {
    marked.resize(line.size());
    size_t n = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < line.size() &&
          static_cast<unsigned char>(line[i + 1]) == 0xA0) {
        marked[n++] = ' ';
        ++i;
      } else {
        marked[n++] = c == '\r' || c == '\f' || c == '\v' ? ' ' : c;
      }
    }
    marked.resize(n);
    if (marked.find('<') != std::string::npos) marked = StripTags(marked);
    if (marked.find('[') != std::string::npos) marked = StripMarkdownLinks(marked);
    if (marked.find('\\') != std::string::npos) marked = Unescape(marked);
    if (marked.find('*') != std::string::npos) marked = StripEmphasis(marked);
    s = marked;
  }
  // Spaces (and, for unmarked lines, no-break spaces and \r \f \v) collapse, TABs (column
  // separators) stay; the ends are trimmed.
  std::string out(s.size(), '\0');
  char* const begin = out.data();
  char* w = begin;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!has_markup) {
      if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        c = ' ';
        ++i;
      } else if (c == '\r' || c == '\f' || c == '\v') {
        c = ' ';
      }
    }
    if (c == ' ' && w != begin && (w[-1] == ' ' || w[-1] == '\t')) continue;
    if (c == '\t' && w != begin && w[-1] == ' ') --w;
    *w++ = c;
  }
  out.resize(static_cast<size_t>(w - begin));
  const std::string_view trimmed = text::Trim(out);
  if (trimmed.size() == out.size()) return out;
  return std::string(trimmed);
}

CleanLines::CleanLines(const TextDocument& doc) : clean(doc.lines.size()), blank(doc.lines.size()) {
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    blank[i] = IsBlank(doc.lines[i]);
    if (!blank[i]) clean[i] = CleanLine(doc.lines[i]);
  }
}

CueSet::CueSet(std::initializer_list<std::string_view> cues) : cues_(cues) {
  for (size_t k = 0; k < cues_.size(); ++k) {
    const std::string_view c = cues_[k];
    if (c.empty()) {
      empty_cue_ = true;
      continue;
    }
    const auto first = static_cast<unsigned char>(c[0]);
    by_first_[first].push_back(static_cast<uint16_t>(k));
    // A cue of one byte starts with that byte whatever follows it (0 standing for the end).
    for (unsigned second = 0; second < 256; ++second) {
      if (c.size() > 1 && second != static_cast<unsigned char>(c[1])) continue;
      const size_t pair = first * 256u + second;
      pairs_[pair / 64] |= uint64_t{1} << (pair % 64);
    }
  }
}

bool CueSet::FoundIn(std::string_view s) const {
  if (empty_cue_) return true;
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const auto first = static_cast<unsigned char>(s[i]);
    const unsigned second = i + 1 < n ? static_cast<unsigned char>(s[i + 1]) : 0u;
    const size_t pair = first * 256u + second;
    if ((pairs_[pair / 64] & (uint64_t{1} << (pair % 64))) == 0) continue;
    for (const uint16_t k : by_first_[first]) {
      const std::string_view c = cues_[k];
      if (c.size() <= n - i && s.compare(i, c.size(), c) == 0) return true;
    }
  }
  return false;
}

bool AsciiAlnumMoreThan(std::string_view s, size_t n) {
  size_t count = 0;
  for (const char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      if (++count > n) return true;
    }
  }
  return false;
}

bool IsProse(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool w = c != ' ' && c != '\t';
    if (w && !in_word) ++words;
    in_word = w;
  }
  if (words < 6) return false;
  if (s.size() > 120) return true;
  const std::string_view end = s.substr(s.size() - 1);
  return end == "." || end == "!" || end == "?" || end == "\"" || text::StartsWith(s.substr(s.size() - 3), "\u201d") ||
         text::StartsWith(s.substr(s.size() - 3), "\u2026");
}

std::optional<int> LeadingCount(std::string_view s) {
  size_t n = 0;
  int value = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
    if (++n > 9) return std::nullopt;
    value = value * 10 + (s[n - 1] - '0');
  }
  if (n == 0) return std::nullopt;
  return value;
}

std::string WithoutParentheticals(std::string_view s) {
  std::string t;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    if (depth == 0) t.push_back(c);
    if (c == ')' && depth > 0) --depth;
  }
  return t;
}

nlohmann::json EmptyProjectFields(const std::string& name, const std::string& section) {
  return nlohmann::json::object({{"name", name},
                                 {"start", nullptr},
                                 {"end", nullptr},
                                 {"scope", nullptr},
                                 {"budget_amount", nullptr},
                                 {"budget_currency", nullptr},
                                 {"funders", nlohmann::json::array()},
                                 {"countries", nlohmann::json::array()},
                                 {"implementer", nullptr},
                                 {"section", section}});
}

std::vector<std::string> SplitOutsideParens(std::string_view s, char sep) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size()) {
      if (s[i] == '(') ++depth;
      if (s[i] == ')' && depth > 0) --depth;
      if (s[i] != sep || depth > 0) continue;
    }
    const std::string_view part = text::Trim(s.substr(start, i - start));
    if (!part.empty()) out.emplace_back(part);
    start = i + 1;
  }
  return out;
}

void CheckTruncation(const TextDocument& doc, Extraction& e) {
  bool cut = doc.truncated;
  if (!cut) {
    for (size_t i = doc.lines.size(); i-- > 0;) {
      if (IsBlank(doc.lines[i])) continue;
      const std::string last = CleanLine(doc.lines[i]);
      const char end = last.empty() ? '.' : last.back();
      const bool open_sentence = std::string_view(".!?)\"]:;").find(end) == std::string_view::npos &&
                                 !text::StartsWith(last.substr(last.size() >= 3 ? last.size() - 3 : 0), "\u201d") &&
                                 !text::StartsWith(last.substr(last.size() >= 3 ? last.size() - 3 : 0), "\u2026");
      // A long line of prose that stops mid-sentence: the document was cut. Not the last row of
      // a list whose rows all end so ("8 October 2024, online – Webinar on …").
      cut = open_sentence && last.size() > 60 && std::count(last.begin(), last.end(), ' ') >= 8;
      for (size_t j = i; cut && j-- > 0;) {
        if (IsBlank(doc.lines[j])) continue;
        const std::string before = CleanLine(doc.lines[j]);
        // Rows of one list open alike: both with a digit (a date) or with the same bullet.
        const auto opening = [](const std::string& l) -> char {
          const char c = l.empty() ? ' ' : l.front();
          return std::isdigit(static_cast<unsigned char>(c)) ? '0' : c;
        };
        const bool alike = opening(before) == opening(last) &&
                           (opening(last) == '0' || std::string_view("-*\xe2").find(opening(last)) != std::string_view::npos);
        const bool row = alike && std::string_view(".!?)\"]:;").find(before.back()) == std::string_view::npos;
        if (row) cut = false;
        break;
      }
      break;
    }
  }
  if (!cut) return;
  e.document.truncated = true;
  if (e.records.empty()) return;
  e.records.back().fields["truncated"] = true;
  // The cut text belongs to the last news item too, when a record read from its body comes after it.
  for (auto it = e.records.rbegin(); it != e.records.rend(); ++it) {
    if (it->kind == "news_item") {
      it->fields["truncated"] = true;
      break;
    }
  }
}

}  // namespace octopus::ingest::internal
