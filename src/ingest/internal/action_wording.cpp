#include "ingest/internal/action_wording.h"

#include <algorithm>
#include <initializer_list>

#include "core/text.h"
#include "ingest/internal/phrase_words.h"

namespace octopus::ingest::internal {

namespace {

using Word = PhraseWord;

bool StartsWithAny(std::string_view key, std::initializer_list<std::string_view> stems) {
  return std::any_of(stems.begin(), stems.end(), [&](std::string_view s) { return key.substr(0, s.size()) == s; });
}

bool IsConsent(std::string_view code) {
  return code == "ratification" || code == "accession" || code == "acceptance" || code == "approval" ||
         code == "ratification_or_accession";
}

// The meetings a "since …" qualifier is counted from: "since the last plenary",
// "since the previous meeting", "depuis la dernière réunion plénière".
bool IsMeeting(std::string_view key) {
  return key == "plenary" || key == "plenaries" || key == "meeting" || key == "session" || key == "pleniere" ||
         key == "reunion" || key == "seance";
}

// A word that names the act itself: its verb or noun ("ratified", "accession", "invited", "adhéré").
bool IsActWord(std::string_view key) {
  return StartsWithAny(key, {"ratif", "acced", "accession", "adhe", "adhesion", "sign", "invit", "join", "depos",
                             "denounc", "denonc"});
}

// "recent" qualifies the act only when it stands by the act's own word, in the same phrase
// ("the recent accession", "has recently ratified", "a adhéré récemment"), not when it
// qualifies something else of the clause ("ratified it, following recent reforms").
bool NextToAnAct(const std::vector<Word>& words, size_t i) {
  for (size_t j = i; j + 1 > 0 && j + 3 >= i; --j) {
    if (j != i && words[j].ends) break;
    if (j != i && IsActWord(words[j].key)) return true;
    if (j == 0) break;
  }
  for (size_t j = i + 1; j < words.size() && j <= i + 3; ++j) {
    if (words[j - 1].ends) break;
    if (IsActWord(words[j].key)) return true;
  }
  return false;
}

void Add(ActionWording& w, std::string q) {
  if (std::find(w.qualifiers.begin(), w.qualifiers.end(), q) == w.qualifiers.end()) w.qualifiers.push_back(std::move(q));
}

}  // namespace

std::string ActionName(std::string_view code) {
  std::string out(code);
  if (code == "ratification_or_accession") return "ratification or accession";
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

ActionWording WordAction(std::string_view code, std::string_view clause) {
  ActionWording w;
  const std::vector<Word> words = PhraseWords(text::TruncateUtf8(clause, 2000));
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& k = words[i].key;
    // The act done by depositing (or conveying) its instrument.
    if (IsConsent(code)) {
      if (StartsWithAny(k, {"deposit", "depose", "deposa", "deposant", "depot"})) Add(w, "deposit of instrument");
      if (StartsWithAny(k, {"convey"})) Add(w, "instrument conveyed");
    }
    if ((k == "recent" || k == "recently" || k == "recemment" || k == "recente" || k == "recentes" || k == "recents" ||
         k == "newly") &&
        NextToAnAct(words, i)) {
      Add(w, i > 0 && (words[i - 1].key == "most" || words[i - 1].key == "plus") ? "most recent" : "recent");
    }
    // "since the last plenary": the words up to the meeting they count from.
    if ((k == "since" || k == "depuis") && !words[i].ends) {
      size_t end = 0;
      for (size_t j = i + 1; j < words.size() && j <= i + 5; ++j) {
        if (words[j].opens) break;
        if (IsMeeting(words[j].key)) {
          end = j + 1;
          // "plenary meeting", "réunion plénière".
          if (!words[j].ends && j + 1 < words.size() && !words[j + 1].opens && IsMeeting(words[j + 1].key)) end = j + 2;
          break;
        }
        if (words[j].ends) break;
      }
      if (end > 0) {
        std::string since;
        for (size_t j = i + 1; j < end; ++j) since += (since.empty() ? "" : " ") + text::ToLowerAscii(words[j].raw);
        Add(w, text::ToLowerAscii(words[i].raw) + " " + since);
        if (w.since.empty()) w.since = since;
      }
    }
  }
  w.action = ActionName(code);
  if (!w.qualifiers.empty()) w.action += " (" + text::Join(w.qualifiers, "; ") + ")";
  return w;
}

size_t ModifierStart(std::string_view s, size_t at, size_t floor) {
  static constexpr std::string_view kStops[] = {"and", "or", "the", "a", "an", "of", "to", "by", "for", "its", "their",
                                                "et", "ou", "la", "le", "les", "l", "de", "des", "du", "sa", "leur"};
  at = std::min(at, s.size());
  size_t start = at;
  for (int n = 0; n < 3; ++n) {
    size_t e = start;
    while (e > floor && s[e - 1] == ' ') --e;
    if (e <= floor || IsPhrasePunct(s[e - 1])) break;
    size_t b = e;
    while (b > floor && s[b - 1] != ' ') --b;
    const std::string_view word = s.substr(b, e - b);
    if (b < floor || IsPhrasePunct(word.front())) break;
    const std::string key = text::FoldKey(word);
    if (key.empty() || std::find(std::begin(kStops), std::end(kStops), key) != std::end(kStops)) break;
    start = b;
  }
  return start;
}

}  // namespace octopus::ingest::internal
