#pragma once
/// Name keys, slugs and the stable hash the knowledge base builds ids from.
/// Pure functions; internal to kb.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace octopus::kb::internal {

/// The key two names are compared by: text::FoldKey after '+' is read as
/// " plus " ("GLACY+" and "GLACY Plus" share a key, and neither shares one
/// with "GLACY"; "CyberCrime@EAP" and "Cybercrime EAP" share one).
std::string NameKey(std::string_view name);

/// True when a name not in the directory may still be one: it starts with a
/// capital letter, a digit or a letter outside ASCII, and its first word
/// does not name a group of many ("States Parties", "Observers …",
/// "voluntary contributions", "# source" are no names).
bool LooksLikeAName(std::string_view name);

/// A URL slug: the key's words joined by '-' ("GLACY+" → "glacy-plus");
/// "" when the name has no letter or digit.
std::string Slug(std::string_view name);

/// FNV-1a, 64 bits: the same bytes give the same hash on every build.
uint64_t Fnv1a64(std::string_view bytes);

/// The first 12 hex digits of Fnv1a64 of the parts joined by '\x1f'.
std::string ShortHash(const std::vector<std::string>& parts);

/// The words of a title that identify it: NameKey's words, without words
/// that only join others ("the", "of", "on", "and", "for", "to", "in", "de",
/// "la", "et", …) and without four-digit years (a title naming its year is
/// the same event as one that does not).
std::vector<std::string> TitleWords(std::string_view title);

/// Dice coefficient of the two titles' TitleWords (as sets): 1 for the same
/// words, 0 for none in common or when either has none.
double TitleSimilarity(std::string_view a, std::string_view b);

}  // namespace octopus::kb::internal
