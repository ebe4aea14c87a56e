#pragma once
/// A count stated as part of a whole: "46 out of 47 member States of the
/// Council of Europe have now signed or ratified the Convention", "12 of the
/// 15 countries of the region have ratified it", "46 des 47 États membres ont
/// signé ou ratifié". The record keeps both numbers (the count and the whole),
/// never a ratio or a count made up from them.

#include <string>
#include <string_view>
#include <vector>

namespace octopus::ingest::internal {

struct SubsetCount {
  size_t at = 0;         ///< where the count begins in the sentence
  std::string count;     ///< the count as written ("46", "twelve")
  std::string whole;     ///< the whole as written ("47")
  std::string of_what;   ///< the whole's group as written: "member States of the Council of Europe"
  /// What the count did, as a measure of a part (never compared with the treaty's totals):
  /// subset_signed_or_ratified, subset_ratified, subset_signed, subset_acceded, subset_parties.
  std::string measure;
};

/// The subset counts `sentence` states; empty when none.
std::vector<SubsetCount> SubsetCountsIn(std::string_view sentence);

}  // namespace octopus::ingest::internal
