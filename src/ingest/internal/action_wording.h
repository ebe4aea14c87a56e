#pragma once
/// A treaty action as the text states it. The extractors read an act as a
/// registry code (`accession`, `ratification_or_accession`, …); a report shows
/// it in the words of the clause that states it: the base action and the
/// qualifiers the clause gives it.
///   "… deposited the instrument of accession …"   → "accession (deposit of instrument)"
///   "welcome ratification or accession … since the last plenary by …"
///                                                  → "ratification or accession (since the last plenary)"
///   "welcome recent ratification or accession …"  → "ratification or accession (recent)"
///   "… have been recently invited to join"        → "invitation (recent)"
/// Qualifiers are read from the clause alone (the words of its own verb or
/// noun, its subject and object), never from the rest of the sentence.

#include <string>
#include <string_view>
#include <vector>

namespace octopus::ingest::internal {

struct ActionWording {
  std::string action;                   ///< the base action with its qualifiers: "accession (deposit of instrument)"
  std::vector<std::string> qualifiers;  ///< as the clause gives them, lower case: "deposit of instrument", "recent"
  /// The reference point of a "since …" qualifier, as written: "the last plenary".
  /// Data, not a date: the act happened after it and by the text's date.
  std::string since;
};

/// The base action of a registry code, in words: "ratification or accession"
/// for `ratification_or_accession`, "entry into force" for `entry_into_force`.
std::string ActionName(std::string_view code);

/// The action `code` as `clause` states it.
ActionWording WordAction(std::string_view code, std::string_view clause);

/// Where the words that qualify a noun at `at` begin ("recent" in "to welcome
/// recent ratification …"): up to three words back from `at`, not before
/// `floor`, not across punctuation, an article or a conjunction.
size_t ModifierStart(std::string_view s, size_t at, size_t floor);

}  // namespace octopus::ingest::internal
