#include "ingest/internal/mentions.h"

#include <algorithm>
#include <regex>
#include <set>

#include "core/text.h"

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
struct ProjectPattern {
  const char* pattern;
  const char* name;  ///< canonical; empty: as written
};
const ProjectPattern kProjects[] = {
    {R"(CyberCrime@[A-Za-z]+(?: (?:II|III|IV))?)", ""},
    {R"(GLACY\+)", "GLACY+"},
    {R"(GLACY-e)", "GLACY-e"},
    {R"(GLACY(?![+\-\w]))", "GLACY"},
    {R"(i-?PROCEEDS[- ]?2)", "iPROCEEDS-2"},
    {R"(i-?PROCEEDS(?![- ]?2)(?![\w-]))", "iPROCEEDS"},
    {R"(CyberEast)", "CyberEast"},
    {R"(CyberSouth)", "CyberSouth"},
    {R"(CyberKOP)", "CyberKOP"},
    {R"(OCWAR-?C)", "OCWAR-C"},
    {R"(Octopus [Pp]roject)", "Octopus"},
    {R"(Global Project on Cybercrime)", "Global Project on Cybercrime"},
    {R"(Cybersecurity EAST)", "Cybersecurity EAST"},
};

const std::vector<std::pair<std::regex, std::string>>& ProjectRegexes() {
  static const auto* regexes = [] {
    auto* v = new std::vector<std::pair<std::regex, std::string>>;
    for (const auto& p : kProjects) {
      v->emplace_back(std::regex(std::string(R"((?:^|[^\w@+-]))") + "(" + p.pattern + ")",
                                 std::regex::ECMAScript | std::regex::icase),
                      p.name);
    }
    return v;
  }();
  return *regexes;
}

}  // namespace

FoldedText FoldWithOffsets(std::string_view text) {
  FoldedText out;
  out.folded.reserve(text.size() + 2);
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
  return out;
}

bool LooksFrench(const std::vector<std::string>& lines) {
  size_t fr = 0, en = 0;
  for (const std::string& line : lines) {
    const std::string f = " " + text::FoldKey(line) + " ";
    for (std::string_view w : {" le ", " la ", " les ", " des ", " et ", " du ", " une "}) {
      for (size_t p = f.find(w); p != std::string::npos; p = f.find(w, p + 1)) ++fr;
    }
    for (std::string_view w : {" the ", " and ", " of ", " to ", " with "}) {
      for (size_t p = f.find(w); p != std::string::npos; p = f.find(w, p + 1)) ++en;
    }
  }
  return fr > en;
}

MentionFinder::MentionFinder(const domain::Gazetteer& gazetteer, const treaty::Catalog& catalog, bool french)
    : gazetteer_(gazetteer), catalog_(catalog) {
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](std::vector<Name>& into, std::string_view written, const std::string& id) {
    std::string folded = text::FoldKey(written);
    if (folded.size() < 4 && !(folded.size() == 3 && AllUpper(written))) return;
    if (!seen.insert({folded, id}).second) return;
    into.push_back({std::move(folded), id});
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
  // Longest names first: they claim their words before the names inside them.
  auto longer = [](const Name& a, const Name& b) { return a.folded.size() > b.folded.size(); };
  std::stable_sort(countries_.begin(), countries_.end(), longer);
  std::stable_sort(treaties_.begin(), treaties_.end(), longer);
}

std::vector<Mention> MentionFinder::Find(std::string_view text, const std::vector<Name>& names) const {
  const FoldedText ft = FoldWithOffsets(text);
  const std::string hay = " " + ft.folded + " ";
  std::vector<char> taken(hay.size(), 0);
  std::vector<Mention> out;
  for (const Name& n : names) {
    const std::string needle = " " + n.folded + " ";
    for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) {
      const size_t b = pos + 1, e = pos + 1 + n.folded.size();
      if (std::any_of(taken.begin() + static_cast<long>(b), taken.begin() + static_cast<long>(e),
                      [](char x) { return x != 0; })) {
        continue;
      }
      std::fill(taken.begin() + static_cast<long>(b), taken.begin() + static_cast<long>(e), 1);
      // hay offset k ↔ folded offset k-1
      const size_t src_b = ft.origin[b - 1];
      const size_t src_e = e - 1 < ft.origin.size() ? ft.origin[e - 1] : text.size();
      out.push_back({n.id, src_b, src_e});
    }
  }
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return out;
}

std::vector<Mention> MentionFinder::Countries(std::string_view text) const {
  return Find(text, countries_);
}

std::vector<Mention> MentionFinder::Treaties(std::string_view text) const {
  std::vector<Mention> found = Find(text, treaties_);
  // Explicit references: "ETS 185", "CETS No. 201", "STCE n° 189", "ETS-185".
  static const std::regex kRef(R"(\b(C?ETS|STC?E)\s*(?:No\.?|n°|nº)?\s*[-]?\s*(\d{2,3})\b)",
                               std::regex::ECMAScript | std::regex::icase);
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kRef); it != std::sregex_iterator(); ++it) {
    const std::string number = (*it)[2].str();
    if (const domain::Treaty* t = catalog_.Resolve("ETS " + number)) {
      const size_t b = static_cast<size_t>(it->position(0));
      found.push_back({t->ref, b, b + static_cast<size_t>(it->length(0))});
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
  std::vector<Mention> out;
  // Every project pattern holds one of these stems: a text without any needs no regex.
  const std::string lower = text::ToLowerAscii(text);
  bool may = false;
  for (std::string_view stem : {"cyber", "glacy", "proceeds", "octopus", "ocwar", "global project"}) {
    may = may || lower.find(stem) != std::string::npos;
  }
  if (!may) return out;
  const std::string s(text);
  for (const auto& [re, name] : ProjectRegexes()) {
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
      const auto& g = (*it)[1];
      const size_t b = static_cast<size_t>(g.first - s.begin());
      out.push_back({name.empty() ? ProjectName(g.str()) : name, b, b + static_cast<size_t>(g.length())});
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
  for (const auto& [re, name] : ProjectRegexes()) {
    std::smatch m;
    const std::string probe = " " + s;
    if (!name.empty() && std::regex_search(probe, m, re) && m[1].length() == static_cast<long>(s.size())) {
      return name;
    }
  }
  if (s.size() > 11 && text::FoldKey(s.substr(0, 11)) == "cybercrime") {
    // "Cybercrime@EAP" → "CyberCrime@EAP": one spelling per project.
    return "CyberCrime" + s.substr(10);
  }
  return s;
}

}  // namespace octopus::ingest::internal
