#include "ingest/internal/treaty_prose.h"

#include <algorithm>
#include <map>
#include <regex>

#include "core/text.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

constexpr size_t kMaxSentence = 4000;  // longer runs are not sentences a person wrote

constexpr auto kFlags = std::regex::ECMAScript | std::regex::icase;

int OrdinalValue(std::string_view w) {
  static constexpr std::string_view kWords[] = {"first", "second", "third", "fourth", "fifth",
                                                "sixth", "seventh", "eighth", "ninth", "tenth"};
  const std::string f = text::ToLowerAscii(w);
  for (size_t i = 0; i < std::size(kWords); ++i) {
    if (f == kWords[i]) return static_cast<int>(i) + 1;
  }
  int n = 0;
  size_t i = 0;
  while (i < f.size() && f[i] >= '0' && f[i] <= '9' && i < 4) n = n * 10 + (f[i++] - '0');
  return i > 0 ? n : 0;
}

// How precise a stated date is: an exact day beats a month beats nothing.
int Rank(const std::optional<PartialDate>& d) {
  if (!d) return 0;
  if (d->day != 0) return 3;
  if (d->month != 0) return 2;
  return 1;
}

std::string ActionOfVerb(const std::string& verb, std::string_view rest) {
  const std::string v = text::FoldKey(verb);
  if (v.find("invit") != std::string::npos) return "invitation";
  if (v.find("deposit") != std::string::npos || v.find("convey") != std::string::npos ||
      v.find("depose") != std::string::npos) {
    static const std::regex kInstrument(
        R"(instruments? (?:of|d'|de l'|de |d’)\s*(ratification|accession|acceptance|approval|adh))", kFlags);
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(rest.begin(), rest.end(), m, kInstrument)) return "";
    const std::string k = text::ToLowerAscii(m[1].str());
    if (k == "adh") return "accession";
    return k;
  }
  if (v.find("ratif") != std::string::npos) return "ratification";
  if (v.find("sign") != std::string::npos) return "signature";
  if (v.find("acced") != std::string::npos || v.find("adhere") != std::string::npos) return "accession";
  if (v.find("denounc") != std::string::npos) return "denunciation";
  return "";
}

}  // namespace

std::vector<std::string_view> SplitSentences(std::string_view p) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    const char c = p[i];
    bool cut = false;
    if (c == ';') {
      cut = true;
    } else if ((c == '.' || c == '!' || c == '?') && p[i + 1] == ' ' && i + 2 < p.size()) {
      const unsigned char n = static_cast<unsigned char>(p[i + 2]);
      const bool starts = (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') || n == '"' || n >= 0x80;
      // Not after "No." "Art." "Mr." "Dr." "St." "e.g." or an initial.
      size_t w = i;
      while (w > start && p[w - 1] != ' ' && p[w - 1] != '(') --w;
      const std::string word = text::ToLowerAscii(p.substr(w, i - w));
      const bool abbreviation = word == "no" || word == "art" || word == "mr" || word == "dr" ||
                                word == "st" || word == "e.g" || word == "i.e" || word == "nos" ||
                                word.size() == 1;
      cut = starts && !abbreviation;
    }
    if (cut) {
      out.push_back(text::Trim(p.substr(start, i + 1 - start)));
      start = i + 1;
    }
  }
  if (start < p.size()) out.push_back(text::Trim(p.substr(start)));
  std::erase_if(out, [](std::string_view s) { return s.empty(); });
  return out;
}

void TreatyProse::BeginItem(std::optional<PartialDate> item_date, int year) {
  ++item_;
  item_date_ = item_date;
  year_ = year != 0 ? year : default_year_;
  item_treaties_.clear();
}

void TreatyProse::Heading(std::string_view text, int line) { Sentence(text, line, true); }

void TreatyProse::Paragraph(std::string_view text, int line) {
  for (std::string_view s : SplitSentences(text)) Sentence(s, line, false);
}

void TreatyProse::Sentence(std::string_view s, int line, bool heading) {
  s = text::TruncateUtf8(s, kMaxSentence);
  for (const Mention& m : finder_.Treaties(s)) {
    if (std::find(item_treaties_.begin(), item_treaties_.end(), m.id) == item_treaties_.end()) {
      item_treaties_.push_back(m.id);
    }
  }
  if (EntryIntoForceSentence(s, line)) return;
  ActionSentence(s, line, heading);
  FigureSentence(s, line);
}

std::vector<std::string> TreatyProse::TreatiesOr(std::string_view s, size_t from) const {
  std::vector<std::string> out;
  for (const Mention& m : finder_.Treaties(s)) {
    if (m.begin >= from && std::find(out.begin(), out.end(), m.id) == out.end()) out.push_back(m.id);
  }
  return out;
}

bool TreatyProse::ActionSentence(std::string_view s, int line, bool heading) {
  static const std::regex kVerb(
      R"(\b(?:has |have )?(deposited|conveyed|ratified|ratifies|signed|signs|acceded to|accedes to|denounced|(?:was |were |is |are |been )?invited to (?:accede|join)|(?:became|becomes|has become) (?:the )?(\w+) (?:state|country) to (ratify|sign|accede)|a ratifié|ont ratifié|a signé|ont signé|a adhéré|a déposé|ont déposé|a été invitée? à adhérer))",
      kFlags);
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(s.begin(), s.end(), m, kVerb)) return false;
  const size_t verb_at = static_cast<size_t>(m.position(0));
  const size_t after = verb_at + static_cast<size_t>(m.length(0));
  std::string verb = m[1].str();
  int ordinal = 0;
  if (m[2].matched) {
    ordinal = OrdinalValue(m[2].str());
    verb = m[3].str();
  }
  const std::string action = ActionOfVerb(verb, s.substr(after));
  if (action.empty()) return false;

  // The states: named before the verb, in the same clause, close to it.
  size_t clause = s.rfind(';', verb_at);
  clause = clause == std::string_view::npos ? 0 : clause + 1;
  std::vector<Mention> subject = finder_.Countries(s.substr(clause, verb_at - clause));
  if (subject.empty()) return false;
  const size_t last_end = clause + subject.back().end;
  if (verb_at - last_end > 40) return false;
  const size_t subject_begin = clause + subject.front().begin;

  std::vector<std::string> treaties = TreatiesOr(s, after);
  if (treaties.empty()) {
    if (item_treaties_.empty()) return false;
    treaties.push_back(item_treaties_.back());
  }

  // The date: after the verb, else before the subject ("On 16 July 2009, Romania …").
  std::vector<FoundDate> dates = DatesIn(s.substr(after), year_);
  if (dates.empty()) dates = DatesIn(s.substr(0, subject_begin), year_);
  std::vector<std::optional<PartialDate>> per_state(subject.size());
  if (!dates.empty()) {
    const DatePhrase& d = dates.front().phrase;
    const bool respectively = text::FoldKey(s).find("respectively") != std::string::npos;
    if (respectively && d.days.size() == subject.size()) {
      for (size_t i = 0; i < subject.size(); ++i) per_state[i] = d.days[i];
    } else if (d.precision == "day" && d.start && d.end && *d.start == *d.end) {
      std::fill(per_state.begin(), per_state.end(), d.start);
    } else if (d.precision == "month" && d.start) {
      std::fill(per_state.begin(), per_state.end(), d.start);
    }
  }
  for (size_t i = 0; i < subject.size(); ++i) {
    for (const std::string& treaty : treaties) {
      Action a;
      a.state = subject[i].id;
      a.treaty = treaty;
      a.action = action;
      a.date = per_state[i];
      if (!a.date) a.reported = item_date_;
      (void)heading;
      a.span = std::string(s);
      a.line = line;
      a.item = item_;
      AddAction(std::move(a));
    }
  }
  if (ordinal > 0 && action == "ratification") {
    for (const std::string& treaty : treaties) {
      Figure f;
      f.treaty = treaty;
      f.measure = "ratified";
      f.count = ordinal;
      f.as_of = per_state.front() ? per_state.front() : item_date_;
      f.span = std::string(s);
      f.line = line;
      figures_.push_back(std::move(f));
    }
  }
  return true;
}

bool TreatyProse::EntryIntoForceSentence(std::string_view s, int line) {
  static const std::regex kEif(R"(\b(?:enter|enters|entered|entry) into force|entrera en vigueur|entre en vigueur)",
                               kFlags);
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(s.begin(), s.end(), m, kEif)) return false;
  const size_t after = static_cast<size_t>(m.position(0) + m.length(0));
  std::optional<PartialDate> eif;
  for (const FoundDate& d : DatesIn(s.substr(after), year_)) {
    if (d.phrase.precision == "day" && d.phrase.start && *d.phrase.start == *d.phrase.end && d.phrase.year_given) {
      eif = d.phrase.start;
      break;
    }
  }
  if (!eif) return false;
  std::vector<std::string> states = MentionFinder::Ids(finder_.Countries(s));
  std::vector<std::string> treaties = TreatiesOr(s, 0);
  bool matched = false;
  for (Action& a : actions_) {
    if (a.item != item_ || a.action == "entry_into_force" || a.action == "signature" || a.action == "invitation") {
      continue;
    }
    const bool state_ok = states.empty() || std::find(states.begin(), states.end(), a.state) != states.end();
    const bool treaty_ok =
        treaties.empty() || std::find(treaties.begin(), treaties.end(), a.treaty) != treaties.end();
    if (state_ok && treaty_ok) {
      a.entry_into_force = eif;
      matched = true;
    }
  }
  if (!matched && !states.empty()) {
    if (treaties.empty() && !item_treaties_.empty()) treaties.push_back(item_treaties_.back());
    for (const auto& state : states) {
      for (const auto& treaty : treaties) {
        Action a;
        a.state = state;
        a.treaty = treaty;
        a.action = "entry_into_force";
        a.date = eif;
        a.entry_into_force = eif;
        a.span = std::string(s);
        a.line = line;
        a.item = item_;
        AddAction(std::move(a));
      }
    }
  }
  return true;
}

void TreatyProse::FigureSentence(std::string_view s, int line) {
  static const std::regex kEither(
      R"((\d+) States are now either Parties \((\d+)\),? have signed it \((\d+)\),? or been invited to accede \((\d+)\))",
      kFlags);
  static const std::regex kParties(
      R"((\d+) (?:States|countries|États) (?:are|have) (?:now )?(?:become )?Parties|(\d+) États sont (?:désormais|maintenant) Parties)",
      kFlags);
  static const std::regex kSignatories(R"(one of the (\d+) States signator(?:y|ies))", kFlags);
  std::match_results<std::string_view::const_iterator> m;
  std::vector<std::string> treaties = TreatiesOr(s, 0);
  if (treaties.empty() && !item_treaties_.empty()) treaties.push_back(item_treaties_.back());
  if (treaties.empty()) return;
  auto add = [&](const std::string& measure, const std::string& count) {
    const auto n = LeadingCount(count);
    if (!n) return;  // not a count a person wrote
    Figure f;
    f.treaty = treaties.front();
    f.measure = measure;
    f.count = *n;
    f.as_of = item_date_;
    f.span = std::string(s);
    f.line = line;
    figures_.push_back(std::move(f));
  };
  if (std::regex_search(s.begin(), s.end(), m, kEither)) {
    add("total", m[1].str());
    add("parties", m[2].str());
    add("signatories", m[3].str());
    add("invited", m[4].str());
  } else if (std::regex_search(s.begin(), s.end(), m, kParties)) {
    add("parties", m[1].matched ? m[1].str() : m[2].str());
  }
  if (std::regex_search(s.begin(), s.end(), m, kSignatories)) add("signatories", m[1].str());
}

void TreatyProse::AddAction(Action a) { actions_.push_back(std::move(a)); }

std::vector<Record> TreatyProse::Records() const {
  // One action per state, treaty and kind: the most precisely dated
  // statement, with the entry into force any statement gives.
  std::vector<Action> merged;
  for (const Action& a : actions_) {
    auto same = std::find_if(merged.begin(), merged.end(), [&](const Action& b) {
      if (b.state != a.state || b.treaty != a.treaty || b.action != a.action) return false;
      // Two different exact days are two statements (a disagreement to report, not to merge).
      return !(Rank(a.date) == 3 && Rank(b.date) == 3 && !(*a.date == *b.date));
    });
    if (same == merged.end()) {
      merged.push_back(a);
      continue;
    }
    if (Rank(a.date) > Rank(same->date)) {
      same->date = a.date;
      same->reported.reset();
      same->span = a.span;
      same->line = std::min(same->line, a.line);
    }
    if (!same->entry_into_force) same->entry_into_force = a.entry_into_force;
    if (!same->date && !same->reported) same->reported = a.reported;
  }
  std::vector<Record> out;
  for (const Action& a : merged) {
    Record r;
    r.kind = "treaty_action";
    r.line = a.line;
    r.fields = json::object({{"state", a.state},
                             {"treaty", a.treaty},
                             {"action", a.action},
                             {"date", IsoOrNull(a.date)},
                             {"entry_into_force", IsoOrNull(a.entry_into_force)},
                             {"reported", IsoOrNull(a.reported)},
                             {"span", a.span}});
    out.push_back(std::move(r));
  }
  for (const Figure& f : figures_) {
    Record r;
    r.kind = "treaty_figure";
    r.line = f.line;
    r.fields = json::object({{"treaty", f.treaty},
                             {"measure", f.measure},
                             {"count", f.count},
                             {"at_least", f.at_least},
                             {"as_of", IsoOrNull(f.as_of)},
                             {"span", f.span}});
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.line < b.line; });
  return out;
}

}  // namespace octopus::ingest::internal
