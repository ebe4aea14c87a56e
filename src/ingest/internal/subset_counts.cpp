#include "ingest/internal/subset_counts.h"

#include <algorithm>
#include <initializer_list>

#include "core/text.h"
#include "ingest/internal/phrase_words.h"

namespace octopus::ingest::internal {

namespace {

using Token = PhraseWord;

bool In(std::string_view key, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), key) != set.end();
}

// A word a count may be written with: digits, or letters (a number word; the caller checks it).
bool CountLike(const Token& t) {
  return !t.key.empty() && t.key.size() <= 12 &&
         (std::all_of(t.key.begin(), t.key.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          std::all_of(t.key.begin(), t.key.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == ' '; }));
}

}  // namespace

std::vector<SubsetCount> SubsetCountsIn(std::string_view sentence) {
  std::vector<SubsetCount> out;
  const std::vector<Token> t = PhraseWords(text::TruncateUtf8(sentence, 4000));
  for (size_t i = 0; i + 3 < t.size(); ++i) {
    if (!CountLike(t[i]) || t[i].ends) continue;
    // "46 out of 47", "46 of the 47", "46 des 47", "46 sur 47".
    size_t w = 0;
    if (t[i + 1].key == "out" && t[i + 2].key == "of") {
      w = i + 3;
    } else if (In(t[i + 1].key, {"of", "des", "sur"})) {
      w = i + 2;
    } else {
      continue;
    }
    if (w < t.size() && In(t[w].key, {"the", "les"}) && !t[w].ends) ++w;
    if (w + 1 >= t.size() || !CountLike(t[w]) || t[w].ends) continue;
    // The group: "member States of the Council of Europe", up to the verb.
    size_t v = w + 1;
    bool group = false;
    while (v < t.size() && v <= w + 10 && !In(t[v].key, {"have", "has", "had", "are", "were", "ont", "sont"})) {
      if (In(t[v].key, {"states", "countries", "etats", "pays", "members", "membres"})) group = true;
      if (t[v].ends) break;
      ++v;
    }
    if (!group || v >= t.size() || !In(t[v].key, {"have", "has", "had", "are", "were", "ont", "sont"})) continue;
    size_t k = v + 1;
    while (k < t.size() && In(t[k].key, {"now", "already", "all", "desormais", "deja", "maintenant"})) ++k;
    bool signed_ = false, ratified = false, acceded = false, parties = false;
    for (; k < t.size(); ++k) {
      const std::string& key = t[k].key;
      if (In(key, {"signed", "signe", "signes"})) {
        signed_ = true;
      } else if (In(key, {"ratified", "ratifie", "ratifies"})) {
        ratified = true;
      } else if (In(key, {"acceded", "adhere"})) {
        acceded = true;
      } else if (In(key, {"parties", "party"})) {
        parties = true;
      } else if (!In(key, {"or", "and", "ou", "et", "become", "either", "devenus", "state"})) {
        break;
      }
      if (t[k].ends) break;
    }
    std::string measure;
    if (signed_ && ratified) {
      measure = "signed_or_ratified";
    } else if (ratified) {
      measure = "ratified";
    } else if (signed_) {
      measure = "signed";
    } else if (acceded) {
      measure = "acceded";
    } else if (parties) {
      measure = "parties";
    } else {
      continue;
    }
    SubsetCount c;
    c.at = t[i].at;
    c.count = t[i].raw;
    c.whole = t[w].raw;
    for (size_t g = w + 1; g < v; ++g) c.of_what += (c.of_what.empty() ? "" : " ") + t[g].raw;
    // Not the treaty's own count of signatures or Parties: a measure of its own, never compared with it.
    c.measure = "subset_" + measure;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace octopus::ingest::internal
