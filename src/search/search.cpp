#include "search/search.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <functional>
#include <tuple>
#include <utility>

#include "core/text.h"
#include "domain/record.h"

namespace octopus::search {

namespace {

bool HasWordCharacter(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) return true;
  }
  return false;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// At most `max` bytes of `s`, cut at a space when there is one, never inside
/// a UTF-8 sequence.
std::string Excerpt(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  const size_t space = s.rfind(' ', cut);
  if (space != std::string_view::npos && space > max / 2) cut = space;
  return std::string(s.substr(0, cut)) + "\u2026";
}

Status Invalid(std::string_view name, const std::string& what) {
  return InvalidArgument(std::string(name) + ": " + what);
}

}  // namespace

std::vector<store::SearchTerm> ParseQuery(std::string_view q) {
  std::vector<store::SearchTerm> terms;
  size_t i = 0;
  while (i < q.size() && terms.size() < kMaxTerms) {
    if (IsSpace(q[i])) {
      ++i;
      continue;
    }
    store::SearchTerm t;
    if (q[i] == '"') {
      const size_t close = q.find('"', i + 1);
      const size_t end = close == std::string_view::npos ? q.size() : close;
      t.text = std::string(text::Trim(q.substr(i + 1, end - i - 1)));
      i = end + 1;
    } else {
      size_t end = i;
      while (end < q.size() && !IsSpace(q[end]) && q[end] != '"') ++end;
      std::string_view word = q.substr(i, end - i);
      i = end;
      if (word.ends_with('*')) {
        while (word.ends_with('*')) word.remove_suffix(1);
        t.prefix = true;
      }
      t.text = std::string(word);
    }
    if (HasWordCharacter(t.text)) terms.push_back(std::move(t));
  }
  return terms;
}

Result<Request> RequestFrom(const ParamLookup& param, const domain::Gazetteer& gazetteer) {
  Request r;
  for (auto [name, out] : {std::pair{"q", &r.q}, std::pair{"kind", &r.kind},
                           std::pair{"country", &r.country}, std::pair{"project", &r.project},
                           std::pair{"year", &r.year}, std::pair{"mode", &r.mode},
                           std::pair{"from", &r.from}, std::pair{"to", &r.to}}) {
    if (std::optional<std::string> v = param(name)) *out = std::string(text::Trim(*v));
  }
  for (auto [name, out, max] :
       {std::tuple{"page", &r.page, 100000}, std::tuple{"per_page", &r.per_page, kMaxPerPage}}) {
    const std::optional<std::string> v = param(name);
    if (!v || v->empty()) continue;
    int n = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < 1 || n > max) {
      return Invalid(name, "'" + *v + "' is not a whole number from 1 to " + std::to_string(max));
    }
    *out = n;
  }
  if (r.q.size() > 500) return Invalid("q", "longer than 500 bytes");
  if (const std::string k = text::ToLowerAscii(r.kind); k == "country" || k == "countries") {
    r.kind = "country";
  } else if (!r.kind.empty()) {
    std::optional<kb::Kind> kind = kb::KindFromName(k);
    for (kb::Kind each : kSearchableKinds) {
      if (k == kb::KindPath(each) || k == KindLabel(each)) kind = each;
    }
    if (!kind || std::find(std::begin(kSearchableKinds), std::end(kSearchableKinds), *kind) ==
                     std::end(kSearchableKinds)) {
      return Invalid("kind", "unknown kind '" + r.kind +
                                 "' (news, activity, project, organisation, resource or country)");
    }
    r.kind = std::string(kb::KindName(*kind));
  }
  if (!r.country.empty()) {
    const domain::Country* c = gazetteer.Find(r.country);
    if (!c) return Invalid("country", "unknown country '" + r.country + "'");
    r.country = c->iso2;
  }
  if (!r.year.empty()) {
    if (r.year.size() != 4 || !std::isdigit(static_cast<unsigned char>(r.year[0])) ||
        !std::all_of(r.year.begin(), r.year.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return Invalid("year", "'" + r.year + "' is not a year (YYYY)");
    }
  }
  if (!r.mode.empty()) {
    const std::string m = text::ToLowerAscii(r.mode);
    if (m == "in person" || m == "in-person" || m == "in_person") {
      r.mode = "in person";
    } else if (m == "online" || m == "hybrid") {
      r.mode = m;
    } else {
      return Invalid("mode", "unknown mode '" + r.mode + "' (in person, online or hybrid)");
    }
  }
  for (auto [name, out, upper] : {std::tuple{"from", &r.from, false}, std::tuple{"to", &r.to, true}}) {
    if (out->empty()) continue;
    auto d = domain::ReducedDate::Parse(*out);
    if (!d) return Invalid(name, d.status().message());
    *out = (upper ? d->last : d->first).ToIso();
  }
  if (!r.from.empty() && !r.to.empty() && r.to < r.from) {
    return Invalid("to", "ends before from (" + r.from + ")");
  }
  return r;
}

int EntityResults::pages() const {
  return total == 0 ? 1 : (total + request.per_page - 1) / request.per_page;
}

std::string HitKind(const EntityHit& hit) {
  return hit.country ? "country" : std::string(kb::KindName(hit.kind));
}

std::string KindLabel(kb::Kind kind) {
  return kind == kb::Kind::kNewsItem ? "news" : std::string(kb::KindName(kind));
}

namespace {

// The facet filters a request sets, by facet name (empty values included).
using FacetFilters = std::array<std::pair<const char*, const std::string*>, 5>;
FacetFilters FiltersOf(const Request& request) {
  return {{{"kind", &request.kind},
           {"country", &request.country},
           {"project", &request.project},
           {"year", &request.year},
           {"mode", &request.mode}}};
}

// The store query of a request: terms, filters, window, order, page and facets.
Result<store::RecordQuery> QueryOf(const Request& request) {
  if (request.page < 1 || request.per_page < 1 || request.per_page > kMaxPerPage) {
    return InvalidArgument("page and per_page must be positive; per_page at most " +
                           std::to_string(kMaxPerPage));
  }
  store::RecordQuery q;
  q.terms = ParseQuery(request.q);
  const FacetFilters filters = FiltersOf(request);
  for (const auto& [facet, value] : filters) {
    if (!value->empty()) q.filters.emplace_back(facet, *value);
  }
  q.from = request.from;
  q.to = request.to;
  q.order = request.order;
  if (q.terms.empty() && q.order == store::RecordQuery::Order::kRank) {
    q.order = store::RecordQuery::Order::kNewest;
  }
  q.limit = request.per_page;
  q.offset = (request.page - 1) * request.per_page;
  if (request.facets) {
    for (const auto& [facet, value] : filters) q.facets.emplace_back(facet);
    q.facet_limit = request.facet_limit;
  }
  return q;
}

// The store's facet counts as people read them: kinds and countries named, the value a
// filter chose marked (also by its label: a project chosen by name).
std::vector<Facet> Facets(const std::vector<std::pair<std::string, std::vector<store::FacetCount>>>& counted,
                          const FacetFilters& filters, const domain::Gazetteer& gazetteer) {
  std::vector<Facet> out;
  for (const auto& [name, counts] : counted) {
    Facet facet{name, {}};
    const std::string* chosen = nullptr;
    for (const auto& [f, value] : filters) {
      if (name == f) chosen = value;
    }
    for (const store::FacetCount& c : counts) {
      FacetValue v{c.value, c.label.empty() ? c.value : c.label, c.count, false};
      if (name == "kind") {
        const auto kind = kb::KindFromName(c.value);
        v.label = kind ? KindLabel(*kind) : c.value;
      } else if (name == "country") {
        if (const domain::Country* country = gazetteer.ByIso2(c.value)) v.label = country->name_en;
      }
      v.selected = chosen && (text::ToLowerAscii(*chosen) == text::ToLowerAscii(c.value) ||
                              text::ToLowerAscii(*chosen) == text::ToLowerAscii(v.label));
      facet.values.push_back(std::move(v));
    }
    out.push_back(std::move(facet));
  }
  return out;
}

}  // namespace

std::string Unmarked(std::string_view marked) {
  std::string out;
  out.reserve(marked.size());
  for (char c : marked) {
    if (c != store::kMarkOpen && c != store::kMarkClose) out.push_back(c);
  }
  return out;
}

Result<EntityResults> EntitySearcher::Run(const Request& request) {
  auto q = QueryOf(request);
  if (!q) return q.status();
  // The index is asked for what the snapshot's reader may see: a public
  // snapshot's results, total and facet counts hold no restricted entity.
  q->visibility = knowledge_ ? knowledge_->visibility : kb::Visibility::kPublic;
  auto page = store_.FindEntities(*q);
  if (!page) return page.status();

  EntityResults out;
  out.request = request;
  out.total = page->total;
  out.knowledge = knowledge_;
  for (store::EntityHit& h : page->hits) {
    EntityHit hit;
    hit.entity_id = std::move(h.entity_id);
    hit.kind = h.kind;
    hit.country = h.country;
    hit.url = h.country ? "/countries/" + hit.entity_id
                        : "/" + std::string(kb::KindPath(h.kind)) + "/" + hit.entity_id;
    hit.label = std::move(h.label);
    hit.entity = knowledge_ && !hit.country ? knowledge_->Find(hit.entity_id) : nullptr;
    hit.title_marked = h.title_marked.empty() ? hit.label : std::move(h.title_marked);
    hit.snippet = std::move(h.snippet);
    if (hit.snippet.empty() && hit.entity) {
      for (const char* prose : {"body", "scope", "description"}) {
        const std::string text = hit.entity->value(prose);
        if (text.empty()) continue;
        hit.snippet = Excerpt(text, 240);
        break;
      }
    }
    out.hits.push_back(std::move(hit));
  }
  out.facets = Facets(page->facets, FiltersOf(request), gazetteer_);
  return out;
}

}  // namespace octopus::search
