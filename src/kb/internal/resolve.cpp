#include "kb/internal/resolve.h"

#include <algorithm>
#include <cstdio>

#include "core/text.h"
#include "kb/internal/names.h"
#include "kb/internal/thresholds.h"

namespace octopus::kb::internal {

namespace {

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// Days since 1970-01-01 of a "YYYY-MM-DD" key, a "00" month or day read as 01.
long DayNumber(std::string_view key) {
  long y = Number(key.substr(0, 4));
  unsigned m = std::max(1, Number(key.substr(5, 2)));
  unsigned d = std::max(1, std::min(31, Number(key.substr(8, 2))));
  if (m > 12) m = 12;
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string Low(std::string_view iso) {
  if (iso.size() == 4) return std::string(iso) + "-00-00";
  if (iso.size() == 7) return std::string(iso) + "-00";
  return std::string(iso);
}

std::string High(std::string_view iso) {
  if (iso.size() == 4) return std::string(iso) + "-99-99";
  if (iso.size() == 7) return std::string(iso) + "-99";
  return std::string(iso);
}

bool Shares(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& x) {
    return std::find(b.begin(), b.end(), x) != b.end();
  });
}

bool SharesFolded(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      if (!NameKey(x).empty() && NameKey(x) == NameKey(y)) return true;
    }
  }
  return false;
}

std::string Fixed(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// `needle` as whole words of `haystack` (both NameKeys).
bool ContainsWords(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) return false;
  return (" " + haystack + " ").find(" " + needle + " ") != std::string::npos;
}

std::vector<std::string> Spellings(const Directory::Name& n) {
  std::vector<std::string> s = n.aliases;
  s.push_back(n.name);
  if (!n.acronym.empty()) s.push_back(n.acronym);
  return s;
}

}  // namespace

bool IsIsoDate(std::string_view s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  if (!Digits(s.substr(0, 4))) return false;
  if (s.size() >= 7) {
    if (s[4] != '-' || !Digits(s.substr(5, 2))) return false;
    const int m = Number(s.substr(5, 2));
    if (m < 1 || m > 12) return false;
  }
  if (s.size() == 10) {
    if (s[7] != '-' || !Digits(s.substr(8, 2))) return false;
    const int d = Number(s.substr(8, 2));
    if (d < 1 || d > 31) return false;
  }
  return true;
}

std::optional<Span> SpanOf(std::string_view start, std::string_view end, std::string_view precision) {
  if (!IsIsoDate(start)) start = {};
  if (!IsIsoDate(end)) end = {};
  if (start.empty() && end.empty()) return std::nullopt;
  const std::string_view first = start.empty() ? end : start;
  const std::string_view last = end.empty() ? first : end;
  Span s{Low(first), High(last)};
  if (precision == "by") s.lo = "0000-00-00";
  if (s.hi < s.lo) std::swap(s.lo, s.hi);
  return s;
}

bool Overlap(const Span& a, const Span& b) { return a.lo <= b.hi && b.lo <= a.hi; }

Span Narrower(const Span& a, const Span& b) {
  if (!Overlap(a, b)) return a;
  return Span{std::max(a.lo, b.lo), std::min(a.hi, b.hi)};
}

std::string NameRule(std::string_view what, const Directory::Name& n, std::string_view written) {
  const std::string key = NameKey(written);
  if (key == NameKey(n.name)) return std::string(what) + " name";
  if (!n.acronym.empty() && key == NameKey(n.acronym)) return std::string(what) + " acronym";
  return std::string(what) + " alias '" + std::string(written) + "'";
}

std::vector<const Directory::Name*> MentionedNames(const std::vector<Directory::Name>& names,
                                                   std::string_view text) {
  const std::string key = NameKey(text);
  std::vector<const Directory::Name*> out;
  for (const Directory::Name& n : names) {
    for (const std::string& s : Spellings(n)) {
      if (ContainsWords(key, NameKey(s))) {
        out.push_back(&n);
        break;
      }
    }
  }
  return out;
}

const Directory::Name* NamedWithin(const std::vector<Directory::Name>& names, std::string_view text) {
  const std::string key = NameKey(text);
  const Directory::Name* best = nullptr;
  size_t longest = 0;
  for (const Directory::Name& n : names) {
    for (const std::string& s : Spellings(n)) {
      const std::string k = NameKey(s);
      if (k.size() > longest && ContainsWords(key, k)) {
        longest = k.size();
        best = &n;
      }
    }
  }
  return best;
}

bool IsList(std::string_view section) {
  return section == "inventory" || section == "coming_next" || section == "save_the_date" ||
         section == "programme";
}

std::optional<ActivityMatch> MatchActivities(const ActivityKey& a, const ActivityKey& b) {
  std::string rule;
  double needed = kActivityTitleSimilarity;
  if (a.projects.empty() && b.projects.empty()) {
    rule = "both without project";
  } else if (Shares(a.projects, b.projects)) {
    rule = "same project";
  } else if (a.projects.empty() || b.projects.empty()) {
    rule = "project given by one";
    needed = kActivityTitleSimilarityWithoutProject;
  } else {
    return std::nullopt;
  }
  if (a.span && b.span) {
    if (!Overlap(*a.span, *b.span)) return std::nullopt;
    rule += ", overlapping span";
  } else {
    needed = std::max(needed, kUndatedActivityTitleSimilarity);
    rule += ", undated";
  }
  const bool a_placed = !a.places.empty() || !a.countries.empty();
  const bool b_placed = !b.places.empty() || !b.countries.empty();
  if (a_placed && b_placed) {
    if (SharesFolded(a.places, b.places)) {
      rule += ", same place";
    } else if (Shares(a.countries, b.countries)) {
      rule += ", same country";
    } else {
      return std::nullopt;
    }
  } else {
    needed = std::max(needed, kActivityTitleSimilarityWithoutPlace);
    rule += ", place not given";
  }
  // The title last: the other tests are cheaper and rule most pairs out.
  const double similarity = TitleSimilarity(a.title, b.title);
  if (similarity < needed) return std::nullopt;
  return ActivityMatch{similarity, rule + ", similar title (" + Fixed(similarity) + ")"};
}

std::string ActivityType(std::string_view title) {
  // Word sequences (NameKey words) and the type they name.
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"advisory mission", "advisory mission"},
      {"assessment mission", "advisory mission"},
      {"scoping mission", "advisory mission"},
      {"desk study", "desk study"},
      {"desk review", "desk study"},
      {"round table", "round table"},
      {"roundtable", "round table"},
      {"workshop", "workshop"},
      {"workshops", "workshop"},
      {"atelier", "workshop"},
      {"training", "training"},
      {"trainings", "training"},
      {"train the trainers", "training"},
      {"course", "training"},
      {"formation", "training"},
      {"conference", "conference"},
      {"conférence", "conference"},
      {"webinar", "webinar"},
      {"webinars", "webinar"},
      {"seminar", "seminar"},
      {"séminaire", "seminar"},
      {"seminaire", "seminar"},
      {"plenary", "plenary"},
      {"meeting", "meeting"},
      {"meetings", "meeting"},
      {"réunion", "meeting"},
      {"reunion", "meeting"},
      {"consultation", "meeting"},
      {"exercise", "exercise"},
      {"simulation", "exercise"},
      {"study visit", "visit"},
      {"visit", "visit"},
      {"summit", "summit"},
      {"forum", "forum"},
      {"symposium", "conference"},
      {"mission", "advisory mission"},
  };
  // A type word before one of these names a thing, not an event
  // ("training platform", "workshop report").
  static constexpr std::string_view kThings[] = {"platform", "platforms", "material", "materials", "manual",
                                                 "strategy", "report", "reports", "centre", "center",
                                                 "curriculum", "module", "modules", "tool"};
  const std::string key = " " + NameKey(title) + " ";
  size_t first = std::string::npos;
  std::string_view type;
  for (const auto& [words, name] : kTypes) {
    const std::string needle = " " + NameKey(words) + " ";
    for (size_t at = key.find(needle); at != std::string::npos; at = key.find(needle, at + 1)) {
      const size_t next = at + needle.size();
      const std::string_view following = std::string_view(key).substr(next, key.find(' ', next) - next);
      if (std::find(std::begin(kThings), std::end(kThings), following) != std::end(kThings)) continue;
      if (first == std::string::npos || at < first) {
        first = at;
        type = name;
      }
      break;
    }
  }
  return std::string(type);
}

std::string ActivityStatus(std::string_view section, std::string_view text, const std::optional<Span>& span,
                           std::string_view document_date) {
  const std::string key = " " + NameKey(text) + " ";
  if (key.find(" postponed ") != std::string::npos || key.find(" reporte ") != std::string::npos) {
    return "postponed";
  }
  if (key.find(" cancelled ") != std::string::npos || key.find(" canceled ") != std::string::npos ||
      key.find(" annule ") != std::string::npos) {
    return "cancelled";
  }
  if (section == "coming_next" || section == "save_the_date" || key.find(" will take place ") != std::string::npos) {
    return "planned";
  }
  if (section == "inventory") return "held";
  if (span && IsIsoDate(document_date)) {
    const std::string day = High(document_date);
    if (span->hi < Low(document_date)) return "held";
    if (span->lo > day) return "planned";
  }
  return "";
}

std::string ResourceType(std::string_view caption) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"guidelines", "guideline"},        {"guideline", "guideline"},
      {"guide", "guideline"},             {"guidance note", "guideline"},
      {"guidance notes", "guideline"},    {"training materials", "training material"},
      {"training material", "training material"}, {"training manual", "training material"},
      {"manual", "manual"},               {"handbook", "manual"},
      {"toolkit", "toolkit"},             {"study", "study"},
      {"studies", "study"},               {"report", "report"},
      {"reports", "report"},              {"publication", "publication"},
      {"publications", "publication"},    {"brochure", "publication"},
      {"leaflet", "publication"},         {"factsheet", "publication"},
      {"mapping", "study"},               {"assessment", "report"},
  };
  const std::string key = " " + NameKey(caption) + " ";
  size_t first = std::string::npos;
  std::string_view type;
  for (const auto& [words, name] : kTypes) {
    const size_t at = key.find(" " + NameKey(words) + " ");
    if (at != std::string::npos && (first == std::string::npos || at < first)) {
      first = at;
      type = name;
    }
  }
  return std::string(type);
}

std::string ResourceLanguage(std::string_view caption) {
  static constexpr std::pair<std::string_view, std::string_view> kLanguages[] = {
      {"english", "en"}, {"french", "fr"},    {"francais", "fr"}, {"spanish", "es"},  {"espanol", "es"},
      {"portuguese", "pt"}, {"arabic", "ar"}, {"russian", "ru"},  {"ukrainian", "uk"}, {"georgian", "ka"},
      {"armenian", "hy"}, {"azerbaijani", "az"}, {"romanian", "ro"}, {"german", "de"}};
  const std::string key = " " + NameKey(caption) + " ";
  std::string found;
  for (const auto& [word, code] : kLanguages) {
    if (key.find(" " + std::string(word) + " ") == std::string::npos || found == code) continue;
    if (!found.empty()) return "";  // several versions: no one language
    found = code;
  }
  return found;
}

std::optional<std::string> NewsReports(const NewsKey& news, const ActivityKey& activity) {
  const std::string_view activity_title = activity.title;
  const std::optional<Span>& activity_span = activity.span;
  std::string rule;
  if (news.projects.empty() && activity.projects.empty()) {
    rule = "both without project";
  } else if (Shares(news.projects, activity.projects)) {
    rule = "same project";
  } else {
    return std::nullopt;
  }
  if ((!news.places.empty() || !news.countries.empty()) &&
      (!activity.places.empty() || !activity.countries.empty())) {
    if (SharesFolded(news.places, activity.places)) {
      rule += ", same place";
    } else if (Shares(news.countries, activity.countries)) {
      rule += ", same country";
    } else {
      return std::nullopt;
    }
  }
  if (!activity_span) return std::nullopt;
  if (news.event) {
    if (!Overlap(*news.event, *activity_span)) return std::nullopt;
    rule += ", event span overlapping";
  } else {
    if (news.date.size() != 10) return std::nullopt;
    const long after = DayNumber(news.date) - DayNumber(activity_span->lo);
    if (activity_span->lo.substr(0, 4) == "0000" || after < 0 || after > kNewsReportDays) return std::nullopt;
    rule += ", reported within " + std::to_string(kNewsReportDays) + " days";
  }
  const double similarity = TitleSimilarity(news.title, activity_title);
  if (similarity < kNewsActivityTitleSimilarity) return std::nullopt;
  return rule + ", similar title (" + Fixed(similarity) + ")";
}

}  // namespace octopus::kb::internal
