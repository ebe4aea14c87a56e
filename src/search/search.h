#pragma once
/// Search over the ingested records: what a person typed turned into a
/// full-text query, filters checked and named, facets labelled. Ranking and
/// counting happen in the store's full-text engine (Store::FindRecords).
/// A Searcher holds references only; one per request is cheap.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/country.h"
#include "domain/record.h"
#include "store/store.h"

namespace octopus::search {

/// Words, "quoted phrases" and prefix* words, all required. Everything else a
/// full-text engine would read as syntax (operators, column filters,
/// parentheses, stray quotes) is text. Words without a letter or digit are
/// dropped; so is a lone '*'. At most kMaxTerms terms are kept.
std::vector<store::SearchTerm> ParseQuery(std::string_view q);
inline constexpr size_t kMaxTerms = 16;

/// What a page or the API asks for. Empty strings mean "no filter".
struct Request {
  std::string q;
  std::string kind;     ///< news_item | activity | project (also "news", "activities", "projects")
  std::string country;  ///< ISO2 code or any name the gazetteer knows
  std::string project;
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

struct Hit {
  store::RecordRow record;
  domain::RecordFacts facts;
  /// Matched words between store::kMarkOpen and store::kMarkClose; without a
  /// query, the snippet is the start of the summary (else the body) and the
  /// title is plain.
  std::string title_marked, snippet;
};

struct FacetValue {
  std::string value;  ///< as a filter takes it ("TR", "GLACY+", "2023", "activity")
  std::string label;  ///< as people read it ("Türkiye", "news")
  int count = 0;      ///< results with this value as the facet's filter
  bool selected = false;
};

struct Facet {
  std::string name;  ///< kind, country, project, year, mode
  std::vector<FacetValue> values;
};

struct Results {
  Request request;  ///< normalised: country as ISO2, kind as stored
  int total = 0;
  std::vector<Hit> hits;
  std::vector<Facet> facets;
  int pages() const;
};

/// A record's text with the markers removed.
std::string Unmarked(std::string_view marked);

class Searcher {
 public:
  Searcher(store::Store& store, const domain::Gazetteer& gazetteer)
      : store_(store), gazetteer_(gazetteer) {}

  /// Runs the request (already checked by RequestFrom, or built by code).
  /// InvalidArgument for a page or per_page out of range.
  Result<Results> Run(const Request& request);

 private:
  store::Store& store_;
  const domain::Gazetteer& gazetteer_;
};

}  // namespace octopus::search
