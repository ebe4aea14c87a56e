#pragma once
/// The words of a clause as the phrase readers (a treaty act's wording, a
/// count given as a part of a whole) walk them: split on spaces, the
/// punctuation around each word stripped and remembered, so that a reader can
/// stop at the end of a phrase.

#include <string>
#include <string_view>
#include <vector>

namespace octopus::ingest::internal {

struct PhraseWord {
  size_t at = 0;       ///< where the word (its punctuation stripped) starts in the text
  std::string raw;     ///< as written, without the punctuation around it
  std::string key;     ///< folded: accents to ASCII, lower case
  bool opens = false;  ///< punctuation before it opens a phrase ("(ETS 185)")
  bool ends = false;   ///< punctuation after it closes one ("… plenary, by Andorra")
};

/// The punctuation that starts or ends a phrase: , ; : . ! ? ( ) [ ] "
bool IsPhrasePunct(char c);

/// The words of `text`; a piece of punctuation alone ends the word before it.
std::vector<PhraseWord> PhraseWords(std::string_view text);

}  // namespace octopus::ingest::internal
