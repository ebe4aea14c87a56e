/// Project basics and funding contributions stated in prose and lists.
/// A project is named by a statement about it ("GLACY is a joint project of
/// …", "the Octopus Project which is funded by …", "the project “CyberEast:
/// Action on …”", "• CyberEast (2019-2022), aiming …", a page headed by its
/// name); sentences about "the project" after that add its duration, budget,
/// funding shares and countries. A mere mention makes no project record.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "core/text.h"
#include "ingest/internal/recognisers.h"
#include "ingest/internal/treaty_prose.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

struct Basics {
  std::string name;
  int line = 0;
  std::string section;
  std::optional<std::string> full_name, start, end, duration, budget, funding, scope, reference, implementer;
  std::optional<int> months;
  std::optional<double> amount;
  std::string currency;
  std::vector<std::string> funders, countries;
  json shares = json::array();
  json contributions = json::array();
};

std::string Key(std::string_view name) { return text::FoldKey(MentionFinder::ProjectName(name)); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "Estonia, Hungary, …, USA and Microsoft as well as the budget of the Council of Europe" → names.
std::vector<std::string> Names(std::string_view s) {
  std::string t = WithoutParentheticals(s);  // parentheticals name instruments, not funders
  for (std::string_view stop : {" which ", " that ", " to support", " aiming", " aimed", " in order", " under "}) {
    if (const size_t p = t.find(stop); p != std::string::npos) t.erase(p);
  }
  while (!t.empty() && (t.back() == '.' || t.back() == ' ' || t.back() == ';')) t.pop_back();
  for (std::string_view sep : {", as well as ", " as well as ", " and ", " & "}) {
    // "other public and private sector organisations" is one name: only a capital starts another.
    for (size_t p = t.find(sep); p != std::string::npos; p = t.find(sep, p + 1)) {
      const size_t next = p + sep.size();
      const bool capital = next < t.size() && ((t[next] >= 'A' && t[next] <= 'Z') || t.compare(next, 4, "the ") == 0);
      if (capital) t.replace(p, sep.size(), ",");
    }
  }
  std::vector<std::string> out;
  for (std::string part : SplitOutsideParens(t, ',')) {
    for (std::string_view lead : {"the budget of the ", "the budget of ", "the ", "The "}) {
      if (text::StartsWith(part, lead)) part.erase(0, lead.size());
    }
    if (part.size() > 120 || part.empty()) continue;
    out.push_back(part);
  }
  return out;
}

// After "funded by", "contributions from", "project of": the funders.
std::optional<std::string> FundingText(std::string_view s) {
  const std::string lower = text::ToLowerAscii(s);
  for (std::string_view cue : {"funded by voluntary contributions from ", "voluntary contributions from ",
                               "voluntary contributions by ", "funded by ", "contributions from ",
                               "joint regional project of ", "joint project of ", "project of "}) {
    const size_t at = lower.find(cue);
    if (at == std::string::npos) continue;
    std::string rest(s.substr(at + cue.size()));
    for (std::string_view stop : {". ", " on cooperation", " aimed", " aiming", " to support", " on the basis"}) {
      if (const size_t p = rest.find(stop); p != std::string::npos) rest.erase(p);
    }
    return rest;
  }
  return std::nullopt;
}

bool LooksLikeName(std::string_view s) {
  if (s.empty() || s.size() > 70) return false;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == 'i')) return false;  // "iPROCEEDS"
  size_t words = 1;
  for (char x : s) words += x == ' ';
  return words <= 7 && s.find(". ") == std::string_view::npos;
}

// "90% of funding provided by the European Union … and 10% contributed by the Council of Europe",
// "90 % EU, 10 % CoE".
json Shares(std::string_view s) {
  json out = json::array();
  size_t i = 0;
  while ((i = s.find('%', i)) != std::string_view::npos) {
    size_t b = i;
    while (b > 0 && s[b - 1] == ' ') --b;
    size_t k = b;
    while (k > 0 && (IsDigit(s[k - 1]) || s[k - 1] == '.')) --k;
    if (k == b) {
      ++i;
      continue;
    }
    const double pct = std::stod(std::string(s.substr(k, b - k)));
    std::string_view rest = s.substr(i + 1);
    const size_t next = rest.find('%');
    std::string_view chunk = rest.substr(0, next == std::string_view::npos ? rest.size() : next);
    std::string funder;
    const std::string lower = text::ToLowerAscii(chunk);
    const size_t by = lower.find(" by ");
    std::string_view who = by != std::string::npos ? chunk.substr(by + 4) : chunk;
    who = text::Trim(who);
    if (text::StartsWith(who, "of ")) who = text::Trim(who.substr(3));
    if (text::StartsWith(who, "the ")) who = who.substr(4);
    // The funder: capitalised words up to a lower-case word or a mark.
    std::string name;
    for (const std::string& word : text::Split(who, ' ')) {
      if (word.empty()) continue;
      const unsigned char c = static_cast<unsigned char>(word[0]);
      const bool cap = (c >= 'A' && c <= 'Z') || c == '/';
      if (!cap && !(word == "of" && !name.empty())) break;
      std::string w = word;
      bool stop = false;
      while (!w.empty() && std::string_view(",.;()").find(w.back()) != std::string_view::npos) {
        w.pop_back();
        stop = true;
      }
      name += (name.empty() ? "" : " ") + w;
      if (stop) break;
    }
    if (text::StartsWith(name.size() > 3 ? name.substr(name.size() - 3) : "", " of")) name.resize(name.size() - 3);
    funder = name;
    out.push_back(json::object({{"percent", pct}, {"funder", funder.empty() ? json(nullptr) : json(funder)}}));
    i += 1;
  }
  return out;
}

// The keys of a project page's basics.
bool IsBasicsKey(const std::string& folded_key) {
  return folded_key == "duration" || folded_key == "duration of the project" || folded_key == "project duration" ||
         folded_key == "budget" || folded_key == "project budget" || folded_key == "funding" ||
         folded_key == "funded by" || folded_key == "donors" || folded_key == "donor" || folded_key == "funders" ||
         folded_key == "implementation" || folded_key == "implemented by";
}

// A heading's name part: "CyberSEA – Cybercrime capacity building" → "CyberSEA"; the whole
// heading when it has no such part; "" when it is too long to be a heading.
std::string HeadingName(std::string_view head) {
  if (head.size() > 120) return "";
  for (std::string_view sep : {" \u2013 ", " \u2014 ", " - ", ": "}) {
    if (const size_t at = head.find(sep); at != std::string_view::npos && at > 0 && at < 60) {
      return std::string(text::Trim(head.substr(0, at)));
    }
  }
  return head.size() <= 60 ? std::string(head) : "";
}

// True when "Key: value" lines of a project's basics follow the heading at `at` closely.
bool BasicsFollow(const CleanLines& lines, size_t at) {
  size_t seen = 0;
  for (size_t i = at + 1; i < lines.clean.size() && seen < 12; ++i) {
    if (lines.blank[i]) continue;
    ++seen;
    const std::string& l = lines.clean[i];
    if (const size_t colon = l.find(':'); colon != std::string::npos && colon < 40 &&
                                          IsBasicsKey(text::FoldKey(l.substr(0, colon)))) {
      return true;
    }
  }
  return false;
}

// "European Union (90%) and Council of Europe (10%)": each share after the name it belongs to.
json SharesAfterNames(std::string_view s) {
  json out = json::array();
  size_t from = 0;
  while (true) {
    const size_t open = s.find('(', from);
    if (open == std::string_view::npos) break;
    const size_t close = s.find(')', open);
    if (close == std::string_view::npos) break;
    std::string_view inside = text::Trim(s.substr(open + 1, close - open - 1));
    if (!inside.empty() && inside.back() == '%') inside = text::Trim(inside.substr(0, inside.size() - 1));
    const bool number = !inside.empty() && std::all_of(inside.begin(), inside.end(), [](char c) {
      return IsDigit(c) || c == '.';
    }) && IsDigit(inside.front()) && s.substr(open, close - open).find('%') != std::string_view::npos;
    std::string_view name = text::Trim(s.substr(from, open - from));
    for (std::string_view lead : {"and ", ", ", "the "}) {
      if (text::StartsWith(name, lead)) name = text::Trim(name.substr(lead.size()));
    }
    if (number && !name.empty()) {
      out.push_back(json::object({{"percent", std::stod(std::string(inside))}, {"funder", std::string(name)}}));
    }
    from = close + 1;
  }
  return out;
}

json Amount(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9e15) return json(static_cast<int64_t>(v));
  return json(v);
}

}  // namespace

std::optional<std::pair<double, std::string>> Money(std::string_view s, std::string* as_written) {
  static constexpr std::pair<std::string_view, std::string_view> kCurrencies[] = {
      {"EUR", "EUR"}, {"\u20ac", "EUR"}, {"USD", "USD"}, {"US$", "USD"}, {"GBP", "GBP"}, {"euros", "EUR"}};
  // The amount: digits with '.', ',' or single spaces between groups of three.
  auto amount_at = [&](size_t i, size_t* end) -> std::optional<double> {
    std::string digits;
    size_t j = i;
    while (j < s.size()) {
      if (IsDigit(s[j])) {
        digits.push_back(s[j++]);
      } else if ((s[j] == ',' || s[j] == ' ') && j + 3 < s.size() + 0 && IsDigit(s[j + 1]) && IsDigit(s[j + 2]) &&
                 IsDigit(s[j + 3]) && (j + 4 >= s.size() || !IsDigit(s[j + 4])) && !digits.empty()) {
        ++j;  // a thousands separator
      } else if (s[j] == '.' && j + 1 < s.size() && IsDigit(s[j + 1]) && !digits.empty()) {
        digits.push_back('.');
        ++j;
      } else {
        break;
      }
    }
    if (digits.empty() || digits.size() > 15) return std::nullopt;
    *end = j;
    double v = 0;
    try {
      v = std::stod(digits);
    } catch (...) {
      return std::nullopt;
    }
    std::string tail = text::FoldKey(s.substr(j, 12));
    if (text::StartsWith(tail, "million")) {
      v *= 1e6;
      *end = j + 1 + 7;
    } else if (text::StartsWith(tail, "billion")) {
      v *= 1e9;
      *end = j + 1 + 7;
    }
    return std::round(v * 100) / 100;
  };
  for (const auto& [mark, code] : kCurrencies) {
    for (size_t at = s.find(mark); at != std::string_view::npos; at = s.find(mark, at + 1)) {
      // Currency first: "EUR 13.5 million".
      size_t i = at + mark.size();
      while (i < s.size() && (s[i] == ' ' || s[i] == ':')) ++i;
      size_t end = 0;
      if (i < s.size() && IsDigit(s[i])) {
        if (auto v = amount_at(i, &end)) {
          *as_written = std::string(s.substr(at, std::min(end, s.size()) - at));
          return std::make_pair(*v, std::string(code));
        }
      }
      // Amount first: "4.2 million EUR".
      size_t b = at;
      while (b > 0 && s[b - 1] == ' ') --b;
      std::string_view before = s.substr(0, b);
      for (std::string_view unit : {"million", "billion"}) {
        if (before.size() > unit.size() && before.substr(before.size() - unit.size()) == unit) {
          before = text::Trim(before.substr(0, before.size() - unit.size()));
        }
      }
      size_t k = before.size();
      while (k > 0 && (IsDigit(before[k - 1]) || before[k - 1] == '.' || before[k - 1] == ',')) --k;
      if (k < before.size()) {
        if (auto v = amount_at(k, &end)) {
          *as_written = std::string(s.substr(k, at + mark.size() - k));
          return std::make_pair(*v, std::string(code));
        }
      }
    }
  }
  return std::nullopt;
}


std::vector<Record> ProseProjects(const CleanLines& lines, const MentionFinder& finder, const ProseContext& ctx) {
  std::vector<Basics> projects;
  std::map<std::string, size_t> index;
  std::map<std::string, std::string> keys;  // written name → key (ProjectName runs the patterns)
  auto key_of = [&](const std::string& name) -> const std::string& {
    auto it = keys.find(name);
    if (it == keys.end()) it = keys.emplace(name, Key(name)).first;
    return it->second;
  };
  auto project = [&](const std::string& name, int line, const std::string& section) -> Basics& {
    const std::string key = key_of(name);
    if (auto it = index.find(key); it != index.end()) return projects[it->second];
    index[key] = projects.size();
    Basics b;
    b.name = name;
    b.line = line;
    b.section = section;
    projects.push_back(std::move(b));
    return projects.back();
  };
  std::optional<size_t> current;  // the project "the project" refers to
  auto set_current = [&](Basics& b) {
    current = static_cast<size_t>(&b - projects.data());
  };

  // A page headed by a project's name: "Cybercrime@IPA", "Project on Cybercrime". An issue of
  // a periodical is headed by the periodical's title, whatever basics its items state.
  for (size_t i = 0; i < lines.clean.size() && !ctx.periodical; ++i) {
    if (lines.blank[i]) continue;
    const std::string& head = lines.clean[i];
    const auto named = finder.Projects(head);
    const bool whole = named.size() == 1 && named[0].begin == 0 && named[0].end + 1 >= head.size();
    // "Project Octopus", "Project on Cybercrime", "GLACY Project" — not "Project news" or
    // "Our Project", whose other word is no name.
    const auto capital_at = [&](size_t at) { return at < head.size() && std::isupper(static_cast<unsigned char>(head[at])); };
    const bool called = head.size() < 60 && !IsProse(head) &&
                        (text::StartsWith(head, "Project on ") ||
                         (text::StartsWith(head, "Project ") && capital_at(8)) ||
                         (head.size() > 8 && head.substr(head.size() - 8) == " Project" &&
                          std::any_of(head.begin() + 1, head.end() - 8, [](char c) {
                            return std::isupper(static_cast<unsigned char>(c)) || (c >= '0' && c <= '9');
                          }) &&
                          !text::StartsWith(head, "Our ") && !text::StartsWith(head, "The ") &&
                          !text::StartsWith(head, "This ")));
    if (whole || called) {
      set_current(project(head, static_cast<int>(i + 1), "page"));
    } else if (const std::string name = HeadingName(head); !IsProse(head) && !name.empty() && BasicsFollow(lines, i)) {
      // "CyberSEA – Cybercrime capacity building in …" over "Duration: …", "Budget: …": a project page.
      Basics& b = project(name, static_cast<int>(i + 1), "page");
      if (name != head) b.full_name = head;
      set_current(b);
    }
    break;
  }

  auto digits_year = [](std::string_view s, size_t at) {
    return at + 4 <= s.size() && IsDigit(s[at]) && IsDigit(s[at + 1]) && IsDigit(s[at + 2]) && IsDigit(s[at + 3]);
  };
  std::optional<size_t> list_key_line;  // "Project areas:" awaiting its list on the next line
  for (size_t i = 0; i < lines.clean.size(); ++i) {
    if (lines.blank[i]) continue;
    std::string para = lines.clean[i];
    const int line = static_cast<int>(i + 1);
    // A sentence wrapped over lines: "… funded by voluntary contributions" + "from Canada, …".
    while (i + 1 < lines.clean.size() && !lines.blank[i + 1] && !para.empty() &&
           std::string_view(".!?:;").find(para.back()) == std::string_view::npos && IsProse(para) &&
           !lines.clean[i + 1].empty() && lines.clean[i + 1][0] >= 'a' && lines.clean[i + 1][0] <= 'z') {
      para += " " + lines.clean[++i];
    }
    std::replace(para.begin(), para.end(), '\t', ' ');
    if (list_key_line && current && *current < projects.size()) {
      auto& b = projects[*current];
      if (b.countries.empty()) {
        b.scope = para;
        b.countries = MentionFinder::Ids(finder.Countries(para));
      }
    }
    list_key_line.reset();

    // A list entry: "• CyberEast (2019-2022), aiming to …".
    {
      std::string_view t = para;
      for (std::string_view bullet : {"\u2022", "\u25aa", "- ", "* ", "\u00b7"}) {
        if (text::StartsWith(t, bullet)) t = text::Trim(t.substr(bullet.size()));
      }
      const size_t open = t.find(" (");
      if (open != std::string_view::npos && open < 60 && digits_year(t, open + 2)) {
        const std::string_view inside = t.substr(open + 2, t.find(')', open) - open - 2);
        auto span = ParseDatePhrase(inside, 0);
        const std::string name(text::Trim(t.substr(0, open)));
        if (span && span->precision == "range" && span->start && span->end && span->start->month == 0 &&
            LooksLikeName(name) && t.substr(0, open).find(',') == std::string_view::npos) {
          Basics& b = project(name, line, "list");
          b.start = span->start->Iso();
          b.end = span->end->Iso();
          b.duration = std::string(inside);
          const std::string rest(t.substr(open));
          if (const size_t p1 = rest.find('(', 2); p1 != std::string::npos) {
            const size_t p2 = rest.find(')', p1);
            if (p2 != std::string::npos) {
              const std::string scope = rest.substr(p1 + 1, p2 - p1 - 1);
              if (auto c = MentionFinder::Ids(finder.Countries(scope)); c.size() >= 2) {
                b.scope = scope;
                b.countries = c;
              }
            }
          }
          continue;
        }
      }
    }

    // "Key: value" lines of a project's basics.
    if (const size_t colon = para.find(':'); colon != std::string::npos && colon < 40) {
      const std::string key = text::FoldKey(para.substr(0, colon));
      const std::string value(text::Trim(std::string_view(para).substr(colon + 1)));
      if (key == "duration of the project" || key == "duration" || key == "project duration") {
        if (current && *current < projects.size()) {
          auto& b = projects[*current];
          std::string v = value;
          while (!v.empty() && v.back() == '.') v.pop_back();
          b.duration = v;
          // "1 March 2023 – 28 February 2027 (48 months)": the span, and its months in parentheses.
          if (const size_t open = v.find(" ("); open != std::string::npos && v.back() == ')') {
            const std::string inside = v.substr(open + 2, v.size() - open - 3);
            size_t k = 0;
            while (k < inside.size() && IsDigit(inside[k])) ++k;
            if (k > 0 && k <= 3 && inside.substr(k) == " months") b.months = std::stoi(inside.substr(0, k));
            v.resize(open);
          }
          if (auto d = ParseDatePhrase(v, 0); d && d->year_given && d->start && d->end) {
            b.start = d->start->Iso();
            b.end = d->end->Iso();
          }
        }
        continue;
      }
      if (key == "participating countries" || key == "project areas" || key == "project countries" ||
          key == "beneficiary countries" || key == "countries") {
        if (current && *current < projects.size()) {
          auto& b = projects[*current];
          if (value.empty()) {
            list_key_line = i;
          } else {
            b.scope = value;
            b.countries = MentionFinder::Ids(finder.Countries(value));
          }
        }
        continue;
      }
      if ((key == "funding" || key == "funded by" || key == "donors" || key == "donor" || key == "funders") &&
          current && *current < projects.size() && !value.empty()) {
        // "European Union (90%) and Council of Europe (10%)": the funders, each with its share.
        auto& b = projects[*current];
        b.funding = value;
        b.funders = Names(value);
        b.shares = SharesAfterNames(value);
        continue;
      }
      if ((key == "implementation" || key == "implemented by" || key == "implementing partner" ||
           key == "implementing partners" || key == "implementer" || key == "implementing organisation") &&
          current && *current < projects.size() && !value.empty()) {
        std::string v = value;
        while (!v.empty() && v.back() == '.') v.pop_back();
        projects[*current].implementer = v;
        continue;
      }
      if ((key == "budget" || key == "project budget") && current && *current < projects.size()) {
        std::string as_written;
        if (auto m = Money(value, &as_written)) {
          projects[*current].amount = m->first;
          projects[*current].currency = m->second;
          projects[*current].budget = value;
        }
        continue;
      }
    }

    for (std::string_view sentence : SplitSentences(para)) {
      if (sentence.size() > 1500) continue;
      const std::string lower = text::ToLowerAscii(sentence);
      // Every statement read below spells one of these (lowercased): a sentence that spells none
      // states nothing of a project and is passed over.
      {
        static const CueSet kCues = {" is ", " was a ", "project ", "funded by", "voluntary contributions from",
                                     "budget", "duration", " made ", " makes ", " provided ", " contributed ", "it "};
        if (!kCues.FoundIn(lower)) continue;
      }
      const std::string s(sentence);
      Basics* about = nullptr;

      // "<Name> is a … project …", "<Name> is implemented …".
      for (std::string_view verb : {" is a ", " is an ", " is implemented ", " was a "}) {
        const size_t at = s.find(verb);
        if (at == std::string::npos || at == 0) continue;
        std::string subject = s.substr(0, at);
        if (text::StartsWith(subject, "The ")) subject.erase(0, 4);
        const bool project_statement = verb == " is implemented " ||
                                       lower.substr(at, 80).find("project") != std::string::npos;
        if (!project_statement || !LooksLikeName(subject) || text::FoldKey(subject) == "project" ||
            text::FoldKey(subject) == "it" || text::FoldKey(subject) == "this") {
          continue;
        }
        about = &project(subject, line, "prose");
        break;
      }
      // "the project “CyberEast: Action on …”".
      if (!about) {
        for (std::string_view open : {"project \u201c", "project \"", "Project \u201c"}) {
          const size_t at = s.find(open);
          if (at == std::string::npos) continue;
          const size_t b = at + open.size();
          size_t e = s.find("\u201d", b);
          if (e == std::string::npos) e = s.find('"', b);
          if (e == std::string::npos || e - b > 200) continue;
          const std::string full = s.substr(b, e - b);
          const size_t colon = full.find(':');
          const std::string name(text::Trim(colon != std::string::npos ? std::string_view(full).substr(0, colon)
                                                                      : std::string_view(full)));
          if (!LooksLikeName(name)) continue;
          about = &project(name, line, "prose");
          about->full_name = full;
          // "… has formally commenced on 20 June 2019".
          const std::string after = lower.substr(e);
          for (std::string_view cue : {"commenced", "started", "was launched", "began"}) {
            const size_t c = after.find(cue);
            if (c == std::string::npos) continue;
            for (const FoundDate& d : DatesIn(std::string_view(s).substr(e + c), 0)) {
              if (d.phrase.year_given && d.phrase.start) {
                about->start = d.phrase.start->Iso();
                break;
              }
            }
            break;
          }
          break;
        }
      }
      // "part of the Cybercrime@Octopus project which is funded by …".
      if (!about && (lower.find("funded by") != std::string::npos ||
                     lower.find("voluntary contributions from") != std::string::npos)) {
        const auto named = finder.Projects(s);
        const size_t cue = std::min(lower.find("funded by"), lower.find("voluntary contributions from"));
        for (auto it = named.rbegin(); it != named.rend(); ++it) {
          if (it->begin >= cue) continue;
          std::string name = s.substr(it->begin, it->end - it->begin);
          if (s.substr(it->end, 8) == " Project") name += " Project";
          about = &project(name, line, "prose");
          break;
        }
      }
      if (about) set_current(*about);
      // A sentence about "the project" (or naming one project) gives its duration, budget and shares.
      Basics* target = about;
      const bool refers = text::StartsWith(lower, "the project ") || text::StartsWith(lower, "this project ") ||
                          text::StartsWith(lower, "it ");
      if (!target && refers && current && *current < projects.size()) target = &projects[*current];
      if (!target && (lower.find("budget") != std::string::npos || lower.find("duration") != std::string::npos)) {
        const auto named = MentionFinder::Ids(finder.Projects(s));
        if (named.size() == 1) {
          for (const Mention& m : finder.Projects(s)) {
            target = &project(s.substr(m.begin, m.end - m.begin), line, "prose");
            break;
          }
        }
      }
      if (target) {
        if (auto f = FundingText(s); f && target->funders.empty()) {
          target->funding = *f;
          target->funders = Names(*f);
        }
        if (lower.find("budget") != std::string::npos) {
          std::string as_written;
          if (auto m = Money(s, &as_written)) {
            target->amount = m->first;
            target->currency = m->second;
            target->budget = as_written;
          }
        }
        for (std::string_view cue : {"implemented for ", "duration of ", "period of ", "lasts ", "last for "}) {
          const size_t at = lower.find(cue);
          if (at == std::string::npos) continue;
          const size_t n = at + cue.size();
          size_t k = n;
          while (k < s.size() && IsDigit(s[k])) ++k;
          if (k > n && k - n <= 3 && lower.substr(k, 7) == " months") target->months = std::stoi(s.substr(n, k - n));
        }
        if (const size_t until = lower.find(" until "); until != std::string::npos &&
            (lower.find("duration") != std::string::npos || lower.find("prolong") != std::string::npos ||
             lower.find("extend") != std::string::npos)) {
          if (auto d = DatesIn(std::string_view(s).substr(until + 7, 30), 0); !d.empty() && d[0].begin == 0) {
            target->end = d[0].phrase.end->Iso();
          } else if (digits_year(s, until + 7)) {
            target->end = s.substr(until + 7, 4);
          }
        }
        // "The project was launched in September 2006 and completed in February 2009."
        for (const FoundDate& d : DatesIn(s, 0)) {
          if (!d.phrase.year_given || !d.phrase.start) continue;
          const std::string before = lower.substr(d.begin > 30 ? d.begin - 30 : 0, std::min<size_t>(d.begin, 30));
          if (before.find("launched") != std::string::npos || before.find("commenced") != std::string::npos ||
              before.find("started") != std::string::npos) {
            if (!target->start) target->start = d.phrase.start->Iso();
          } else if (before.find("completed") != std::string::npos || before.find("ended") != std::string::npos ||
                     before.find("closed") != std::string::npos) {
            if (!target->end) target->end = d.phrase.end->Iso();
          }
        }
        if (lower.find('%') != std::string::npos && target->shares.empty() &&
            (lower.find("fund") != std::string::npos || lower.find("contribut") != std::string::npos)) {
          target->shares = Shares(s);
        }
      }

      // "The Netherlands … made a voluntary financial contribution of EUR 50 000 to the Octopus Project".
      // "Japan contributed EUR 300 000 to the Octopus Project": the verb is the contribution.
      for (std::string_view verb : {" made ", " makes ", " has made ", " provided ", " has contributed ",
                                    " have contributed ", " contributed "}) {
        const size_t at = lower.find(verb);
        if (at == std::string::npos || at == 0) continue;
        const bool contributed = verb.find("contributed") != std::string_view::npos;
        const size_t c = contributed ? at + verb.size() : lower.find("contribution", at);
        if (c == std::string::npos || c > at + 60) continue;
        if (contributed && text::StartsWith(std::string_view(lower).substr(c), "by ")) continue;
        std::string contributor(text::Trim(std::string_view(s).substr(0, at)));
        if (const size_t comma = contributor.find(','); comma != std::string::npos) contributor.erase(comma);
        if (text::StartsWith(contributor, "The ")) contributor.erase(0, 4);
        if (contributor.empty() || contributor.size() > 80) break;
        const std::string object = s.substr(at);
        std::string as_written;
        const auto money = Money(std::string_view(object).substr(0, std::min<size_t>(object.size(), 120)), &as_written);
        const auto named = finder.Projects(object);
        json count = nullptr;
        const std::string between = lower.substr(at + verb.size(), c - at - verb.size());
        for (const auto& [word, n] : std::initializer_list<std::pair<std::string_view, int>>{
                 {"a ", 1}, {"one ", 1}, {"two ", 2}, {"three ", 3}, {"four ", 4}, {"five ", 5}}) {
          if (text::StartsWith(between, word)) count = n;
        }
        if (named.empty()) break;  // a contribution is recorded with the project it funds
        std::string funded = object.substr(named.front().begin, named.front().end - named.front().begin);
        if (object.substr(named.front().end, 8) == " Project") funded += " Project";
        Basics& b = project(funded, line, "prose");
        b.contributions.push_back(json::object({{"contributor", contributor},
                                                {"countries", MentionFinder::Ids(finder.Countries(contributor))},
                                                {"amount", money ? Amount(money->first) : json(nullptr)},
                                                {"currency", money ? json(money->second) : json(nullptr)},
                                                {"count", count},
                                                {"line", line},
                                                {"span", s}}));
        break;
      }
    }
  }

  std::set<std::string> existing;
  for (const Record& r : ctx.existing) {
    if (r.kind == "project" && r.fields.contains("name") && r.fields["name"].is_string()) {
      existing.insert(Key(r.fields["name"].get<std::string>()));
    }
  }
  auto recorded = [&](const std::string& name) { return existing.count(key_of(name)) > 0; };
  std::vector<Record> out;
  for (const Basics& b : projects) {
    if (recorded(b.name)) continue;  // a layout recogniser read this project's basics already
    Record r;
    r.kind = "project";
    r.line = b.line;
    r.fields = json::object({{"name", b.name},
                             {"start", b.start ? json(*b.start) : json(nullptr)},
                             {"end", b.end ? json(*b.end) : json(nullptr)},
                             {"scope", b.scope ? json(*b.scope) : json(nullptr)},
                             {"budget_amount", b.amount ? Amount(*b.amount) : json(nullptr)},
                             {"budget_currency", b.amount ? json(b.currency) : json(nullptr)},
                             {"funders", b.funders},
                             {"countries", b.countries},
                             {"implementer", b.implementer ? json(*b.implementer) : json(nullptr)},
                             {"section", b.section},
                             {"duration", b.duration ? json(*b.duration) : json(nullptr)},
                             {"duration_months", b.months ? json(*b.months) : json(nullptr)},
                             {"budget", b.budget ? json(*b.budget) : json(nullptr)},
                             {"funding", b.funding ? json(*b.funding) : json(nullptr)},
                             {"funding_shares", b.shares}});
    if (b.full_name) r.fields["full_name"] = *b.full_name;
    if (!b.contributions.empty()) r.fields["contributions"] = b.contributions;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace octopus::ingest::internal
