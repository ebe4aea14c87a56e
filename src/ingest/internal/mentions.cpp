#include "ingest/internal/mentions.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/text.h"
#include "ingest/internal/pattern.h"

namespace octopus::ingest::internal {

namespace {

size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

bool AllUpper(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Names the treaty catalog does not carry but the programme's prose uses.
struct ExtraTreatyName {
  std::string_view name;
  std::string_view ref;
};
constexpr ExtraTreatyName kExtraTreatyNames[] = {
    {"Additional Protocol", "ETS 189"},
    {"Protocol on Xenophobia and Racism", "ETS 189"},
    {"Cybercrime Convention", "ETS 185"},
    {"Convention on Cybercrime", "ETS 185"},
    {"Convention sur la cybercriminalité", "ETS 185"},
    {"Convention de Budapest", "ETS 185"},
    {"Protocole additionnel", "ETS 189"},
    {"Deuxième Protocole additionnel", "CETS 224"},
    {"Second Additional Protocol", "CETS 224"},
    {"2nd Additional Protocol", "CETS 224"},
    {"Convention on the Protection of Children against Sexual Exploitation and Sexual Abuse",
     "CETS 201"},
};

// The programme's capacity-building projects and the ways documents write them.
// Each pattern spells its anchor (lower case, one of kAnchors below) in every text it matches.
// A pattern may end with what must not follow it (a negative lookahead, checked after the match).
struct ProjectPattern {
  const char* pattern;
  const char* name;  ///< canonical; empty: as written
  std::string_view anchor;
  const char* not_followed_by = nullptr;
};
const ProjectPattern kProjects[] = {
    {R"(CyberCrime@[A-Za-z]+(?: (?:II|III|IV))?)", "", "cybercrime@"},
    {R"(GLACY\+)", "GLACY+", "glacy"},
    {R"(GLACY-e)", "GLACY-e", "glacy"},
    {R"(GLACY)", "GLACY", "glacy", R"([+\-\w])"},
    {R"(i-?PROCEEDS[- ]?2)", "iPROCEEDS-2", "proceeds"},
    {R"(i-?PROCEEDS)", "iPROCEEDS", "proceeds", R"([- ]?2|[\w-])"},
    {R"(CyberEast)", "CyberEast", "cybereast"},
    {R"(CyberSouth)", "CyberSouth", "cybersouth"},
    {R"(CyberKOP)", "CyberKOP", "cyberkop"},
    {R"(OCWAR-?C)", "OCWAR-C", "ocwar"},
    {R"(Octopus [Pp]roject)", "Octopus", "octopus"},
    {R"(Global Project on Cybercrime)", "Global Project on Cybercrime", "global project"},
    {R"(Cybersecurity EAST)", "Cybersecurity EAST", "cybersecurity"},
};

struct ProjectRegex {
  Pattern re;
  std::string name;
  std::optional<Pattern> not_followed_by;

  // The first match in text[from, end) whose end is not followed by what the pattern forbids.
  // Each pattern starts with a letter, so a match rejected at one start has no other way to
  // match there: the search goes on from the next character.
  bool Find(std::string_view text, Pattern::Match* m, size_t from, size_t end) const {
    while (re.Find(text, m, from, end)) {
      if (!not_followed_by || !not_followed_by->MatchesAt(text, m->end(0), end)) return true;
      from = m->position(0) + 1;
    }
    return false;
  }
};

const std::vector<ProjectRegex>& ProjectRegexes() {
  static const auto* regexes = [] {
    auto* v = new std::vector<ProjectRegex>;
    for (const auto& p : kProjects) {
      std::optional<Pattern> after;
      if (p.not_followed_by) after.emplace(p.not_followed_by);
      v->push_back({Pattern(std::string(R"((?:^|[^\w@+-]))") + "(" + p.pattern + ")"), p.name, std::move(after)});
    }
    return v;
  }();
  return *regexes;
}

// The first two bytes of a word, a space standing for the second byte of a word of one.
size_t PairOf(std::string_view word) {
  const auto first = static_cast<unsigned char>(word[0]);
  const auto second = static_cast<unsigned char>(word.size() > 1 ? word[1] : ' ');
  return first * 256u + second;
}

bool IsRegexWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsRegexSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, size_t at, std::string_view lower_prefix) {
  if (at + lower_prefix.size() > s.size()) return false;
  for (size_t k = 0; k < lower_prefix.size(); ++k) {
    if (Lower(s[at + k]) != lower_prefix[k]) return false;
  }
  return true;
}

// An explicit treaty reference: "ETS 185", "CETS No. 201", "STCE n° 189", "ETS-185". The same
// language as \b(C?ETS|STC?E)\s*(?:No\.?|n°|nº)?\s*-?\s*(\d{2,3})\b (case-insensitive),
// scanned by hand in one pass: no part of it can match what the next part needs, so no
// backtracking is ever needed.
struct TreatyRef {
  size_t begin = 0;
  size_t end = 0;
  std::string_view number;
};
std::vector<TreatyRef> TreatyRefs(std::string_view s) {
  std::vector<TreatyRef> out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = Lower(s[i]);
    if ((c != 'c' && c != 'e' && c != 's') || (i > 0 && IsRegexWordByte(s[i - 1]))) continue;
    size_t k = i;
    bool prefix = false;
    for (std::string_view p : {"cets", "ets", "stce", "ste"}) {
      if (StartsWithNoCase(s, i, p)) {
        k = i + p.size();
        prefix = true;
        break;
      }
    }
    if (!prefix) continue;
    auto spaces = [&] {
      while (k < s.size() && IsRegexSpace(s[k])) ++k;
    };
    spaces();
    if (StartsWithNoCase(s, k, "no")) {
      k += 2;
      if (k < s.size() && s[k] == '.') ++k;
    } else if (StartsWithNoCase(s, k, "n\xC2\xB0") || StartsWithNoCase(s, k, "n\xC2\xBA")) {
      k += 3;
    }
    spaces();
    if (k < s.size() && s[k] == '-') ++k;
    spaces();
    const size_t digits = k;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
    if (k - digits < 2 || k - digits > 3 || (k < s.size() && IsRegexWordByte(s[k]))) continue;
    out.push_back({i, k, s.substr(digits, k - digits)});
    i = k - 1;
  }
  return out;
}

// A window of a text that may hold a project name, and the anchors found in it (bit k: kAnchors[k]).
struct ProjectWindow {
  size_t begin = 0;
  size_t end = 0;
  uint32_t anchors = 0;
};
constexpr std::string_view kAnchors[] = {"cybercrime@", "cybereast", "cybersouth", "cyberkop",
                                         "cybersecurity", "glacy", "proceeds", "ocwar",
                                         "octopus", "global project"};

uint32_t AnchorBit(std::string_view anchor) {
  for (size_t k = 0; k < std::size(kAnchors); ++k) {
    if (kAnchors[k] == anchor) return 1u << k;
  }
  return 0;
}

// The windows of `text` that may hold a project name: around each anchor word (ASCII, any case)
// from a few bytes before it (the name's prefix and the byte before the name) to past the end of
// the longest name starting there. Overlapping windows are merged. A name lies in one window, the
// one around its anchor: only the patterns of the anchors a window holds can match in it.
std::vector<ProjectWindow> ProjectWindows(std::string_view text) {
  constexpr size_t kBefore = 3;  // "i-" of i-PROCEEDS and the byte before the name
  constexpr size_t kAfter = 40;  // past the longest fixed name from its anchor
  std::vector<ProjectWindow> out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = Lower(text[i]);
    if (c != 'c' && c != 'g' && c != 'p' && c != 'o') continue;
    uint32_t anchor = 0;
    for (size_t k = 0; k < std::size(kAnchors); ++k) {
      if (kAnchors[k][0] == c && StartsWithNoCase(text, i, kAnchors[k])) anchor |= 1u << k;
    }
    if (anchor == 0) continue;
    const size_t b = i >= kBefore ? i - kBefore : 0;
    size_t e = std::min(text.size(), i + kAfter);
    // "CyberCrime@<letters> II" has no fixed length: run on to the end of the word, then past a
    // phase number (" III") and the byte after the name, which some patterns look at.
    while (e < text.size() && (IsRegexWordByte(text[e]) || text[e] == '@' || text[e] == '+' || text[e] == '-')) ++e;
    e = std::min(text.size(), e + 6);
    if (!out.empty() && b <= out.back().end) {
      out.back().end = std::max(out.back().end, e);
      out.back().anchors |= anchor;
    } else {
      out.push_back({b, e, anchor});
    }
  }
  return out;
}

}  // namespace

FoldedText FoldWithOffsets(std::string_view text) {
  FoldedText out;
  FoldWithOffsets(text, &out);
  return out;
}

void FoldWithOffsets(std::string_view text, FoldedText* into) {
  FoldedText& out = *into;
  out.folded.clear();
  out.origin.clear();
  out.folded.reserve(text.size() + 2);
  out.origin.reserve(text.size() + 2);
  auto space = [&](size_t at) {
    if (out.folded.empty() || out.folded.back() != ' ') {
      out.folded.push_back(' ');
      out.origin.push_back(at);
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = std::min(Utf8Length(c), text.size() - i);
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.folded.push_back(static_cast<char>(c));
        out.origin.push_back(i);
      } else if (c >= 'A' && c <= 'Z') {
        out.folded.push_back(static_cast<char>(c - 'A' + 'a'));
        out.origin.push_back(i);
      } else {
        space(i);
      }
    } else {
      const std::string f = text::FoldKey(text.substr(i, len));
      if (f.empty() || f == " ") {
        space(i);
      } else {
        for (char fc : f) {
          out.folded.push_back(fc);
          out.origin.push_back(i);
        }
      }
    }
    i += len;
  }
  out.origin.push_back(text.size());
}

bool LooksFrench(const std::vector<std::string>& lines) {
  // Counts the commonest words of each language, as words of the line folded by FoldKey. A line
  // of ASCII folds to its letters and digits lowercased, so it is read as it is, without a copy.
  static constexpr std::string_view kFrench[] = {"le", "la", "les", "des", "et", "du", "une"};
  static constexpr std::string_view kEnglish[] = {"the", "and", "of", "to", "with"};
  size_t fr = 0, en = 0;
  std::string word;
  auto count = [&] {
    if (word.empty() || word.size() > 4) return;
    fr += static_cast<size_t>(std::count(std::begin(kFrench), std::end(kFrench), word));
    en += static_cast<size_t>(std::count(std::begin(kEnglish), std::end(kEnglish), word));
  };
  auto scan = [&](std::string_view s) {
    word.clear();
    for (const char c : s) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word.push_back(c);
      } else if (c >= 'A' && c <= 'Z') {
        word.push_back(static_cast<char>(c - 'A' + 'a'));
      } else {
        count();
        word.clear();
      }
    }
    count();
  };
  for (const std::string& line : lines) {
    const bool ascii = std::all_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
      scan(line);
    } else {
      scan(text::FoldKey(line));
    }
  }
  return fr > en;
}

MentionFinder::MentionFinder(const domain::Gazetteer& gazetteer, const treaty::Catalog& catalog, bool french)
    : gazetteer_(gazetteer), catalog_(catalog) {
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](Names& into, std::string_view written, const std::string& id) {
    std::string folded = text::FoldKey(written);
    if (folded.size() < 4 && !(folded.size() == 3 && AllUpper(written))) return;
    if (!seen.insert({folded, id}).second) return;
    into.names.push_back({std::move(folded), id});
  };
  for (const auto& c : gazetteer.all()) {
    if (c.iso2 == "EU") continue;  // an organisation, not a country a text is about
    add(countries_, c.name_en, c.iso2);
    if (french) add(countries_, c.name_fr, c.iso2);
    for (const auto& a : c.aliases) add(countries_, a, c.iso2);
  }
  for (const auto& t : catalog.all()) {
    add(treaties_, t.title, t.ref);
    for (const auto& a : t.aliases) {
      if (text::FoldKey(a).size() >= 8) add(treaties_, a, t.ref);
    }
  }
  for (const auto& e : kExtraTreatyNames) {
    if (const domain::Treaty* t = catalog.Resolve(e.ref)) add(treaties_, e.name, t->ref);
  }
  countries_.Index();
  treaties_.Index();
}

void MentionFinder::Names::Index() {
  // Longest names first: they claim their words before the names inside them.
  auto longer = [](const Name& a, const Name& b) { return a.folded.size() > b.folded.size(); };
  std::stable_sort(names.begin(), names.end(), longer);
  for (uint32_t i = 0; i < names.size(); ++i) {
    const std::string& f = names[i].folded;
    const std::string first = f.substr(0, f.find(' '));
    if (first.empty()) continue;  // FoldKey trims: no name starts with a space
    longest_first_word = std::max(longest_first_word, first.size());
    const size_t pair = PairOf(first);
    first_pair[pair / 64] |= uint64_t{1} << (pair % 64);
    by_first_word[first].push_back(i);
  }
}

// Every occurrence of every name is a candidate; candidates claim their words in the order of the
// names (longest first), then of their position, so a longer name wins over a name inside it.
// One pass over the words finds them all: a name can only start at a word that is its first word.
std::vector<Mention> MentionFinder::Find(std::string_view text, const Names& names) const {
  // The readers ask for the countries, the treaties and the projects of one text in turn: the
  // text is folded once for them (one text remembered per thread, compared byte for byte). A text
  // of more than a megabyte is folded for this call only, so that no thread keeps its buffers.
  constexpr size_t kRemembered = size_t{1} << 20;
  thread_local std::string folded_source;
  thread_local FoldedText remembered;
  thread_local bool folded_valid = false;
  FoldedText own;
  const FoldedText* folded = &remembered;
  if (text.size() > kRemembered) {
    FoldWithOffsets(text, &own);
    folded = &own;
  } else if (!folded_valid || folded_source != text) {
    folded_valid = false;
    FoldWithOffsets(text, &remembered);
    folded_source.assign(text);
    folded_valid = true;
  }
  const FoldedText& ft = *folded;
  const std::string& f = ft.folded;
  struct Candidate {
    uint32_t name;
    size_t begin;
  };
  std::vector<Candidate> candidates;
  for (size_t b = 0; b < f.size();) {
    if (f[b] == ' ') {
      ++b;
      continue;
    }
    size_t e = f.find(' ', b);
    if (e == std::string::npos) e = f.size();
    const std::string_view word = std::string_view(f).substr(b, e - b);
    const size_t pair = PairOf(word);
    if (word.size() > names.longest_first_word || (names.first_pair[pair / 64] & (uint64_t{1} << (pair % 64))) == 0) {
      b = e;
      continue;
    }
    if (auto it = names.by_first_word.find(word); it != names.by_first_word.end()) {
      for (const uint32_t n : it->second) {
        const std::string& name = names.names[n].folded;
        const size_t end = b + name.size();
        if (end <= f.size() && (end == f.size() || f[end] == ' ') && f.compare(b, name.size(), name) == 0) {
          candidates.push_back({n, b});
        }
      }
    }
    b = e;
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.name != b.name ? a.name < b.name : a.begin < b.begin;
  });
  std::vector<char> taken(f.size(), 0);
  std::vector<Mention> out;
  for (const Candidate& c : candidates) {
    const Name& n = names.names[c.name];
    const auto b = taken.begin() + static_cast<std::ptrdiff_t>(c.begin);
    const auto e = b + static_cast<std::ptrdiff_t>(n.folded.size());
    if (std::any_of(b, e, [](char x) { return x != 0; })) continue;
    std::fill(b, e, 1);
    out.push_back({n.id, ft.origin[c.begin], ft.origin[c.begin + n.folded.size()]});
  }
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return out;
}

std::vector<Mention> MentionFinder::Countries(std::string_view text) const {
  return Find(text, countries_);
}

std::vector<Mention> MentionFinder::Treaties(std::string_view text) const {
  std::vector<Mention> found = Find(text, treaties_);
  for (const TreatyRef& r : TreatyRefs(text)) {
    if (const domain::Treaty* t = catalog_.Resolve("ETS " + std::string(r.number))) {
      found.push_back({t->ref, r.begin, r.end});
    }
  }
  std::sort(found.begin(), found.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  // "Additional Protocol to the Convention on Cybercrime" names one treaty: a
  // treaty named right after "<protocol> to the" is the protocol's parent.
  std::vector<Mention> out;
  for (const Mention& m : found) {
    if (!out.empty()) {
      const Mention& prev = out.back();
      const std::string gap = text::FoldKey(text.substr(prev.end, m.begin > prev.end ? m.begin - prev.end : 0));
      if (prev.id != m.id && (gap == "to the" || gap == "to" || gap == "a la" || gap == "to the council of europe")) {
        continue;
      }
    }
    out.push_back(m);
  }
  return out;
}

std::vector<Mention> MentionFinder::Projects(std::string_view text) const {
  // Each project name contains one of a few anchor words: the patterns run only on a short window
  // around each anchor, so a long text costs one search for the anchors. The windows are disjoint,
  // so each match is found once, as by one search over the whole text.
  std::vector<Mention> out;
  const auto& regexes = ProjectRegexes();
  for (const ProjectWindow& w : ProjectWindows(text)) {
    const size_t wb = w.begin;
    const size_t we = w.end;
    for (size_t k = 0; k < regexes.size(); ++k) {
      if ((w.anchors & AnchorBit(kProjects[k].anchor)) == 0) continue;  // its anchor is not in the window
      const ProjectRegex& re = regexes[k];
      Pattern::Match m;
      for (size_t from = wb; from <= we && re.Find(text, &m, from, we); from = m.end(0)) {
        out.push_back({re.name.empty() ? ProjectName(m.view(1)) : re.name, m.position(1), m.end(1)});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return out;
}

std::vector<std::string> MentionFinder::Ids(const std::vector<Mention>& mentions) {
  std::set<std::string> ids;
  for (const auto& m : mentions) ids.insert(m.id);
  return {ids.begin(), ids.end()};
}

std::string MentionFinder::ProjectName(std::string_view written) {
  std::string s(text::Trim(written));
  for (std::string_view suffix : {" project", " Project", " PROJECT"}) {
    if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
      s.erase(s.size() - suffix.size());
    }
  }
  for (const ProjectRegex& re : ProjectRegexes()) {
    Pattern::Match m;
    const std::string probe = " " + s;
    if (!re.name.empty() && re.Find(probe, &m, 0, probe.size()) && m.length(1) == s.size()) return re.name;
  }
  if (s.size() > 11 && text::FoldKey(s.substr(0, 11)) == "cybercrime") {
    // "Cybercrime@EAP" → "CyberCrime@EAP": one spelling per project.
    return "CyberCrime" + s.substr(10);
  }
  return s;
}

}  // namespace octopus::ingest::internal
