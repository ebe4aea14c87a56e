#pragma once
/// Names in running text: the countries (through the gazetteer shared with the
/// treaty registry), the treaties (through the treaty catalog and the
/// references "ETS 185", "CETS No. 201", "STCE 189") and the capacity-building
/// projects a passage names.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/country.h"
#include "treaty/catalog.h"

namespace octopus::ingest::internal {

/// A name found in text: what it denotes and where (byte offsets in the text).
struct Mention {
  std::string id;  ///< ISO2, treaty ref or project name
  size_t begin = 0;
  size_t end = 0;
};

class MentionFinder {
 public:
  /// French country names are matched only in French text: in English prose
  /// "Salvador" is a Brazilian city and "Maurice" a first name.
  MentionFinder(const domain::Gazetteer& gazetteer, const treaty::Catalog& catalog, bool french = false);

  /// Countries named in `text`, in order of appearance (a longer name wins
  /// over a name inside it: "Papua New Guinea" is not "Guinea").
  std::vector<Mention> Countries(std::string_view text) const;
  /// Treaties named in `text`, in order ("Second Additional Protocol" is
  /// CETS 224, not the first protocol; "Additional Protocol" alone is ETS 189).
  std::vector<Mention> Treaties(std::string_view text) const;
  /// Projects named in `text`.
  std::vector<Mention> Projects(std::string_view text) const;

  /// Sorted, unique ids.
  static std::vector<std::string> Ids(const std::vector<Mention>& mentions);

  const domain::Gazetteer& gazetteer() const { return gazetteer_; }
  const treaty::Catalog& catalog() const { return catalog_; }

  /// The canonical name of a project as documents write it ("i-PROCEEDS-2" →
  /// "iPROCEEDS-2", "Octopus project" → "Octopus").
  static std::string ProjectName(std::string_view written);

 private:
  struct Name {
    std::string folded;  ///< FoldKey form, matched on word boundaries
    std::string id;
  };
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  /// Names longest first, and for each first word the names that start with it (in that order),
  /// so that a text is scanned once, word by word, whatever the number of names.
  struct Names {
    std::vector<Name> names;
    std::unordered_map<std::string, std::vector<uint32_t>, WordHash, std::equal_to<>> by_first_word;
    /// A necessary condition of a word being a first word, tested before the map is hashed:
    /// its length is at most `longest_first_word` and its first two bytes (the second a space
    /// for a word of one byte) are set in `first_pair`.
    size_t longest_first_word = 0;
    std::vector<uint64_t> first_pair = std::vector<uint64_t>(65536 / 64, 0);
    void Index();
  };
  std::vector<Mention> Find(std::string_view text, const Names& names) const;

  const domain::Gazetteer& gazetteer_;
  const treaty::Catalog& catalog_;
  Names countries_;
  Names treaties_;
};

/// `text` folded for matching with a map from each folded byte back to its
/// offset in `text` (FoldKey keeps no offsets).
struct FoldedText {
  std::string folded;
  std::vector<size_t> origin;  ///< origin[i] = offset in the source of folded[i]
};
FoldedText FoldWithOffsets(std::string_view text);
/// The same into `out`, whose buffers are reused.
void FoldWithOffsets(std::string_view text, FoldedText* out);

/// True when `lines` read as French rather than English (by their commonest words).
bool LooksFrench(const std::vector<std::string>& lines);

}  // namespace octopus::ingest::internal
