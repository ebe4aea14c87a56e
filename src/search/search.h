#pragma once
/// Search over the knowledge base's entities (projects, activities, news
/// items, organisations, resources) and the countries' profiles: what a person typed turned into a
/// full-text query, filters checked and named, facets labelled. Ranking and
/// counting happen in the store's full-text engine (Store::FindEntities).
/// A Searcher holds references and a snapshot only; one per request is cheap.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/country.h"
#include "kb/knowledge.h"
#include "store/store.h"

namespace octopus::search {

/// Words, "quoted phrases" and prefix* words, all required. Everything else a
/// full-text engine would read as syntax (operators, column filters,
/// parentheses, stray quotes) is text. Words without a letter or digit are
/// dropped; so is a lone '*'. At most kMaxTerms terms are kept.
std::vector<store::SearchTerm> ParseQuery(std::string_view q);
inline constexpr size_t kMaxTerms = 16;

/// The kinds search finds, in the order facets list them (contributions are
/// found through their project and donor).
inline constexpr kb::Kind kSearchableKinds[] = {kb::Kind::kNewsItem, kb::Kind::kActivity,
                                                kb::Kind::kProject, kb::Kind::kOrganisation,
                                                kb::Kind::kResource};

/// What a page or the API asks for. Empty strings mean "no filter".
struct Request {
  std::string q;
  /// news_item | activity | project | organisation | resource | country
  /// (also "news", "activities", "projects", "organisations", "resources",
  /// "countries")
  std::string kind;
  std::string country;  ///< ISO2 code or any name the gazetteer knows
  std::string project;  ///< a project's id ("glacy-plus") or its name ("GLACY+")
  std::string year;     ///< YYYY
  std::string mode;     ///< in person | online | hybrid
  std::string from, to;  ///< YYYY-MM-DD or YYYY-MM (to: through the end of that month)
  int page = 1;          ///< 1-based
  int per_page = 20;     ///< 1..kMaxPerPage
  store::RecordQuery::Order order = store::RecordQuery::Order::kRank;
  bool facets = true;  ///< count kind, country, project, year and mode
  int facet_limit = 100;  ///< values per facet at most
};
inline constexpr int kMaxPerPage = 100;

/// Reads a request from query parameters through `param` (name → value, nullopt
/// when absent). InvalidArgument naming the parameter for a malformed page,
/// per_page, year, mode, kind, date, or an unknown country.
using ParamLookup = std::function<std::optional<std::string>(std::string_view)>;
Result<Request> RequestFrom(const ParamLookup& param, const domain::Gazetteer& gazetteer);

struct EntityHit {
  std::string entity_id;
  kb::Kind kind = kb::Kind::kProject;
  std::string url;    ///< "/activities/a3f9c2e1b07d", "/projects/glacy-plus"
  std::string label;  ///< the entity's name or title
  /// The entity in the Searcher's snapshot (Results::knowledge keeps it
  /// alive); nullptr when the index holds an entity the snapshot does not (a
  /// rebuild between the two).
  const kb::Entity* entity = nullptr;
  /// Matched words between store::kMarkOpen and store::kMarkClose; without a
  /// query, the snippet is the start of the entity's own prose (a news item's
  /// body, a project's scope) and the title is the plain label.
  std::string title_marked, snippet;
  /// A country's profile (Store::PutCountries): `entity_id` is its ISO2
  /// code, `url` "/countries/GE", `entity` null and `kind` says nothing.
  bool country = false;
};

/// The kind name of a hit: "country" for a country, else kb::KindName.
std::string HitKind(const EntityHit& hit);

struct FacetValue {
  std::string value;  ///< as a filter takes it ("TR", "glacy-plus", "2023", "activity")
  std::string label;  ///< as people read it ("Türkiye", "GLACY+", "news")
  int count = 0;      ///< results with this value as the facet's filter
  bool selected = false;
};

struct Facet {
  std::string name;  ///< kind, country, project, year, mode
  std::vector<FacetValue> values;
};

struct EntityResults {
  Request request;  ///< normalised: country as ISO2, kind as kb::KindName
  int total = 0;
  std::shared_ptr<const kb::KnowledgeBase> knowledge;  ///< the snapshot hits point into
  std::vector<EntityHit> hits;
  std::vector<Facet> facets;
  int pages() const;
};

/// A kind's name for people: "news" for news_item, else kb::KindName.
std::string KindLabel(kb::Kind kind);

/// Text with the markers removed.
std::string Unmarked(std::string_view marked);

/// The search of the site and /api/v1/search: over entities.
class EntitySearcher {
 public:
  /// `knowledge` is the snapshot the hits are read from
  /// (service::Knowledge::Current()); the index is asked for what its
  /// visibility allows (none: public).
  EntitySearcher(store::Store& store, const domain::Gazetteer& gazetteer,
           std::shared_ptr<const kb::KnowledgeBase> knowledge)
      : store_(store), gazetteer_(gazetteer), knowledge_(std::move(knowledge)) {}

  /// Runs the request (already checked by RequestFrom, or built by code).
  /// InvalidArgument for a page or per_page out of range.
  Result<EntityResults> Run(const Request& request);

 private:
  store::Store& store_;
  const domain::Gazetteer& gazetteer_;
  std::shared_ptr<const kb::KnowledgeBase> knowledge_;
};

}  // namespace octopus::search
