#include "ingest/internal/treaty_prose.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "ingest/internal/action_wording.h"
#include "ingest/internal/pattern.h"
#include "ingest/internal/shapes.h"
#include "ingest/internal/subset_counts.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

constexpr size_t kMaxSentence = 4000;  // longer runs are not sentences a person wrote

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

// A count as the programme writes it: digits ("76", "2 777") or a number word
// ("two", "Nine", "eighteen", "forty-four"); nullopt for anything else.
std::optional<int> CountValue(std::string_view w) {
  if (auto n = LeadingCount(w); n && static_cast<size_t>(std::to_string(*n).size()) == w.size()) return n;
  static constexpr std::string_view kUnits[] = {"zero",    "one",     "two",       "three",    "four",
                                                "five",    "six",     "seven",     "eight",    "nine",
                                                "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                                "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static constexpr std::string_view kTens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
  const std::string f = text::ToLowerAscii(w);
  for (size_t i = 0; i < std::size(kUnits); ++i) {
    if (f == kUnits[i]) return static_cast<int>(i);
  }
  for (size_t t = 0; t < std::size(kTens); ++t) {
    if (f == kTens[t]) return static_cast<int>(20 + 10 * t);
    if (f.size() > kTens[t].size() + 1 && f.compare(0, kTens[t].size(), kTens[t]) == 0 && f[kTens[t].size()] == '-') {
      const std::string unit = f.substr(kTens[t].size() + 1);
      for (size_t i = 1; i < 10; ++i) {
        if (unit == kUnits[i]) return static_cast<int>(20 + 10 * t + i);
      }
    }
  }
  return std::nullopt;
}

// The word pattern a count is written with (digits or a number word), for the figure patterns.
constexpr std::string_view kCount = R"(\d{1,3}|[a-z]+(?:-[a-z]+)?)";

// The words between two States of one list: "Benin, Fiji and Kiribati", "Chile and the Philippines".
bool IsListGap(std::string_view gap) {
  const std::string g = text::FoldKey(gap);
  return g.empty() || g == "and" || g == "the" || g == "and the" || g == "as well as" || g == "et" || g == "et le" ||
         g == "et la" || g == "et l" || g == "le" || g == "la" || g == "l";
}

// The verbs of a treaty action, English and French ("has ratified", "were
// invited to accede", "became the 76th State to join", "a adhéré", "a récemment adhéré").
const Pattern& VerbRegex() {
  static const Pattern kVerb(
      R"(\b(?:has |have )?(deposited|deposits|conveyed|conveys|ratified|ratifies|signed|signs|acceded(?: to)?|accedes to|denounced|(?:was |were |is |are |been )?invited(?: by [^.;]{1,80}?| today| also| formally| officially| recently)? to (?:accede|join)|(?:became|becomes|has become|is|was) (?:the )?(\w+) (?:state|country|party) to (ratify|sign|accede|join)|(?:a|ont) (?:récemment |également |officiellement |formellement |aussi |déjà |désormais )?(?:ratifié|signé|adhéré|déposé|dénoncé)|(?:a|ont) été invitée?s? à adhérer))");
  return kVerb;
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
    static const Pattern kInstrument(
        R"(instruments? (?:of|d'|de l'|de |d’)\s*(ratification|accession|acceptance|approval|adh))");
    Pattern::Match m;
    if (!kInstrument.Find(rest, &m)) return "";
    const std::string k = text::ToLowerAscii(m.str(1));
    if (k == "adh") return "accession";
    return k;
  }
  if (v.find("ratif") != std::string::npos) return "ratification";
  if (v.find("sign") != std::string::npos) return "signature";
  if (v.find("acced") != std::string::npos || v.find("adhere") != std::string::npos) return "accession";
  if (v.find("denonc") != std::string::npos) return "denunciation";
  if (v.find("denounc") != std::string::npos) return "denunciation";
  return "";
}

// Whether a clause ends in the passive auxiliary of the verb that follows it: "… was", "… has been",
// "… were formally", "… a été".
bool IsPassive(std::string_view before_verb) {
  std::string low = text::ToLowerAscii(before_verb);
  while (!low.empty() && low.back() == ' ') low.pop_back();
  // One adverb may stand between the auxiliary and the verb.
  for (std::string_view adverb : {" formally", " officially", " also", " today", " now", " recently"}) {
    if (low.ends_with(adverb)) {
      low.resize(low.size() - adverb.size());
      break;
    }
  }
  for (std::string_view aux : {" was", " were", " has been", " have been", " had been", " is", " are", " a été",
                               " ont été"}) {
    if (low.ends_with(aux)) return true;
  }
  return false;
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

void TreatyProse::BeginItem(std::optional<PartialDate> item_date, int year, bool own_date) {
  ++item_;
  item_first_action_ = actions_.size();
  item_own_date_ = own_date;
  last_dated_.reset();
  last_year_ = 0;
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
  // Most sentences state no treaty matter: cheap word tests spare them the patterns.
  const std::string low = text::ToLowerAscii(s);
  // Each set is searched for in one pass over the lowercased sentence.
  static const CueSet kTreatyWords = {"conven", "protoc", "ets", "stce", "xviii", "treat", "trait"};
  static const CueSet kInForce = {"into force", "vigueur"};
  static const CueSet kActs = {"deposit", "convey", "ratif", "sign",  "acced", "accession",
                               "denounc", "invit",  " to join", "adh", "dépos", "dénon"};
  static const CueSet kFigures = {"part", "sign", "invit", "member", "commit", "ratif"};
  const bool names_treaty = kTreatyWords.FoundIn(low) || s.find("UN") != std::string_view::npos;
  if (names_treaty) {
    for (const Mention& m : finder_.Treaties(s)) {
      if (std::find(item_treaties_.begin(), item_treaties_.end(), m.id) == item_treaties_.end()) {
        item_treaties_.push_back(m.id);
      }
    }
  }
  if (item_treaties_.empty()) return;  // no treaty named yet: no action or figure can be read
  if (kInForce.FoundIn(low) && EntryIntoForceSentence(s, line)) return;
  const bool acts = kActs.FoundIn(low);
  if (acts && !NominalSentence(s, line)) {
    // "A was invited … on 13 February 2018 and B deposited … on 28 March": each
    // verb with a subject of its own starts a clause of its own.
    std::vector<size_t> starts = {0};
    size_t prev_end = 0;
    ForEachMatch(VerbRegex(), s, [&](const Pattern::Match& it) {
      const size_t at = it.position(0);
      if (prev_end > 0 && at > prev_end) {
        std::vector<Mention> states = finder_.Countries(s.substr(prev_end, at - prev_end));
        if (!states.empty() && at - (prev_end + states.back().end) <= 40) {
          size_t keep = states.size() - 1;
          while (keep > 0 && IsListGap(s.substr(prev_end + states[keep - 1].end,
                                                states[keep].begin - states[keep - 1].end))) {
            --keep;
          }
          starts.push_back(prev_end + states[keep].begin);
        }
      }
      prev_end = at + it.length(0);
    });
    starts.push_back(s.size());
    for (size_t k = 0; k + 1 < starts.size(); ++k) {
      ActionSentence(s.substr(starts[k], starts[k + 1] - starts[k]), s, line, heading);
    }
  }
  if (kFigures.FoundIn(low)) FigureSentence(s, line);
}

std::vector<std::string> TreatyProse::TreatiesOr(std::string_view s, size_t from) const {
  std::vector<std::string> out;
  for (const Mention& m : finder_.Treaties(s)) {
    if (m.begin >= from && std::find(out.begin(), out.end(), m.id) == out.end()) out.push_back(m.id);
  }
  return out;
}

std::string TreatyProse::ImpliedTreaty(std::string_view s) const {
  if (item_treaties_.empty()) return "";
  const std::string folded = " " + text::FoldKey(s) + " ";
  const bool convention = folded.find(" convention ") != std::string::npos;
  const bool protocol = folded.find(" protocol ") != std::string::npos;
  if (convention != protocol) {
    for (auto it = item_treaties_.rbegin(); it != item_treaties_.rend(); ++it) {
      const domain::Treaty* t = finder_.catalog().Resolve(*it);
      if (t && (text::FoldKey(t->title).find("protocol") != std::string::npos) == protocol) return *it;
    }
  }
  return item_treaties_.back();
}

bool TreatyProse::ActionSentence(std::string_view s, std::string_view sentence, int line, bool heading) {
  Pattern::Match m;
  if (!VerbRegex().Find(s, &m)) return false;
  const size_t verb_at = m.position(0);
  const size_t after = m.end(0);
  std::string verb = m.str(1);
  int ordinal = 0;
  if (m.matched(2)) {
    ordinal = OrdinalValue(m.str(2));
    verb = m.str(3);
  }
  size_t clause = s.rfind(';', verb_at);
  clause = clause == std::string_view::npos ? 0 : clause + 1;
  const std::string_view before_verb = s.substr(clause, verb_at - clause);
  std::string action = text::FoldKey(verb) == "join" ? "join" : ActionOfVerb(verb, s.substr(after));
  // "The instrument of accession of Tonga … was deposited": the instrument named before the verb.
  if (action.empty() && IsPassive(before_verb)) action = ActionOfVerb(verb, before_verb);
  if (action.empty()) return false;

  // The states: named before the verb, in the same clause, close to it; in the
  // passive ("… was signed by Andorra and Fiji"), the agent after "by" once the
  // subject before the verb is the treaty or its instrument.
  std::vector<Mention> subject;
  size_t subject_at = clause;  // where the text `subject`'s offsets count from starts
  bool passive_agent = false;
  if (action != "invitation" && action != "join" && IsPassive(before_verb) && s.substr(after).starts_with(" by ") &&
      (!finder_.Treaties(before_verb).empty() || text::ToLowerAscii(before_verb).find("instrument") != std::string::npos)) {
    const size_t agent = after + 4;
    size_t agent_end = s.find_first_of(",;:(", agent);
    if (agent_end == std::string_view::npos) agent_end = s.size();
    for (std::string_view stop : {" on ", " in ", " at ", " to ", " for ", " with ", " le ", " en "}) {
      const size_t at = s.substr(0, agent_end).find(stop, agent);
      if (at != std::string_view::npos) agent_end = at;
    }
    std::vector<Mention> agents = finder_.Countries(s.substr(agent, agent_end - agent));
    if (!agents.empty() && agents.front().begin <= 4) {
      // The list that starts the agent phrase: "Andorra, Chile and Tonga".
      size_t keep = 1;
      while (keep < agents.size() &&
             IsListGap(s.substr(agent + agents[keep - 1].end, agents[keep].begin - agents[keep - 1].end))) {
        ++keep;
      }
      agents.resize(keep);
      subject = std::move(agents);
      subject_at = agent;
      passive_agent = true;
    }
  }
  if (!passive_agent) {
    subject = finder_.Countries(before_verb);
    if (subject.empty()) return false;
    const size_t last_end = clause + subject.back().end;
    if (verb_at - last_end > 40) return false;
    // "Benin, Fiji and Kiribati have acceded": the list of States that ends at the verb.
    size_t keep = subject.size() - 1;
    while (keep > 0 && IsListGap(s.substr(clause + subject[keep - 1].end,
                                          clause + subject[keep].begin - (clause + subject[keep - 1].end)))) {
      --keep;
    }
    subject.erase(subject.begin(), subject.begin() + static_cast<long>(keep));
  }
  const size_t subject_begin = passive_agent ? verb_at : subject_at + subject.front().begin;

  // In the passive the treaty is the subject, before the verb.
  std::vector<std::string> treaties = TreatiesOr(s, IsPassive(before_verb) ? clause : after);
  if (treaties.empty()) {
    if (item_treaties_.empty()) return false;
    treaties.push_back(ImpliedTreaty(s));
  }

  // The date: after the verb, else before the subject ("On 16 July 2009, Romania …").
  // A year-less date takes the year of the item (or document); without one,
  // the year of a full date stated earlier in the item ("… on 13 February 2018
  // and the Philippines deposited … on 28 March").
  const int year = year_ != 0 ? year_ : last_year_;
  std::vector<FoundDate> dates = DatesIn(s.substr(after), year);
  if (dates.empty()) dates = DatesIn(s.substr(0, subject_begin), year);
  std::vector<std::optional<PartialDate>> per_state(subject.size());
  bool year_from_context = false;
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
    year_from_context = per_state.front().has_value() && !d.year_given;
  }
  // "today" in the clause, not in a date it quotes ("today's meeting" is no act's date either).
  const std::string clause_low = text::ToLowerAscii(s);
  const bool says_today = dates.empty() && (clause_low.find(" today") != std::string::npos ||
                                            clause_low.find("aujourd'hui") != std::string::npos ||
                                            clause_low.find("aujourd\u2019hui") != std::string::npos) &&
                          clause_low.find("today's") == std::string::npos;
  if (action != "join") {
    for (size_t i = 0; i < subject.size(); ++i) {
      for (const std::string& treaty : treaties) {
        Action a;
        a.state = subject[i].id;
        a.treaty = treaty;
        a.action = action;
        a.date = per_state[i];
        if (a.date && year_from_context) {
          a.date_basis = year_ != 0 ? "year from the document's date" : "year from an earlier date of the item";
        }
        if (!a.date && says_today && item_own_date_ && item_date_ && item_date_->day != 0) {
          // "Benin deposited today …" in an item dated 20 November 2024: that day.
          a.date = item_date_;
          a.date_basis = "\"today\" in an item of that date";
        }
        if (!a.date) {
          a.reported = item_date_;
          a.reported_by_item = item_own_date_;
        }
        (void)heading;
        a.span = std::string(sentence);
        a.clause = std::string(s);
        a.line = line;
        a.item = item_;
        AddAction(std::move(a));
      }
    }
  }
  if (per_state.front()) last_dated_ = per_state.front();
  if (!dates.empty() && dates.front().phrase.year_given && dates.front().phrase.start) {
    last_year_ = dates.front().phrase.start->year;
  }
  // "… became the 76th State to ratify / sign / accede / join": a count of the
  // treaty's ratifications, signatures, accessions or Parties.
  if (ordinal > 0 && (action == "ratification" || action == "join" || action == "signature" || action == "accession")) {
    const char* measure = action == "join"        ? "parties"
                          : action == "signature" ? "signed"
                          : action == "accession" ? "acceded"
                                                  : "ratified";
    for (const std::string& treaty : treaties) {
      Figure f;
      f.treaty = treaty;
      f.measure = measure;
      f.count = ordinal;
      f.as_of = per_state.front() ? per_state.front() : item_date_;
      f.by_item = per_state.front().has_value() || item_own_date_;
      f.span = std::string(sentence);
      f.line = line;
      figures_.push_back(std::move(f));
    }
  }
  return true;
}

bool TreatyProse::NominalSentence(std::string_view s, int line) {
  // "To welcome ratification or accession to the Convention (ETS 185) since the last
  // plenary by Andorra, Chile and Tonga, and the signature of both instruments by San
  // Marino": the acts a body welcomes or notes, named as nouns, their States after "by".
  static const Pattern kWelcome(R"(\b(?:welcom(?:e|es|ed|ing)|congratulat\w*|salu(?:e|er|é)))");
  static const Pattern kNoun(
      R"(\b(ratifications? or accessions?|accessions? or ratifications?|ratifications?|accessions?|signatures?)(?: (?:of|to)\b))");
  // A search from an offset reads the text from there on as a text of its own (its first
  // character starts a word), as the search over a sub-range did.
  auto find_noun = [&](size_t at, Pattern::Match* m) { return kNoun.Find(s.substr(at), m); };
  // The welcoming words spelled out: a sentence without one is spared the patterns.
  const std::string low = text::ToLowerAscii(s);
  if (low.find("welcom") == std::string::npos && low.find("congratulat") == std::string::npos &&
      low.find("salu") == std::string::npos) {
    return false;
  }
  Pattern::Match w;
  if (!kWelcome.Find(s, &w)) return false;
  bool any = false;
  size_t from = w.end(0);
  const size_t welcome_end = from;
  std::vector<std::string> named;  // the treaties the sentence names so far
  while (from < s.size()) {
    Pattern::Match m;
    if (!find_noun(from, &m)) break;
    const size_t noun_at = from + m.position(0);
    const size_t noun_end = noun_at + m.length(0);
    const std::string noun = text::FoldKey(m.view(1));
    std::string action;
    if (noun.find(" or ") != std::string::npos) {
      action = "ratification_or_accession";
    } else if (noun.rfind("ratification", 0) == 0) {
      action = "ratification";
    } else if (noun.rfind("accession", 0) == 0) {
      action = "accession";
    } else {
      action = "signature";
    }
    // The States: after the next " by ", before the next act.
    const size_t by = s.find(" by ", noun_end);
    Pattern::Match next;
    const size_t next_at = find_noun(noun_end, &next) ? noun_end + next.position(0) : s.size();
    // Where the treaties are named, and where the States are listed: "ratification of the
    // Convention by Andorra and Chile", or "the accession of Cameroon and Sierra Leone to the
    // Convention".
    std::string_view treaty_text, tail;
    const bool of = text::FoldKey(m.view(0)).ends_with(" of");
    const size_t to_at = s.find(" to ", noun_end);
    if (by != std::string_view::npos && by <= next_at && by - noun_end <= 250) {
      treaty_text = s.substr(noun_end, by - noun_end);
      tail = s.substr(by + 4, next_at > by + 4 ? next_at - by - 4 : 0);
    } else if (of && to_at != std::string_view::npos && to_at < next_at && to_at - noun_end <= 250) {
      tail = s.substr(noun_end, to_at - noun_end);
      treaty_text = s.substr(to_at, next_at - to_at);
    } else {
      from = noun_end;
      continue;
    }
    std::vector<std::string> treaties;
    for (const Mention& t : finder_.Treaties(treaty_text)) {
      if (std::find(treaties.begin(), treaties.end(), t.id) == treaties.end()) treaties.push_back(t.id);
    }
    const std::string between = text::FoldKey(treaty_text);
    if (treaties.empty() && (between.find("both instruments") != std::string::npos || between == "both")) {
      // "both instruments": the two treaties the item named last. When it named
      // one only, that one is certainly among them and the other stays unknown.
      std::vector<std::string> known = named;
      for (const std::string& t : item_treaties_) {
        if (std::find(known.begin(), known.end(), t) == known.end()) known.push_back(t);
      }
      if (known.size() <= 2) treaties = known;
    } else if (treaties.empty() && !item_treaties_.empty()) {
      treaties.push_back(ImpliedTreaty(treaty_text));
    }
    for (const std::string& t : treaties) {
      if (std::find(named.begin(), named.end(), t) == named.end()) named.push_back(t);
    }
    // The words that state this act: its qualifiers ("recent …"), its noun, its treaty and States.
    const size_t lead = ModifierStart(s, noun_at, welcome_end);
    const std::string_view clause = s.substr(lead, next_at - lead);
    // The list of States: "Andorra, Chile, Greece and Tonga".
    std::vector<Mention> states = finder_.Countries(tail);
    size_t keep = 0;
    if (!states.empty() && IsListGap(tail.substr(0, states.front().begin))) {
      keep = 1;
      while (keep < states.size() &&
             IsListGap(tail.substr(states[keep - 1].end, states[keep].begin - states[keep - 1].end))) {
        ++keep;
      }
    }
    for (size_t i = 0; i < keep; ++i) {
      for (const std::string& treaty : treaties) {
        Action a;
        a.state = states[i].id;
        a.treaty = treaty;
        a.action = action;
        a.reported = item_date_;
        a.reported_by_item = item_own_date_;
        a.span = std::string(s);
        a.clause = std::string(clause);
        a.line = line;
        a.item = item_;
        AddAction(std::move(a));
        any = true;
      }
    }
    from = noun_end;
  }
  return any;
}

bool TreatyProse::EntryIntoForceSentence(std::string_view s, int line) {
  static const Pattern kEif(R"(\b(?:enter|enters|entered|entry) into force|entrera en vigueur|entre en vigueur)");
  Pattern::Match m;
  if (!kEif.Find(s, &m)) return false;
  const size_t after = m.end(0);
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
  // Unnamed, the treaty is still a convention or a protocol: "The Convention will enter into
  // force for Ghana" says nothing of the Protocol Ghana joined the same day.
  const std::string folded = " " + text::FoldKey(s.substr(0, m.position(0))) + " ";
  const bool says_convention = folded.find(" convention ") != std::string::npos;
  const bool says_protocol = folded.find(" protocol ") != std::string::npos;
  auto kind_ok = [&](const std::string& ref) {
    if (!treaties.empty() || says_convention == says_protocol) return true;
    const domain::Treaty* t = finder_.catalog().Resolve(ref);
    if (!t) return true;
    const bool protocol = text::FoldKey(t->title).find("protocol") != std::string::npos;
    return protocol == says_protocol;
  };
  bool matched = false;
  // Actions are appended in item order: the current item's are the tail from its first.
  for (size_t k = item_first_action_; k < actions_.size(); ++k) {
    Action& a = actions_[k];
    if (a.item != item_ || a.action == "entry_into_force" || a.action == "signature" || a.action == "invitation") {
      continue;
    }
    const bool state_ok = states.empty() || std::find(states.begin(), states.end(), a.state) != states.end();
    const bool treaty_ok =
        (treaties.empty() && kind_ok(a.treaty)) || std::find(treaties.begin(), treaties.end(), a.treaty) != treaties.end();
    if (state_ok && treaty_ok) {
      a.entry_into_force = eif;
      matched = true;
    }
  }
  if (!matched && !states.empty()) {
    if (treaties.empty() && !item_treaties_.empty()) treaties.push_back(ImpliedTreaty(s));
    for (const auto& state : states) {
      for (const auto& treaty : treaties) {
        Action a;
        a.state = state;
        a.treaty = treaty;
        a.action = "entry_into_force";
        a.date = eif;
        a.entry_into_force = eif;
        a.span = std::string(s);
        a.clause = std::string(s);
        a.line = line;
        a.item = item_;
        AddAction(std::move(a));
      }
    }
  }
  return true;
}

void TreatyProse::FigureSentence(std::string_view s, int line) {
  std::vector<std::string> treaties = TreatiesOr(s, 0);
  if (treaties.empty() && !item_treaties_.empty()) treaties.push_back(ImpliedTreaty(s));
  if (treaties.empty()) return;
  // "Now" in an item is its date; an item without one is as of the action it reports.
  std::optional<PartialDate> as_of = item_date_;
  std::string as_of_basis;
  if (!as_of && last_dated_) {
    as_of = last_dated_;
    as_of_basis = "the date of the action the item reports";
  }
  std::vector<std::pair<size_t, std::string>> taken;  // where each count was read, and its measure
  auto add = [&](const std::string& measure, size_t at, const std::string& count) {
    const auto n = CountValue(count);
    if (!n) return;  // not a count a person wrote
    for (const auto& t : taken) {
      if (t.first == at) return;  // one count, one figure
    }
    taken.push_back({at, measure});
    Figure f;
    f.treaty = treaties.front();
    f.measure = measure;
    f.count = *n;
    f.as_of = as_of;
    f.as_of_basis = as_of_basis;
    f.by_item = item_own_date_;
    f.span = std::string(s);
    f.line = line;
    figures_.push_back(std::move(f));
  };
  // Each pattern spells a word of its own: a sentence without it is spared the pattern.
  const std::string low = text::ToLowerAscii(s);
  static const Pattern kEither(
      R"((\d+) States are now either Parties \((\d+)\),? have signed it \((\d+)\),? or been invited to accede \((\d+)\))");
  Pattern::Match m;
  if (low.find("either parties") != std::string::npos && kEither.Find(s, &m)) {
    add("total", m.position(1), m.str(1));
    add("parties", m.position(2), m.str(2));
    add("signatories", m.position(3), m.str(3));
    add("invited", m.position(4), m.str(4));
    return;
  }
  // "It becomes the 77th Party": the Party the item's action made is the Nth, as of that action.
  static const Pattern kNthParty(
      R"(\b(?:becomes|became|has become|is now|is) the (\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) (?:State )?Party\b)");
  if (low.find("party") != std::string::npos && kNthParty.Find(s, &m)) {
    Figure f;
    f.treaty = treaties.front();
    f.measure = "parties";
    f.count = OrdinalValue(m.view(1));
    f.as_of = last_dated_ ? last_dated_ : as_of;
    f.as_of_basis = last_dated_ ? "the date of the action the item reports" : as_of_basis;
    f.by_item = last_dated_.has_value() || item_own_date_;
    f.span = std::string(s);
    f.line = line;
    taken.push_back({m.position(1), f.measure});
    figures_.push_back(std::move(f));
  }
  // Each pattern: a count (group 1) and the measure it gives. The counts are
  // digits or number words; a word that is no number is skipped by `add`.
  struct FigurePattern {
    Pattern re;
    const char* measure;
    std::string_view word;  ///< lower case, in every text the pattern matches
  };
  const std::string c = R"(\b()" + std::string(kCount) + ")";
  static const std::vector<FigurePattern> kPatterns = [&] {
    std::vector<FigurePattern> p;
    auto re = [](const std::string& r) { return Pattern(r); };
    p.push_back({re(c + R"( (?:countries|States) have signed, ratified or (?:been invited to accede|acceded))"),
                 "signed_ratified_or_invited", "signed, ratified or "});
    p.push_back({re(c + R"( (?:(?:more|other|member) )?(?:States |countries |États )?(?:are|have|is) (?:now |already )?(?:become )?(?:State )?Parties)"),
                 "parties", "parties"});
    p.push_back({re(R"(\bthere (?:are|were) (?:now |already )?)" + c + R"( (?:State |States )?Parties)"), "parties", "parties"});
    p.push_back({re(R"(\b(?:now )?(?:has|had) )" + c + R"( (?:State )?Parties)"), "parties", "parties"});
    p.push_back({re(R"(\bratified by )" + c + R"( (?:countries|States))"), "parties", "ratified by "});
    // "…, bringing the number of Parties to 62", "the number of States Parties now stands at 62".
    p.push_back({re(R"(\bnumber of (?:States? )?Parties(?: to (?:the|this) (?:Convention|Protocol|treaty))? (?:to|(?:now )?(?:stands at|reaches|reached|is)) )" + c + R"(\b)"),
                 "parties", "number of "});
    p.push_back({re(c + R"( États (?:sont|sont désormais|sont maintenant|sont aujourd'hui) Parties)"), "parties", "parties"});
    // "La Convention compte désormais 77 Parties".
    p.push_back({re(R"(\bcompte (?:désormais |maintenant |aujourd'hui |à présent )?)" + c + R"( (?:États )?Parties)"),
                 "parties", "compte "});
    // The end of the clause is matched, not looked ahead at: the next count cannot start in
    // " and ", ", but " or ", while " (none is a number), so no figure is skipped.
    p.push_back({re(c + R"( (?:(?:other |more )?(?:States|countries) )?(?:have|has) signed(?: it)?(?:$|[.;]| and | but |, and |, but |, while ))"),
                 "signatories", "signed"});
    p.push_back({re(R"(\bsigned by )" + c + R"( (?:others|other States|other countries|countries|States))"), "signatories", "signed by "});
    p.push_back({re(R"(one of the )" + c + R"( States signator(?:y|ies))"), "signatories", "signator"});
    p.push_back({re(c + R"( (?:(?:other |more )?(?:States|countries)(?: including [^.;]{1,120}?)? )?(?:have|has) been (?:recently |formally )?invited to (?:accede|join))"),
                 "invited", "invited to "});
    p.push_back({re(c + R"( (?:States|countries) (?:are|were) (?:now )?members (?:\(Parties\) )?or observers)"),
                 "tcy_members_and_observers", "members "});
    p.push_back({re(c + R"( (?:more |other )?(?:States|countries) (?:that are |who are )?committed to)"), "committed", "committed to"});
    return p;
  }();
  // "46 out of 47 member States … have signed or ratified": a count of a whole, both kept.
  for (const SubsetCount& sc : SubsetCountsIn(s)) {
    const auto n = CountValue(sc.count);
    const auto whole = CountValue(sc.whole);
    if (!n || !whole || *n > *whole) continue;
    const size_t before = figures_.size();
    add(sc.measure, sc.at, sc.count);
    if (figures_.size() == before) continue;
    figures_.back().of = *whole;
    figures_.back().of_what = sc.of_what;
  }
  for (const FigurePattern& p : kPatterns) {
    if (low.find(p.word) == std::string::npos) continue;
    ForEachMatch(p.re, s, [&](const Pattern::Match& it) { add(p.measure, it.position(1), it.str(1)); });
  }
}

void TreatyProse::AddAction(Action a) { actions_.push_back(std::move(a)); }

std::vector<Record> TreatyProse::Records() const {
  // One action per state, treaty and kind: the most precisely dated
  // statement, with the entry into force any statement gives. The merged
  // actions are indexed by state, treaty and kind, so that each action is
  // compared with its own kind only (not with every action of a long document).
  std::vector<Action> merged;
  std::unordered_map<std::string, std::vector<size_t>> by_key;
  for (const Action& a : actions_) {
    std::vector<size_t>& same_key = by_key[a.state + '\x1f' + a.treaty + '\x1f' + a.action];
    // Two different exact days are two statements (a disagreement to report, not to merge).
    const auto found = std::find_if(same_key.begin(), same_key.end(), [&](size_t k) {
      const Action& b = merged[k];
      return !(Rank(a.date) == 3 && Rank(b.date) == 3 && !(*a.date == *b.date));
    });
    if (found == same_key.end()) {
      same_key.push_back(merged.size());
      merged.push_back(a);
      continue;
    }
    Action* same = &merged[*found];
    if (Rank(a.date) > Rank(same->date)) {
      same->date = a.date;
      same->reported.reset();
      same->span = a.span;
      same->clause = a.clause;
      same->line = std::min(same->line, a.line);
    }
    if (!same->entry_into_force) same->entry_into_force = a.entry_into_force;
    // Reported by an item of its own date rather than by the document's date.
    if (!same->date && a.reported && (!same->reported || (a.reported_by_item && !same->reported_by_item))) {
      same->reported = a.reported;
      same->reported_by_item = a.reported_by_item;
    }
  }
  std::vector<Record> out;
  for (const Action& a : merged) {
    Record r;
    r.kind = "treaty_action";
    r.line = a.line;
    // The action as its clause states it; the registry code beside it.
    const ActionWording wording = WordAction(a.action, a.clause.empty() ? a.span : a.clause);
    r.fields = json::object({{"state", a.state},
                             {"treaty", a.treaty},
                             {"action", wording.action},
                             {"action_code", a.action},
                             {"date", IsoOrNull(a.date)},
                             {"entry_into_force", IsoOrNull(a.entry_into_force)},
                             {"reported", IsoOrNull(a.reported)},
                             {"span", a.span}});
    if (!a.date_basis.empty()) r.fields["date_basis"] = a.date_basis;
    if (!wording.qualifiers.empty()) r.fields["qualifiers"] = wording.qualifiers;
    if (!wording.since.empty()) r.fields["since"] = wording.since;
    out.push_back(std::move(r));
  }
  std::unordered_set<std::string> item_counts;  // treaty, measure and count of each item's figure
  auto count_key = [](const Figure& f) { return f.treaty + '\x1f' + f.measure + '\x1f' + std::to_string(f.count); };
  for (const Figure& g : figures_) {
    if (g.by_item) item_counts.insert(count_key(g));
  }
  for (const Figure& f : figures_) {
    // A count the document's context states again after an item stated it is the item's figure.
    if (!f.by_item && item_counts.contains(count_key(f))) continue;
    Record r;
    r.kind = "treaty_figure";
    r.line = f.line;
    r.fields = json::object({{"treaty", f.treaty},
                             {"measure", f.measure},
                             {"count", f.count},
                             {"at_least", f.at_least},
                             {"as_of", IsoOrNull(f.as_of)},
                             {"span", f.span}});
    if (!f.as_of_basis.empty()) r.fields["as_of_basis"] = f.as_of_basis;
    if (f.of > 0) {
      r.fields["of"] = f.of;
      r.fields["of_what"] = f.of_what;
    }
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.line < b.line; });
  return out;
}

}  // namespace octopus::ingest::internal
