#include "ingest/internal/phrase_words.h"

#include "core/text.h"

namespace octopus::ingest::internal {

bool IsPhrasePunct(char c) {
  return std::string_view(",;:.!?()[]\"").find(c) != std::string_view::npos;
}

std::vector<PhraseWord> PhraseWords(std::string_view text) {
  std::vector<PhraseWord> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t begin = i;
    while (i < text.size() && text[i] != ' ') ++i;
    std::string_view w = text::Trim(text.substr(begin, i - begin));
    if (w.empty()) continue;
    size_t at = static_cast<size_t>(w.data() - text.data());
    PhraseWord word;
    while (!w.empty() && IsPhrasePunct(w.front())) {
      word.opens = true;
      w.remove_prefix(1);
      ++at;
    }
    while (!w.empty() && IsPhrasePunct(w.back())) {
      word.ends = true;
      w.remove_suffix(1);
    }
    if (w.empty()) {
      if (!out.empty()) out.back().ends = true;
      continue;
    }
    word.at = at;
    word.raw = std::string(w);
    word.key = text::FoldKey(w);
    out.push_back(std::move(word));
  }
  return out;
}

}  // namespace octopus::ingest::internal
