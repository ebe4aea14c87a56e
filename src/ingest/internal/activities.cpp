/// Dated events in prose. A sentence names an event by a noun phrase around an
/// event word ("the 2nd meeting of the Steering Committee", "the Regional
/// Cybercrime Conference", "la Conférence de clôture du projet GLACY") and
/// ties a date to it in the same sentence ("will be held … on 1 December
/// 2014", "took place … between 21 and 23 March"). "The workshop was held on
/// 16 February 2022" names the item's own event: the phrase takes the item's title.

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

#include "core/text.h"
#include "ingest/internal/phrase_words.h"
#include "ingest/internal/recognisers.h"
#include "ingest/internal/statements.h"
#include "ingest/internal/treaty_prose.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

struct Word {
  size_t begin = 0, end = 0;  // the core word, without surrounding punctuation
  std::string folded;
  bool opens = false;   // "(" or a quote before the word
  bool closes = false;  // , ; : . ) or a quote after the word
  bool possessive = false;
  bool capital = false;
};

// UTF-8 quotes and apostrophes, by their length at `i` (0 when none).
size_t QuoteAt(std::string_view s, size_t i) {
  if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) return 0;  // each quote starts with a byte >= 0x80
  for (std::string_view q : {"\u201c", "\u201d", "\u2018", "\u00ab", "\u00bb"}) {
    if (s.substr(i, q.size()) == q) return q.size();
  }
  return 0;
}

// FoldKey of a word: one of ASCII bytes folded here (its letters and digits lowercased, each run
// of other bytes one space between them), any other by FoldKey.
std::string FoldWord(std::string_view core) {
  if (!std::all_of(core.begin(), core.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return text::FoldKey(core);
  }
  std::string out;
  out.reserve(core.size());
  bool pending_space = false;
  for (const char c : core) {
    const bool lower = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (lower || (c >= 'A' && c <= 'Z')) {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      out.push_back(lower ? c : static_cast<char>(c - 'A' + 'a'));
    } else {
      pending_space = true;
    }
  }
  return out;
}

std::vector<Word> Words(std::string_view s) {
  std::vector<Word> out;
  out.reserve(s.size() / 5 + 4);  // most words are shorter than five bytes and a space
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    Word w;
    size_t b = i, e = j;
    while (b < e) {
      if (IsPhrasePunct(s[b])) {
        w.opens = w.opens || s[b] == '(' || s[b] == '"';
        ++b;
      } else if (const size_t q = QuoteAt(s, b); q != 0) {
        w.opens = true;
        b += q;
      } else {
        break;
      }
    }
    while (e > b) {
      if (IsPhrasePunct(s[e - 1])) {
        w.closes = true;
        --e;
      } else if (e - b >= 3 && QuoteAt(s, e - 3) == 3) {
        w.closes = true;
        e -= 3;
      } else {
        break;
      }
    }
    std::string_view core = s.substr(b, e - b);
    if (core.size() > 2 && (text::StartsWith(core.substr(core.size() - 2), "'s"))) {
      w.possessive = true;
    } else if (core.size() > 4 && core.substr(core.size() - 4) == "\u2019s") {
      w.possessive = true;
    }
    w.begin = b;
    w.end = e;
    w.folded = FoldWord(core);
    const unsigned char c0 = core.empty() ? 0 : static_cast<unsigned char>(core[0]);
    w.capital = (c0 >= 'A' && c0 <= 'Z') || (c0 >= 0xC3 && c0 <= 0xC3 && core.size() > 1 &&
                                              static_cast<unsigned char>(core[1]) >= 0x80 &&
                                              static_cast<unsigned char>(core[1]) <= 0x9E);
    if (e > b) out.push_back(std::move(w));
    i = j;
  }
  return out;
}

bool In(std::string_view w, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

bool StopsRight(const std::string& f);
bool IsFunctionWord(const std::string& f);

// Only these words head an event (IsEventHead's other tests only take heads away): any other is none.
constexpr std::string_view kEventHeads[] = {
    "conference", "workshop", "seminar", "meeting",  "training",  "course",    "visit",        "webinar",
    "exercise",   "plenary",  "forum",   "roundtable", "summit", "hackathon", "mission",      "consultation",
    "symposium",  "event",    "atelier", "seminaire", "reunion", "visite",    "webinaire",    "exercice",
    "colloque"};
// Words that head an event after one word only: {word before, head}.
constexpr std::pair<std::string_view, std::string_view> kQualifiedEventHeads[] = {
    {"steering", "committee"},  // "the first Steering Committee of GLACY-e": the committee's meeting
    {"desk", "study"},          // "a desk study of the draft law": a piece of work the programme delivers
};

// False when no word of `s` can head an event: no head word (of kEventHeads or
// kQualifiedEventHeads) is in its folded text. Each word's FoldKey is a piece of the text's FoldKey, so a
// text without them has no head. ASCII text folds to its letters lowercased, spaces elsewhere:
// it is searched lowercased as it is, without folding.
bool MayNameEvent(std::string_view s) {
  thread_local std::string buffer;
  const bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    buffer.assign(s);
    for (char& c : buffer) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  } else {
    buffer = text::FoldKey(s);
  }
  // kEventHeads and the heads of kQualifiedEventHeads.
  static const CueSet kHeads = [] {
    static_assert(std::size(kEventHeads) == 25 && std::size(kQualifiedEventHeads) == 2);
    return CueSet{kEventHeads[0],  kEventHeads[1],  kEventHeads[2],  kEventHeads[3],  kEventHeads[4],
                  kEventHeads[5],  kEventHeads[6],  kEventHeads[7],  kEventHeads[8],  kEventHeads[9],
                  kEventHeads[10], kEventHeads[11], kEventHeads[12], kEventHeads[13], kEventHeads[14],
                  kEventHeads[15], kEventHeads[16], kEventHeads[17], kEventHeads[18], kEventHeads[19],
                  kEventHeads[20], kEventHeads[21], kEventHeads[22], kEventHeads[23], kEventHeads[24],
                  kQualifiedEventHeads[0].second, kQualifiedEventHeads[1].second};
  }();
  return kHeads.FoundIn(buffer);
}

// The words that head a phrase naming an event; not one that qualifies the next
// noun ("training institutions", "workshop participants").
bool IsEventHead(const std::vector<Word>& w, size_t k) {
  const std::string& f = w[k].folded;
  const bool head = std::find(std::begin(kEventHeads), std::end(kEventHeads), f) != std::end(kEventHeads) ||
                    std::any_of(std::begin(kQualifiedEventHeads), std::end(kQualifiedEventHeads), [&](const auto& q) {
                      return f == q.second && k > 0 && w[k - 1].folded == q.first;
                    });
  if (!head) return false;
  static const std::string kNone;
  const std::string& next_word = k + 1 < w.size() ? w[k + 1].folded : kNone;
  // "Training Institute", "training materials": the word names what it qualifies.
  if (In(next_word, {"institute", "institutes", "institution", "institutions", "centre", "center", "centres",
                     "materials", "material", "manual", "manuals", "strategy", "strategies", "platform", "modules",
                     "module", "curricula", "curriculum", "programme", "programmes", "series", "participants",
                     "report", "reports", "room", "venue"}) &&
      !w[k].closes) {
    return false;
  }
  // "training" alone is most often a field of work: only "Training on …", "training course …" name one.
  if (f == "training" && !w[k].capital && !In(next_word, {"on", "for", "of", "course", "session", "workshop"})) {
    return false;
  }
  if (k + 1 < w.size() && !w[k].closes && !w[k + 1].opens && !w[k + 1].capital) {
    const std::string& next = w[k + 1].folded;
    const bool number = !next.empty() && next[0] >= '0' && next[0] <= '9';
    if (!number && !StopsRight(next) && !IsFunctionWord(next) && next.find(' ') == std::string::npos &&
        !In(next, {"de", "du", "des", "sur", "pour", "et", "organised", "organized", "co"})) {
      // French puts the adjective after the noun ("Conférence régionale"): only English heads qualify.
      const bool french = In(f, {"atelier", "seminaire", "reunion", "visite", "webinaire", "exercice", "colloque"}) ||
                          (k > 0 && In(w[k - 1].folded, {"la", "le", "l", "une", "un"}));
      if (!french) return false;
    }
  }
  return true;
}

bool StopsLeft(const std::string& f) {
  return In(f, {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "la", "le",
                "les", "l", "une", "un", "du", "des", "de", "d", "cette", "ce", "sa", "son", "ses", "of", "on", "in",
                "at", "for", "to", "by", "with", "from", "during", "into", "about", "after", "before", "following",
                "under", "within", "through", "via", "between", "lors", "pour", "par", "dans", "sur", "avec", "au",
                "aux", "a", "en", "and", "or", "but", "while", "as", "et", "ou", "was", "were", "is", "are", "be",
                "been", "being", "will", "would", "has", "have", "had", "took", "organised", "organized", "held",
                "hosted", "launched", "opened", "attended", "joined", "supported", "conducted",
                "delivered", "marked", "started", "began", "concluded", "completed", "met", "including", "such",
                "discussed", "also", "all", "other", "which", "who"});
}

bool StopsRight(const std::string& f) {
  return In(f, {"was", "were", "is", "are", "be", "will", "would", "has", "have", "had", "took", "takes", "take",
                "started", "began", "begins", "starts", "concluded", "aims", "aimed", "aiming", "focused", "focuses",
                "gathered", "brought", "marked", "discussed", "which", "that", "who", "where", "when", "in", "at",
                "from", "between", "during", "with", "as", "organised", "organized", "held", "hosted", "a",
                "le", "aura", "sera", "est", "s", "s est", "se", "sont", "ont", "it", "they", "to", "under", "through", "via", "within",
                "took", "can", "could", "may", "should", "must", "has", "provided", "en", "dans", "lors", "pour"});
}

bool IsFunctionWord(const std::string& f) {
  return In(f, {"of", "on", "for", "and", "the", "into", "against", "to", "de", "du", "des", "la", "le", "les", "et",
                "sur", "pour", "d", "l", "a", "an", "in", "by", "with"});
}

bool Dangling(const std::string& f) {
  return In(f, {"the", "a", "an", "of", "on", "for", "and", "or", "de", "du", "des", "la", "le", "les", "et", "its",
                "their", "upcoming", "forthcoming"});
}

struct Phrase {
  size_t first = 0, last = 0;  // word indexes, inclusive
  size_t head = 0;
  bool anaphoric = false;      // "the workshop", "this event", "the three-day event"
};

bool IsModifierOnly(const std::string& f) {
  // "three-day", "two-day", "one-day", "online", "same".
  return (f.size() > 5 && (f.substr(f.size() - 4) == " day" || f.substr(f.size() - 5) == " days")) ||
         In(f, {"online", "same", "said"});
}

Phrase Build(const std::vector<Word>& w, size_t h, const std::vector<std::pair<size_t, size_t>>& dates) {
  auto in_date = [&](size_t k) {
    return std::any_of(dates.begin(), dates.end(),
                       [&](const auto& d) { return w[k].begin >= d.first && w[k].begin < d.second; });
  };
  Phrase p{h, h, h, false};
  // Left: modifiers up to a determiner, a preposition, a verb or a punctuation mark.
  while (p.first > 0 && h - p.first < 6) {
    const Word& prev = w[p.first - 1];
    // A bullet or dash before the name ("- Regional workshop …") is no part of it.
    if (prev.folded.empty() || prev.closes || prev.possessive || StopsLeft(prev.folded) || in_date(p.first - 1) ||
        w[p.first].opens) {
      break;
    }
    --p.first;
  }
  // Right: attachments ("of the GLACY project on Global Action on Cybercrime") up to a verb,
  // a place or date preposition, or a punctuation mark.
  if (!w[h].closes) {
    size_t k = h + 1;
    while (k < w.size() && k - h <= 16) {
      const Word& cur = w[k];
      if (cur.opens || in_date(k) || StopsRight(cur.folded)) break;
      // "on" or "from" before a date: the date, not the name.
      if ((cur.folded == "on" || cur.folded == "of") && k + 1 < w.size() && in_date(k + 1)) break;
      if (cur.folded == "as" || (cur.folded == "and" && k + 1 < w.size() && in_date(k + 1))) break;
      // After a capitalised name, a lower-case word that is no function word starts the
      // sentence's verb: "… for Judges and Prosecutors brings together …".
      if (k > h + 1 && !cur.capital && w[k - 1].capital && !IsFunctionWord(w[k - 1].folded) && !IsFunctionWord(cur.folded) &&
          !In(cur.folded, {"project", "projects", "programme", "network", "committee", "office", "team",
                           "conference", "meeting", "workshop", "seminar", "course", "exercise", "webinar"}) &&
          !(cur.folded.size() == 4 && std::all_of(cur.folded.begin(), cur.folded.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; }))) {
        break;
      }
      // A determiner starts a new phrase unless a preposition attaches it: "of the series".
      if (In(cur.folded, {"the", "an", "la", "les"}) && !w[k - 1].capital &&
          !In(w[k - 1].folded, {"of", "on", "for", "into", "against", "by", "du", "de", "sur", "to"})) {
        break;
      }
      p.last = k;
      if (cur.closes) break;
      ++k;
    }
  }
  while (p.last > h && Dangling(w[p.last].folded)) --p.last;
  while (p.first < h && (w[p.first].folded == "upcoming" || w[p.first].folded == "forthcoming")) ++p.first;
  bool only_modifiers = true;
  for (size_t k = p.first; k < h; ++k) only_modifiers = only_modifiers && IsModifierOnly(w[k].folded);
  const bool determined = p.first > 0 && In(w[p.first - 1].folded, {"the", "this", "that", "la", "le", "l", "cette"});
  p.anaphoric = determined && only_modifiers && p.last == h;
  return p;
}

bool HasEventVerb(std::string_view folded_sentence) {
  static const CueSet kVerbs = {" was held ", " were held ", " will be held ", " is held ", " is being held ",
                                " took place ", " will take place ", " takes place ", " have met ", " has met ",
                                " met in ", " has concluded ", " concluded ", " was organised ", " was organized ",
                                " will be organised ", " was launched ", " aura lieu ", " a eu lieu ", " s est tenu ",
                                " s est tenue ", " se tiendra "};
  thread_local std::string s;
  s.assign(" ");
  s.append(folded_sentence);
  s.push_back(' ');
  return kVerbs.FoundIn(s);
}

// The place after " in "/" à " near the phrase: capitalised words, commas between
// ("in Colombo, Sri Lanka, on …" → Colombo, Sri Lanka).
std::vector<std::string> PlacesAfter(std::string_view s, const std::vector<Word>& w, size_t from,
                                     const std::vector<std::pair<size_t, size_t>>& dates) {
  std::vector<std::string> places;
  for (size_t k = from; k + 1 < w.size() && k < from + 14; ++k) {
    if (!In(w[k].folded, {"in", "a", "en"}) || w[k].closes) continue;
    std::string current;
    for (size_t j = k + 1; j < w.size(); ++j) {
      const bool dated = std::any_of(dates.begin(), dates.end(),
                                     [&](const auto& d) { return w[j].begin >= d.first && w[j].begin < d.second; });
      if (dated) break;
      if (!w[j].capital) {
        if (In(w[j].folded, {"en", "of", "de"}) && !current.empty() && j + 1 < w.size() && w[j + 1].capital) {
          current += " " + std::string(s.substr(w[j].begin, w[j].end - w[j].begin));
          continue;
        }
        if (w[j].folded == "en" && current.empty()) continue;  // "à Bucarest, en Roumanie"
        break;
      }
      current += (current.empty() ? "" : " ") + std::string(s.substr(w[j].begin, w[j].end - w[j].begin));
      if (w[j].closes) {
        places.push_back(current);
        current.clear();
        if (s.substr(w[j].end, 1) != ",") break;
      }
      if (places.size() >= 3) break;
    }
    if (!current.empty()) places.push_back(current);
    if (!places.empty()) break;
  }
  return places;
}

// The mode a sentence gives its event: "online" is a mode only where it says how the event was
// held ("was held online", "met virtually", "an online workshop", "by videoconference"), not where
// it qualifies something else ("confiscation of crime proceeds online").
std::optional<std::string> ModeOfSentence(std::string_view folded) {
  const std::vector<std::string> w = text::Split(folded, ' ');
  auto in = [](const std::string& word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
  };
  auto held = [&](size_t k) {  // a verb of holding just before word k ("was held online")
    for (size_t b = k >= 2 ? k - 2 : 0; b < k; ++b) {
      if (in(w[b], {"held", "organised", "organized", "conducted", "delivered", "convened", "met", "hosted",
                    "place", "run", "organise", "organisee", "tenu", "tenue", "deroule", "deroulee"})) {
        return true;
      }
    }
    return false;
  };
  auto event = [&](size_t k) {  // an event noun just after word k ("online workshop")
    return k < w.size() && in(w[k], {"workshop", "webinar", "meeting", "training", "course", "conference", "session",
                                     "seminar", "event", "exercise", "consultation", "roundtable", "round", "forum",
                                     "discussion", "plenary", "edition", "format", "mode"});
  };
  bool online = false, hybrid = false;
  for (size_t k = 0; k < w.size(); ++k) {
    if (w[k] == "hybrid" && (held(k) || event(k + 1))) hybrid = true;
    if ((w[k] == "online" || w[k] == "virtual" || w[k] == "virtually") && (held(k) || event(k + 1))) online = true;
    if (k + 1 < w.size() && ((w[k] == "on" && w[k + 1] == "line") || (w[k] == "en" && w[k + 1] == "ligne")) &&
        (held(k) || event(k + 2))) {
      online = true;
    }
    if ((w[k] == "videoconference" || w[k] == "visioconference") && k > 0 && in(w[k - 1], {"by", "via", "par", "en"})) {
      online = true;
    }
  }
  if (hybrid) return "hybrid";
  if (online) return "online";
  return std::nullopt;
}

// `bt` is the FoldKey of the title compared.
bool SameEvent(const json& a, const std::string& bt, const std::optional<PartialDate>& start) {
  if (bt.empty()) return false;
  const auto title = a.find("title");
  const std::string at = title != a.end() && title->is_string() ? text::FoldKey(title->get_ref<const std::string&>()) : "";
  if (at.empty()) return false;
  const bool titles = at.find(bt) != std::string::npos || bt.find(at) != std::string::npos;
  if (!titles) return false;
  const json& s = a.contains("start") ? a["start"] : (a.contains("event_start") ? a["event_start"] : a["date"]);
  if (!start) return true;
  return s.is_string() && s.get<std::string>() == start->Iso();
}

// True when the date at [begin, …) opens a parenthesis: "Training of trainers (14-15 May, …)".
bool OpensParenthesis(std::string_view s, size_t begin) {
  while (begin > 0 && s[begin - 1] == ' ') --begin;
  return begin > 0 && s[begin - 1] == '(';
}

// What a parenthesis says after its date: "(14-15 May, Amman, Jordan)" → places Amman, Jordan;
// "(January, online)" → the mode. Only short parts that name a place (capitalised) or a mode.
struct ParenthesisDetails {
  std::vector<std::string> places;
  std::optional<std::string> mode;
};
// The comma-separated parts of `parts`: places (capitalised, a few words) and a mode; nothing
// when a part is neither.
ParenthesisDetails PlaceAndModeParts(std::string_view parts) {
  ParenthesisDetails out;
  for (const std::string& raw : text::Split(parts, ',')) {
    const std::string part(text::Trim(raw));
    if (part.empty()) continue;
    const std::string f = text::FoldKey(part);
    if (f == "online" || f == "virtual" || f == "by videoconference" || f == "videoconference") {
      out.mode = "online";
    } else if (f == "hybrid") {
      out.mode = "hybrid";
    } else if (f == "in person" || f == "in presence") {
      out.mode = "in person";
    } else if (std::isupper(static_cast<unsigned char>(part[0])) && std::count(part.begin(), part.end(), ' ') < 4) {
      out.places.push_back(part);
    } else {
      return {};  // a remark, not a place: the parenthesis is not read
    }
  }
  return out;
}

ParenthesisDetails DetailsAfterDate(std::string_view s, size_t date_end) {
  const size_t close = s.find(')', date_end);
  if (close == std::string_view::npos || close - date_end > 120) return {};
  return PlaceAndModeParts(s.substr(date_end, close - date_end));
}

// A list row that opens with its date: "25-26 September 2024, Bangkok, Thailand - Regional
// workshop on …", "8 October 2024, online – Webinar on …". True when the text between the date's
// end and the event's first word is only places or a mode, then a dash or colon; `details` then
// holds them.
bool RowHeadBefore(std::string_view s, size_t date_end, size_t event_begin, ParenthesisDetails* details) {
  if (event_begin < date_end || event_begin - date_end > 100) return false;
  std::string_view head = text::Trim(s.substr(date_end, event_begin - date_end));
  bool separated = false;
  for (std::string_view sep : {"\u2013", "\u2014", "-", ":", "|"}) {
    if (head.size() >= sep.size() && head.substr(head.size() - sep.size()) == sep) {
      head = text::Trim(head.substr(0, head.size() - sep.size()));
      separated = true;
      break;
    }
  }
  if (!separated) return false;
  if (!head.empty() && head.front() == ',') head.remove_prefix(1);
  *details = PlaceAndModeParts(head);
  return head.empty() || !details->places.empty() || details->mode.has_value();
}

}  // namespace

std::vector<Record> ProseActivities(const CleanLines& lines, const MentionFinder& finder, const ProseContext& ctx) {
  std::vector<Record> out;
  // The item of each line (the first item that covers it), in one pass over the spans.
  const size_t n = lines.clean.size();
  std::vector<size_t> line_item(n, static_cast<size_t>(-1));
  for (size_t k = 0; k < ctx.items.size(); ++k) {
    for (size_t i = ctx.items[k].first; i < std::min(ctx.items[k].end, n); ++i) {
      if (line_item[i] == static_cast<size_t>(-1)) line_item[i] = k;
    }
  }
  auto item_of = [&](size_t line) -> std::optional<size_t> {
    if (line >= n || line_item[line] == static_cast<size_t>(-1)) return std::nullopt;
    return line_item[line];
  };
  // The events already recorded, by line, so a check looks only near its own item.
  std::vector<std::pair<int, const Record*>> events;
  for (const Record& r : ctx.existing) {
    if (r.kind == "activity" || r.kind == "news_item") events.push_back({r.line, &r});
  }
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto known = [&](const std::string& title_written, const std::optional<PartialDate>& start, int from, int to) {
    const std::string title = text::FoldKey(title_written);
    auto it = std::lower_bound(events.begin(), events.end(), from, [](const auto& e, int l) { return e.first < l; });
    for (; it != events.end() && it->first <= to; ++it) {
      if (SameEvent(it->second->fields, title, start)) return true;
    }
    for (auto r = out.rbegin(); r != out.rend() && r->line >= from; ++r) {
      if (SameEvent(r->fields, title, start)) return true;
    }
    return false;
  };

  std::optional<size_t> named_item;
  std::optional<size_t> titled_item;
  std::string title_head, title_event;  // the event the current item's title names
  std::string last_named;  // the last event named in the current item, for "the event"
  for (size_t i = 0; i < lines.clean.size(); ++i) {
    if (lines.blank[i] || (i < ctx.skip.size() && ctx.skip[i])) continue;
    const auto item = item_of(i);
    if (item != named_item) {
      named_item = item;
      last_named.clear();
    }
    int year = 0;
    std::string basis;
    if (item && ctx.items[*item].year != 0) {
      year = ctx.items[*item].year;
      basis = "year from the item's date";
    } else if (ctx.document_date) {
      year = ctx.document_date->year;
      basis = "year from the document's date";
    }
    static const std::string kNoTitle;
    const std::string& item_title = item && *item < ctx.titles.size() ? ctx.titles[*item] : kNoTitle;
    // The event the item's title names ("… during the 2nd webinar of the series co-organised by …").
    if (item != titled_item) {
      titled_item = item;
      title_head.clear();
      title_event.clear();
    }
    if (!item_title.empty() && title_head.empty()) {
      const std::vector<Word> tw = Words(item_title);
      std::vector<std::pair<size_t, size_t>> tspans;
      for (const FoundDate& d : DatesIn(item_title, 2000)) tspans.push_back({d.begin, d.end});
      for (size_t k = 0; k < tw.size(); ++k) {
        if (!IsEventHead(tw, k) || tw[k].folded == "event") continue;
        const Phrase tp = Build(tw, k, tspans);
        title_head = tw[k].folded;
        title_event = item_title.substr(tw[tp.first].begin, tw[tp.last].end - tw[tp.first].begin);
        break;
      }
    }
    std::string para = lines.clean[i];
    std::replace(para.begin(), para.end(), '\t', ' ');
    // "[Strasbourg, 17 November 2014] Following …": the bracket dates the item, not its events.
    if (!para.empty() && para[0] == '[') {
      const size_t close = para.find(']');
      if (close != std::string::npos && close < 100) para.erase(0, close + 1);
    }
    for (std::string_view sentence : SplitSentences(para)) {
      if (sentence.size() > 1200 || !MayNameEvent(sentence)) continue;
      const std::vector<Word> w = Words(sentence);
      // A sentence that names no event is done with before its dates are read.
      bool names_event = false;
      for (size_t k = 0; k < w.size() && !names_event; ++k) names_event = IsEventHead(w, k);
      if (!names_event) continue;
      // A placeholder year finds year-less dates when none is known; they then stay partial.
      std::vector<FoundDate> found = DatesIn(sentence, year != 0 ? year : 2000);
      std::vector<std::pair<size_t, size_t>> spans;
      for (const FoundDate& d : found) spans.push_back({d.begin, d.end});
      std::vector<Phrase> phrases;
      for (size_t k = 0; k < w.size(); ++k) {
        if (!IsEventHead(w, k)) continue;
        if (!phrases.empty() && k <= phrases.back().last) continue;
        phrases.push_back(Build(w, k, spans));
      }
      if (phrases.empty()) continue;
      const std::string folded = text::FoldKey(sentence);
      std::vector<bool> used(phrases.size(), false);
      ParenthesisDetails row;  // the places and mode a list row gives before its event
      auto title_of = [&](const Phrase& p) -> std::string {
        // "the second webinar" in the body of an item whose title names "the 2nd webinar of the series …".
        if ((p.anaphoric || p.last == p.head) && !title_head.empty() && w[p.head].folded == title_head &&
            Words(title_event).size() > p.last - p.first + 1) {
          return title_event;
        }
        if (p.anaphoric || w[p.head].folded == "event") {
          if (!item_title.empty() && (w[p.head].folded == "event" ||
                                      text::FoldKey(item_title).find(w[p.head].folded) != std::string::npos)) {
            return WithoutEventSuffix(item_title);
          }
          return p.anaphoric ? last_named : std::string();
        }
        return std::string(sentence.substr(w[p.first].begin, w[p.last].end - w[p.first].begin));
      };
      auto emit = [&](const Phrase& p, const FoundDate* d) {
        std::string title = title_of(p);
        if (title.empty() || title.find(' ') == std::string::npos) return;  // "meeting" alone names nothing
        // A date ties to an event by a verb of holding it, unless it is a day the phrase is next to:
        // "the period of June to December 2020" is no date of the meeting, nor "roundtable: EN, May 2022".
        const bool adjacent = d && d->begin >= w[p.last].end && d->begin - w[p.last].end <= 8;  // "event (from 13 …"
        if (d && !adjacent && (p.anaphoric || d->phrase.start->day == 0) && !HasEventVerb(folded)) return;
        if (d) {
          const size_t from = d->begin > 12 ? d->begin - 12 : 0;
          if (text::FoldKey(sentence.substr(from, d->begin - from)).find("period") != std::string::npos) return;
        }
        std::optional<PartialDate> start, end;
        std::string date_basis;
        if (d) {
          const bool resolved = d->phrase.year_given || year != 0;
          if (resolved) {
            start = d->phrase.start;
            end = d->phrase.end;
            if (!d->phrase.year_given) date_basis = basis;
          } else {
            // No year anywhere but the event's own name ("Octopus Conference 2023"): that one.
            int named_year = 0;
            for (const Word& x : w) {
              if (x.begin >= w[p.first].begin && x.end <= w[p.last].end && x.folded.size() == 4 &&
                  std::all_of(x.folded.begin(), x.folded.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                named_year = std::stoi(x.folded);
              }
            }
            if (named_year == 0 && !last_named.empty()) {
              const std::vector<Word> lw = Words(last_named);
              for (const Word& x : lw) {
                if (x.folded.size() == 4 && std::all_of(x.folded.begin(), x.folded.end(),
                                                        [](char c) { return c >= '0' && c <= '9'; })) {
                  named_year = std::stoi(x.folded);
                }
              }
            }
            if (named_year >= 1990 && named_year < 2100) {
              const std::string as_written(sentence.substr(d->begin, d->end - d->begin));
              if (auto again = ParseDatePhrase(as_written, named_year)) {
                start = again->start;
                end = again->end;
                date_basis = "year from the event's name";
              }
            }
          }
        }
        if (!d && !HasEventVerb(folded)) return;
        const int from = item ? static_cast<int>(ctx.items[*item].first + 1) : static_cast<int>(i + 1);
        const int to = item ? static_cast<int>(std::min(ctx.items[*item].end, n)) : static_cast<int>(i + 1);
        if (start) {
          // A date for an event named before without one: the same record, dated.
          for (auto it = out.rbegin(); it != out.rend() && it->line >= from; ++it) {
            if (it->fields["start"].is_null() &&
                text::FoldKey(it->fields["title"].get<std::string>()) == text::FoldKey(title)) {
              it->fields["start"] = start->Iso();
              it->fields["end"] = IsoOrNull(end);
              it->fields["precision"] = d->phrase.precision;
              it->fields["as_written"] = std::string(sentence.substr(d->begin, d->end - d->begin));
              if (!date_basis.empty()) it->fields["date_basis"] = date_basis;
              return;
            }
          }
        }
        if (known(title, start, from, to)) {
          // A date for an event named before without one: the same record, dated.
          if (!start) return;
          for (auto it = out.rbegin(); it != out.rend() && it->line >= from; ++it) {
            Record& r = *it;
            if (r.fields["start"].is_null() && text::FoldKey(r.fields["title"].get<std::string>()) == text::FoldKey(title)) {
              r.fields["start"] = start->Iso();
              r.fields["end"] = IsoOrNull(end);
              r.fields["precision"] = d->phrase.precision;
              r.fields["as_written"] = std::string(sentence.substr(d->begin, d->end - d->begin));
              if (!date_basis.empty()) r.fields["date_basis"] = date_basis;
              return;
            }
          }
          return;
        }
        std::vector<std::string> places = PlacesAfter(sentence, w, p.last + 1, spans);
        std::optional<std::string> mode = ModeOfSentence(folded);
        if (places.empty()) places = row.places;
        if (!mode) mode = row.mode;
        if (d && adjacent && OpensParenthesis(sentence, d->begin)) {
          ParenthesisDetails details = DetailsAfterDate(sentence, d->end);
          if (places.empty()) places = std::move(details.places);
          if (!mode) mode = details.mode;
        }
        std::string place_text;
        for (const auto& pl : places) place_text += pl + ", ";
        std::vector<std::string> projects = MentionFinder::Ids(finder.Projects(std::string(sentence) + "\n" + item_title));
        Record r;
        r.kind = "activity";
        r.line = static_cast<int>(i + 1);
        r.fields = json::object({{"projects", projects},
                                 {"title", title},
                                 {"places", places},
                                 {"countries", MentionFinder::Ids(finder.Countries(place_text))},
                                 {"mode", mode ? json(*mode) : json(nullptr)},
                                 {"start", IsoOrNull(start)},
                                 {"end", IsoOrNull(end)},
                                 {"precision", d ? json(d->phrase.precision) : json(nullptr)},
                                 {"as_written", d ? json(std::string(sentence.substr(d->begin, d->end - d->begin)))
                                                  : json(nullptr)},
                                 {"section", "prose"},
                                 {"span", std::string(sentence)}});
        if (!date_basis.empty()) r.fields["date_basis"] = date_basis;
        if (d && !d->phrase.days.empty() && start) {
          json days = json::array();
          for (const PartialDate& x : d->phrase.days) days.push_back(x.Iso());
          r.fields["days"] = std::move(days);
        }
        out.push_back(std::move(r));
      };
      // Each date goes to the nearest event phrase before it (else the first after it).
      for (const FoundDate& d : found) {
        row = {};
        // A month alone dates an event only where it opens the parenthesis right after its name:
        // "Desk study on safeguards (January, online)".
        const bool has_day = (d.phrase.start && d.phrase.start->day != 0) || d.phrase.year_given ||
                             OpensParenthesis(sentence, d.begin);
        if (!has_day || !d.phrase.start) continue;
        std::optional<size_t> pick;
        for (size_t k = 0; k < phrases.size(); ++k) {
          if (used[k]) continue;
          if (w[phrases[k].last].end <= d.begin) pick = k;
        }
        // "On 28 September, GLACY+ … organised the second webinar": a date that opens the sentence.
        const bool opens = d.begin <= 4;
        if (!pick && opens) {
          for (size_t k = 0; k < phrases.size(); ++k) {
            // Only a phrase an article introduces: "… organised the second webinar", not "on training of judges".
            const bool article = phrases[k].first > 0 && In(w[phrases[k].first - 1].folded, {"a", "an", "the"});
            if (!used[k] && article && w[phrases[k].first].begin >= d.end) {
              pick = k;
              break;
            }
          }
          // A list row: its date and place, a dash, then the event.
          for (size_t k = 0; !pick && k < phrases.size(); ++k) {
            if (!used[k] && RowHeadBefore(sentence, d.end, w[phrases[k].first].begin, &row)) pick = k;
          }
        }
        if (!pick) continue;
        used[*pick] = true;
        emit(phrases[*pick], &d);
        row = {};
      }
      for (size_t k = 0; k < phrases.size(); ++k) {
        if (!used[k]) emit(phrases[k], nullptr);
        const bool named = std::any_of(w.begin() + static_cast<long>(phrases[k].first),
                                       w.begin() + static_cast<long>(phrases[k].last) + 1,
                                       [](const Word& x) { return x.capital; });
        if (!phrases[k].anaphoric && w[phrases[k].head].folded != "event" && named &&
            phrases[k].last > phrases[k].first) {
          last_named = std::string(sentence.substr(w[phrases[k].first].begin,
                                                   w[phrases[k].last].end - w[phrases[k].first].begin));
        }
      }
    }
  }
  return out;
}

bool NamesEvent(std::string_view text) {
  if (!MayNameEvent(text)) return false;
  const std::vector<Word> w = Words(text);
  for (size_t k = 0; k < w.size(); ++k) {
    if (IsEventHead(w, k)) return true;
  }
  return false;
}

std::optional<std::string> EventPhrase(std::string_view text) {
  for (std::string_view sentence : SplitSentences(text)) {
    const std::vector<Word> w = Words(sentence);
    std::vector<std::pair<size_t, size_t>> spans;
    for (const FoundDate& d : DatesIn(sentence, 2000)) spans.push_back({d.begin, d.end});
    for (size_t k = 0; k < w.size(); ++k) {
      if (!IsEventHead(w, k)) continue;
      const Phrase p = Build(w, k, spans);
      if (p.anaphoric || w[p.head].folded == "event" || p.first == p.last) continue;
      return std::string(sentence.substr(w[p.first].begin, w[p.last].end - w[p.first].begin));
    }
    break;  // the first sentence only
  }
  return std::nullopt;
}

std::string WithoutBackLink(std::string_view cleaned) {
  for (std::string_view back : {"Back ", "Retour ", "Zurück ", "Indietro "}) {
    if (text::StartsWith(cleaned, back) && cleaned.size() > back.size() + 3) {
      return std::string(text::Trim(cleaned.substr(back.size())));
    }
  }
  return std::string(cleaned);
}

std::string WithoutEventSuffix(std::string_view title) {
  std::string_view t = text::Trim(title);
  if (!t.empty() && t.back() == ')') {
    const size_t open = t.rfind('(');
    if (open != std::string_view::npos && open > 0) {
      const std::string_view inside = t.substr(open + 1, t.size() - open - 2);
      bool dated = false;
      for (const std::string& part : SplitOutsideParens(inside, ',')) dated = dated || ParseDatePhrase(part, 2000);
      if (dated) return std::string(text::Trim(t.substr(0, open)));
    }
  }
  if (auto found = DateSuffix(t, 2000); found && found->begin > 0) {
    std::vector<std::string> parts = SplitOutsideParens(t.substr(0, found->begin), ',');
    if (parts.size() > 1) {
      // "Forum, Vilnius, Lithuania, 14-17 September 2010": the name is the first part.
      return parts.front();
    }
  }
  return std::string(t);
}

std::vector<Record> NonTreatyStatements(const TextDocument& doc, const MentionFinder& finder,
                                        const std::vector<ItemSpan>& items, const Extraction& so_far) {
  return NonTreatyStatements(doc, CleanLines(doc), finder, items, so_far);
}

std::vector<Record> NonTreatyStatements(const TextDocument& doc, const CleanLines& lines, const MentionFinder& finder,
                                        const std::vector<ItemSpan>& items, const Extraction& so_far) {
  std::optional<PartialDate> date;
  if (so_far.document.date) date = ParseIsoDate(*so_far.document.date);
  if (!date && so_far.document.period_end) {
    // A periodical's dates take the year of its period.
    if (auto end = ParseIsoDate(*so_far.document.period_end)) date = PartialDate{end->year, 0, 0};
  }
  if (!date) {
    std::string basis;
    date = DocumentDate(doc, lines, &basis);
  }
  std::vector<std::string> titles;
  for (const ItemSpan& item : items) {
    std::string title;
    for (size_t h : item.headings) {
      if (h < lines.clean.size() && !lines.blank[h]) {
        title = WithoutBackLink(lines.clean[h]);
        break;
      }
    }
    titles.push_back(std::move(title));
  }
  // A line a layout read as an event, and the items of a periodical (its project updates,
  // whose events its inventory lists), are not read again for events.
  std::vector<bool> skip(lines.clean.size(), false);
  for (const Record& r : so_far.records) {
    const bool event = r.kind == "activity" || r.kind == "news_item";
    if (event && r.line >= 1 && static_cast<size_t>(r.line) <= skip.size()) skip[static_cast<size_t>(r.line - 1)] = true;
  }
  if (so_far.document.shape == "quarterly_update") {
    for (const ItemSpan& item : items) {
      for (size_t i = item.first; i < std::min(item.end, skip.size()); ++i) skip[i] = true;
    }
  }
  const ProseContext ctx{items, date, so_far.records, titles, std::move(skip),
                         so_far.document.shape == "quarterly_update"};
  std::vector<Record> out = ProseActivities(lines, finder, ctx);
  for (Record& r : ProseProjects(lines, finder, ctx)) out.push_back(std::move(r));
  return out;
}

}  // namespace octopus::ingest::internal
