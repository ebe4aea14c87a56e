#pragma once
/// The entity index's per-entry data held in memory: each entry's facet
/// values, days and restriction, in compact arrays. A query over the entities
/// runs its text match once; its total, its facet counts (each without its
/// own filter) and its order are then computed here in one pass over the
/// entries the match gave, so that their cost follows the answer: a query
/// with no hit costs nothing more, a rare word its few hits.
///
/// Independent of the database: the store loads it (SqlStore, from
/// entity_entries, entry_restrictions and entity_facets) and keeps it while
/// the index it was read from is unchanged.

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.h"

namespace octopus::store {

class EntityIndexMemory {
 public:
  /// One entry as stored: days as written (ISO YYYY-MM-DD), "" for none.
  struct EntryRow {
    int64_t id = 0;
    std::string sort_date;                  ///< "" when undated
    std::optional<std::string> date_lo, date_hi;  ///< nullopt when undated (NULL)
    bool restricted = false;
  };
  /// One row of entity_facets.
  struct FacetRow {
    int64_t entry = 0;
    std::string facet, value, label, key, label_key;
  };

  /// A facet filter as the query gives it, resolved: the facet, its value in
  /// lower case, and the ids of the entities that go by that value (a
  /// project's acronym names the project).
  struct Filter {
    std::string facet;
    std::string key;
    std::vector<std::string> named_ids;
  };

  /// What a query asks of the index besides the text match.
  struct Ask {
    bool public_only = true;
    /// The day window as YYYYMMDD; 0 for open.
    int32_t from = 0, to = 0;
    std::vector<Filter> filters;
    std::vector<std::string> facets;  ///< to count, in the order asked
    int facet_limit = 100;
  };

  /// One entry the match gave: its position in the index and the value it is
  /// ordered by (bm25, lower first).
  struct Matched {
    uint32_t entry;
    double score;
  };

  /// The entries matching every condition, and the facet counts.
  struct Answer {
    std::vector<Matched> results;
    std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;
  };

  /// `matched`: the entries the text gave (nullptr: every entry, scored 0).
  Answer Evaluate(const std::vector<Matched>* matched, const Ask& ask) const;

  /// The position of entry `id`, or -1. Ascending ids are found fastest.
  int64_t Find(int64_t id) const;
  int64_t id(uint32_t entry) const { return ids_[entry]; }
  /// YYYYMMDD of the entry's first day; 0 when undated.
  int32_t sort_date(uint32_t entry) const { return sort_date_[entry]; }
  size_t size() const { return ids_.size(); }

  /// YYYYMMDD of an ISO day; nullopt when `iso` is not YYYY-MM-DD ("" gives 0).
  static std::optional<int32_t> PackDay(std::string_view iso);

 private:
  friend class EntityIndexBuilder;
  static constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();
  struct Variant {
    uint32_t facet;  // index in facet_names_
    uint32_t group;  // index in groups_: (facet, key)
    std::string value, label, label_key;
  };
  struct Group {
    uint32_t facet;
    std::string key;
  };

  std::vector<int64_t> ids_;  // ascending
  std::vector<int32_t> sort_date_, lo_, hi_;
  std::vector<uint8_t> restricted_;
  std::vector<uint32_t> offsets_;  // entry i's variants: variants_[offsets_[i] .. offsets_[i + 1])
  std::vector<uint32_t> variants_;
  std::vector<Variant> variant_info_;
  std::vector<Group> groups_;
  std::vector<std::string> facet_names_;
};

/// Reads an index row by row (SqlStore: the entries, then their facets).
class EntityIndexBuilder {
 public:
  /// Entries in any order.
  void AddEntry(const EntityIndexMemory::EntryRow& row);
  /// Facet rows in any order, after every entry; rows of unknown entries are
  /// left out.
  void AddFacet(const EntityIndexMemory::FacetRow& row);
  /// nullopt when a stored day is not in the form YYYY-MM-DD: such an index
  /// would not compare days the way the database compares them.
  std::optional<EntityIndexMemory> Finish();

 private:
  struct Pending {
    int64_t id;
    int32_t sort_date, lo, hi;
    bool restricted;
  };
  void SortEntries();

  std::vector<Pending> entries_;
  bool sorted_ = false;
  bool bad_day_ = false;
  EntityIndexMemory out_;
  std::vector<std::pair<uint32_t, uint32_t>> links_;  // (entry, variant)
  std::map<std::array<std::string, 5>, uint32_t> variant_ids_;
  std::map<std::pair<uint32_t, std::string>, uint32_t> group_ids_;
  std::map<std::string, uint32_t> facet_ids_;
  int64_t last_variant_ = -1;
  std::array<std::string, 5> last_;
};

}  // namespace octopus::store
