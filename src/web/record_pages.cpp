// Pages, API answers, feeds and exports over the knowledge base's entities:
// news, activities, projects, countries, resources and search. Each handler
// reads its parameters (search::RequestFrom checks them), asks the
// EntitySearcher over one knowledge snapshot, and renders the entities it
// found; nothing here reads or merges records (an old news link by record id
// is only looked up among the claims' sources, to move it).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/csv.h"
#include "core/text.h"
#include "publish/atom.h"
#include "publish/icalendar.h"
#include "publish/markdown.h"
#include "service/treaty_views.h"
#include "web/internal/entity_handlers.h"
#include "web/internal/entity_views.h"
#include "web/internal/record_handlers.h"
#include "web/internal/views.h"
#include "web/templates.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;
using search::EntityHit;
using search::EntityResults;
using Order = store::RecordQuery::Order;

// ---------------------------------------------------------------- requests

Result<search::Request> RequestOf(const Context& c) {
  return search::RequestFrom([&c](std::string_view name) { return c.target.Param(name); },
                             c.registry.gazetteer());
}

Result<EntityResults> Run(Context& c, const search::Request& r) {
  auto kb = c.Knowledge();
  if (!kb) return kb.status();
  search::EntitySearcher s(c.registry.store(), c.registry.gazetteer(), std::move(*kb));
  return s.Run(r);
}

/// Every result of a request, page after page (exports, feeds, sections),
/// with the hits whose entity the snapshot holds.
Result<EntityResults> RunAll(Context& c, search::Request r) {
  r.per_page = search::kMaxPerPage;
  r.facets = false;
  EntityResults all;
  for (r.page = 1;; ++r.page) {
    auto page = Run(c, r);
    if (!page) return page.status();
    if (r.page == 1) {
      all.request = page->request;
      all.total = page->total;
      all.knowledge = page->knowledge;
    }
    for (EntityHit& h : page->hits) {
      if (h.entity && page->knowledge == all.knowledge) all.hits.push_back(std::move(h));
    }
    if (r.page >= page->pages()) break;
  }
  return all;
}

/// A request of one kind with the page's own order.
search::Request Kind(search::Request r, kb::Kind kind, Order order) {
  r.kind = std::string(kb::KindName(kind));
  if (r.q.empty() || order != Order::kRank) r.order = order;
  return r;
}

/// The current path and query with `name` set to `value` (removed when
/// empty); the page number is dropped unless it is what changes.
std::string WithParam(const Context& c, std::string_view name, const std::string& value) {
  std::string query;
  bool placed = false;
  for (const auto& [k, v] : c.target.query) {
    if (k == "page" && name != "page") continue;
    std::string val = v;
    if (k == name) {
      placed = true;
      if (value.empty()) continue;
      val = value;
    }
    query += (query.empty() ? "?" : "&") + PercentEncode(k) + "=" + PercentEncode(val);
  }
  if (!placed && !value.empty()) {
    query += (query.empty() ? "?" : "&") + PercentEncode(name) + "=" + PercentEncode(value);
  }
  return c.target.path + query;
}

/// The query string of the current request with the given parameters only.
std::string SameFilters(const Context& c, std::initializer_list<std::string_view> names) {
  std::string query;
  for (const auto& [k, v] : c.target.query) {
    if (std::find(names.begin(), names.end(), k) == names.end() || v.empty()) continue;
    query += (query.empty() ? "?" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  }
  return query;
}

// ------------------------------------------------------------------ shapes

using text::Join;

std::string CountryName(const Context& c, std::string_view iso2) {
  const domain::Country* country = c.registry.gazetteer().ByIso2(std::string(iso2));
  return country ? country->name_en : std::string(iso2);
}

json CountryLinks(const Context& c, const std::vector<std::string>& codes) {
  json out = json::array();
  for (const auto& code : codes) {
    out.push_back({{"iso2", code},
                   {"name", CountryName(c, code)},
                   {"href", "/countries/" + PercentEncode(code)}});
  }
  return out;
}

/// The entities an entity names in a relation field, by label with links.
json EntityLinks(const kb::KnowledgeBase& kb, const kb::Entity& e, std::string_view field) {
  json out = json::array();
  for (const std::string& id : e.values(field)) {
    const kb::Entity* other = kb.Find(id);
    out.push_back({{"id", id},
                   {"name", other ? other->label : id},
                   {"href", other ? json(other->url()) : json(nullptr)}});
  }
  return out;
}

json TreatyLinks(const Context& c, const std::vector<std::string>& refs) {
  json out = json::array();
  for (const auto& ref : refs) {
    const domain::Treaty* t = c.registry.catalog().Resolve(ref);
    out.push_back({{"ref", ref}, {"href", t ? json("/treaties/" + TreatySlug(*t)) : json(nullptr)}});
  }
  return out;
}

std::string ShowDay(const std::optional<domain::ReducedDate>& d) {
  if (!d) return "";
  switch (d->precision) {
    case domain::Precision::kDay: return d->first.ToLongEnglish();
    case domain::Precision::kMonth:
      return fmt::format("{} {}", domain::MonthName(d->first.month()), d->first.year());
    default: return std::to_string(d->first.year());
  }
}

/// When an entity falls, as people read it: an activity's span with its
/// precision, a project's duration, a news item's date.
std::string When(const kb::Entity& e, const domain::RecordFacts& f) {
  if (e.kind == kb::Kind::kActivity) return domain::DescribeWhen(f);
  std::string when = ShowDay(f.start);
  if (e.kind == kb::Kind::kProject && f.end) when += " \u2013 " + ShowDay(f.end);
  return when;
}

/// The labels of the entities a relation field names.
std::vector<std::string> Labels(const kb::KnowledgeBase& kb, const kb::Entity& e, std::string_view field) {
  std::vector<std::string> out;
  for (const std::string& id : e.values(field)) {
    const kb::Entity* other = kb.Find(id);
    out.push_back(other ? other->label : id);
  }
  return out;
}

/// An entity as a line of a page's list: what every list shows, each item
/// linking to its entity and naming the documents it comes from.
json ItemModel(const Context& c, const kb::KnowledgeBase& kb, const kb::Entity& e) {
  const domain::RecordFacts f = EntityFacts(kb, e);
  const bool activity = e.kind == kb::Kind::kActivity;
  const std::string status = e.value("status");
  json m = {
      {"id", e.id},
      {"kind", std::string(kb::KindName(e.kind))},
      {"kind_label", search::KindLabel(e.kind)},
      {"title", e.label},
      {"href", e.url()},
      {"when", When(e, f)},
      {"fuzzy", activity && f.precision != domain::Precision::kDay},
      {"precision", std::string(domain::PrecisionName(f.precision))},
      {"date", f.sort_date()},
      {"places", Join(f.places, ", ")},
      {"mode", f.mode},
      {"status", status},
      {"countries", CountryLinks(c, e.values("countries"))},
      {"projects", e.kind == kb::Kind::kProject ? json::array() : EntityLinks(kb, e, "projects")},
      {"treaties", TreatyLinks(c, e.values("treaties"))},
      {"anchor", "activity-" + e.id},
      {"sources", SourceDocuments(e)},
  };
  // The line under a title: places, mode, status, countries, projects, each once.
  json meta = json::array();
  auto part = [&](const std::string& text, const json& href) {
    if (!text.empty()) meta.push_back({{"text", text}, {"href", href}, {"first", meta.empty()}});
  };
  part(Join(f.places, ", "), nullptr);
  part(f.mode, nullptr);
  if (activity) part(status, nullptr);
  for (const json& l : m["countries"]) part(l["name"].get<std::string>(), l["href"]);
  for (const json& l : m["projects"]) part(l["name"].get<std::string>(), l["href"]);
  m["meta"] = std::move(meta);
  if (e.kind == kb::Kind::kProject) {
    m["scope"] = e.value("scope");
    m["budget"] = ShowAmount(e.value("budget_amount"), e.value("budget_currency"));
    m["funders"] = Join(Labels(kb, e, "funders"), ", ");
    m["project_countries"] = m["countries"];
  }
  return m;
}

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

/// An entity for the API, the feeds' JSON and the exports: EntityJson (every
/// field with its sources) and, flat, what lists sort and filter by.
json ItemJson(const Context& c, const kb::KnowledgeBase& kb, const kb::Entity& e) {
  const domain::RecordFacts f = EntityFacts(kb, e);
  json j = EntityJson(kb, e, Namer(c));
  j["when"] = OrNull(When(e, f));
  j["start"] = OrNull(e.value(e.kind == kb::Kind::kNewsItem ? "date" : "start"));
  j["end"] = OrNull(e.value("end"));
  j["date_lo"] = f.lo ? json(f.lo->ToIso()) : json(nullptr);
  j["date_hi"] = f.hi ? json(f.hi->ToIso()) : json(nullptr);
  j["precision"] = e.kind == kb::Kind::kActivity ? json(std::string(domain::PrecisionName(f.precision)))
                                                 : json(nullptr);
  j["status"] = OrNull(e.value("status"));
  j["countries"] = e.values("countries");
  j["projects"] = e.values("projects");
  j["sources"] = SourceDocuments(e);
  return j;
}

json HitModel(const Context& c, const kb::KnowledgeBase& kb, const EntityHit& h) {
  // A country's profile (or an entity the snapshot no longer holds): its name and page.
  json m = h.entity ? ItemModel(c, kb, *h.entity)
                    : json{{"id", h.entity_id}, {"kind", search::HitKind(h)},
                           {"kind_label", h.country ? std::string("country") : search::KindLabel(h.kind)},
                           {"title", h.label}, {"href", h.url}, {"when", ""}, {"sources", json::array()}};
  m["title_html"] = MarkedHtml(h.title_marked);
  m["snippet_html"] = MarkedHtml(h.snippet);
  return m;
}

json Pagination(const Context& c, const EntityResults& r) {
  const int page = r.request.page, pages = r.pages();
  return {{"page", page},
          {"pages", pages},
          {"total", r.total},
          {"has_prev", page > 1},
          {"has_next", page < pages},
          {"prev_href", WithParam(c, "page", page > 2 ? std::to_string(page - 1) : "")},
          {"next_href", WithParam(c, "page", std::to_string(page + 1))},
          {"several", pages > 1}};
}

json FacetsModel(const Context& c, const EntityResults& r, std::initializer_list<std::string_view> shown) {
  static const std::map<std::string, std::string, std::less<>> kLabels = {
      {"kind", "Kind"}, {"country", "Country"}, {"project", "Project"}, {"year", "Year"},
      {"mode", "Mode"}};
  json out = json::array();
  for (const search::Facet& f : r.facets) {
    if (std::find(shown.begin(), shown.end(), f.name) == shown.end() || f.values.empty()) continue;
    // The most frequent values first; the rest folded away (and any chosen
    // value always in sight).
    constexpr size_t kShown = 10;
    json values = json::array(), more = json::array();
    for (const search::FacetValue& v : f.values) {
      json value = {{"label", v.label},
                    {"count", v.count},
                    {"selected", v.selected},
                    {"href", WithParam(c, f.name, v.selected ? "" : v.value)}};
      (values.size() < kShown || v.selected ? values : more).push_back(std::move(value));
    }
    out.push_back({{"name", f.name},
                   {"label", kLabels.at(f.name)},
                   {"values", values},
                   {"more", more},
                   {"has_more", !more.empty()},
                   {"more_count", static_cast<int>(more.size())}});
  }
  return out;
}

json FiltersModel(const search::Request& r) {
  json modes = json::array();
  for (const char* mode : {"in person", "online", "hybrid"}) {
    modes.push_back({{"value", mode}, {"selected", r.mode == mode}});
  }
  return {{"q", r.q},       {"country", r.country}, {"project", r.project},
          {"year", r.year}, {"mode", r.mode},       {"modes", modes},
          {"from", r.from.substr(0, 7)}, {"to", r.to.substr(0, 7)}};
}

json ApiFacets(const EntityResults& r) {
  json out = json::object();
  for (const search::Facet& f : r.facets) {
    json values = json::array();
    for (const search::FacetValue& v : f.values) {
      values.push_back(
          {{"value", v.value}, {"label", v.label}, {"count", v.count}, {"selected", v.selected}});
    }
    out[f.name] = std::move(values);
  }
  return out;
}

Response Download(Response r, const std::string& filename) {
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + filename + "\"");
  return r;
}

Response TextBody(std::string content_type, std::string body) {
  Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

json Models(const Context& c, const EntityResults& r) {
  json out = json::array();
  for (const EntityHit& h : r.hits) {
    if (h.entity) out.push_back(ItemModel(c, *r.knowledge, *h.entity));
  }
  return out;
}

json Jsons(const Context& c, const EntityResults& r) {
  json out = json::array();
  for (const EntityHit& h : r.hits) {
    if (h.entity) out.push_back(ItemJson(c, *r.knowledge, *h.entity));
  }
  return out;
}

/// Activities grouped by the month they may start in; undated ones last.
json ByMonth(const Context& c, const EntityResults& r) {
  json months = json::array();
  std::string current;
  for (const EntityHit& h : r.hits) {
    if (!h.entity) continue;
    const domain::RecordFacts f = EntityFacts(*r.knowledge, *h.entity);
    const std::string key = f.lo ? f.lo->ToIso().substr(0, 7) : "tbc";
    if (months.empty() || key != current) {
      current = key;
      const std::string label = f.lo ? fmt::format("{} {}", domain::MonthName(f.lo->month()), f.lo->year())
                                     : "Date to be confirmed";
      months.push_back({{"label", label}, {"key", key}, {"items", json::array()}});
    }
    months.back()["items"].push_back(ItemModel(c, *r.knowledge, *h.entity));
  }
  return months;
}

/// News grouped by year, newest first as given.
json ByYear(const Context& c, const EntityResults& r) {
  json years = json::array();
  int current = -1;
  for (const EntityHit& h : r.hits) {
    if (!h.entity) continue;
    const int year = EntityFacts(*r.knowledge, *h.entity).year();
    if (years.empty() || year != current) {
      current = year;
      years.push_back({{"label", year > 0 ? std::to_string(year) : "Undated"}, {"items", json::array()}});
    }
    years.back()["items"].push_back(HitModel(c, *r.knowledge, h));
  }
  return years;
}

/// The documents an entity comes from, for a CSV cell: "label (lines 12, 40); …".
std::string SourcesCell(const kb::Entity& e) {
  std::vector<std::string> parts;
  for (const json& s : SourceDocuments(e)) {
    parts.push_back(s["document"].get<std::string>() + " (line " + s["lines"].get<std::string>() + ")");
  }
  return Join(parts, "; ");
}

/// A paginated API list of one kind with its facets.
Result<Response> ApiList(Context& c, kb::Kind kind, Order order) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto results = Run(c, Kind(*r, kind, order));
  if (!results) return results.status();
  return JsonResponse({{"total", results->total},
                       {"page", results->request.page},
                       {"per_page", results->request.per_page},
                       {"pages", results->pages()},
                       {"items", Jsons(c, *results)},
                       {"facets", ApiFacets(*results)}});
}

// ------------------------------------------------------------------ lookups

/// An old news link's record id ("/news/12"): the news entity whose claims
/// come from that record, or nullptr.
const kb::Entity* NewsOfRecord(const kb::KnowledgeBase& kb, int64_t record_id) {
  for (const kb::Entity* e : kb.OfKind(kb::Kind::kNewsItem)) {
    for (const kb::Claim& claim : e->claims) {
      if (claim.source.record_id == record_id) return e;
    }
  }
  return nullptr;
}

/// /news/{id} and its API twin: a news entity's id is its page; a record
/// number moves to the entity its record became (301), or is not found.
Result<Response> NewsAnswer(Context& c, const std::string& prefix, bool api) {
  const std::string& text = c.path.at("id");
  int64_t record = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), record);
  if (ec == std::errc() && end == text.data() + text.size()) {
    auto kb = c.Knowledge();
    if (!kb) return kb.status();
    const kb::Entity* e = record > 0 ? NewsOfRecord(**kb, record) : nullptr;
    if (!e) return NotFound("no news item " + text);
    return MovedPermanently(prefix + PercentEncode(e->id));
  }
  return api ? ApiEntity(c, kb::Kind::kNewsItem) : EntityPage(c, kb::Kind::kNewsItem);
}

/// A country's treaty statuses, projects, activities and news.
struct CountryView {
  const domain::Country* country = nullptr;
  json treaties = json::array();
  json sections;  ///< CountrySections: projects and activities
  EntityResults news;
  std::vector<store::ProfileRevision> profile;  ///< newest first
  /// The 24/7 point of contact, for practitioners and above only (the store
  /// gives none for a reader).
  std::optional<store::CountryContact> contact;
};

Result<CountryView> LoadCountry(Context& c) {
  const std::string code = text::ToLowerAscii(c.path.at("iso2"));
  std::string upper = code;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const domain::Country* country = c.registry.gazetteer().ByIso2(upper);
  if (!country) return NotFound("unknown country code '" + c.path.at("iso2") + "'");
  CountryView v;
  v.country = country;
  for (const auto& t : c.registry.catalog().all()) {
    auto a = c.registry.Analyse(t.ref);
    if (!a) return a.status();
    auto data = c.registry.Data(t.ref);
    if (!data) return data.status();
    const json status = service::StatusJson(*a, c.registry.gazetteer(), *data, c.today);
    json row = {{"ref", t.ref},
                {"title", t.short_title.empty() ? t.title : t.short_title},
                {"href", "/treaties/" + TreatySlug(t) + "#state-" + country->iso2},
                {"status", "no action on record"},
                // Unnamed by every source: unknown, unless a complete list covers today.
                {"status_text", a->StatusOf(country->iso2, c.today).text},
                {"signature", nullptr},
                {"consent", nullptr},
                {"kind", nullptr},
                {"entry_into_force", nullptr},
                {"flags", json::array()},
                {"flag_links", json::array()},
                {"on_record", false}};
    for (const json& s : status["states"]) {
      if (s.value("iso2", "") != country->iso2) continue;
      for (const char* key : {"status", "status_text", "signature", "consent", "kind",
                              "entry_into_force"}) {
        row[key] = s[key];
      }
      for (const char* key : {"signature", "consent", "entry_into_force"}) {
        row[std::string(key) + "_shown"] = ShowInterval(s[key]);
      }
      row["flags"] = s["flags"];
      row["flag_links"] = FlagLinks(s["flags"]);
      row["on_record"] = true;
    }
    v.treaties.push_back(std::move(row));
  }
  search::Request r;
  r.country = country->iso2;
  r.facets = false;
  auto news = Run(c, Kind(r, kb::Kind::kNewsItem, Order::kNewest));
  if (!news) return news.status();
  v.news = std::move(*news);
  v.sections = CountrySections(*v.news.knowledge, country->iso2);
  auto profile = c.registry.store().ProfileRevisions(country->iso2);
  if (!profile) return profile.status();
  v.profile = std::move(*profile);
  auto contact = c.registry.store().CountryContactOf(country->iso2, c.Visibility());
  if (!contact) return contact.status();
  v.contact = std::move(*contact);
  return v;
}

/// A point of contact as pages and the API show it, with its source.
json ContactJson(const store::CountryContact& k) {
  return {{"authority", k.authority}, {"unit", k.unit},         {"phone", k.phone},
          {"email", k.email},         {"hours", k.hours},       {"languages", k.languages},
          {"last_verified", k.last_verified},
          {"source", k.source},       {"author", k.author},     {"recorded_at", k.created_at},
          {"restricted", true}};
}

/// "2026-11-29T10:00:00Z" → "29 November 2026"; as given when not a timestamp.
std::string RevisionDate(const std::string& created_at) {
  auto d = domain::Date::Parse(created_at.substr(0, 10));
  return d ? d->ToLongEnglish() : created_at;
}

/// The latest profile revision of a country for the API, or null.
json ProfileJson(const std::vector<store::ProfileRevision>& revisions) {
  if (revisions.empty()) return nullptr;
  const store::ProfileRevision& p = revisions.front();
  return {{"markdown", p.markdown},
          {"html", publish::RenderMarkdown(p.markdown)},
          {"revision", p.number},
          {"revisions", static_cast<int>(revisions.size())},
          {"author", p.author},
          {"note", p.note},
          {"created_at", p.created_at}};
}

/// Every country of the gazetteer with the number of indexed entities naming it.
Result<json> CountryList(Context& c) {
  search::Request r;
  r.per_page = 1;
  r.facet_limit = static_cast<int>(c.registry.gazetteer().all().size());
  auto results = Run(c, r);
  if (!results) return results.status();
  std::map<std::string, int> mentions;
  for (const search::Facet& f : results->facets) {
    if (f.name != "country") continue;
    for (const search::FacetValue& v : f.values) mentions[v.value] = v.count;
  }
  json out = json::array();
  for (const domain::Country& country : c.registry.gazetteer().all()) {
    const auto it = mentions.find(country.iso2);
    out.push_back({{"iso2", country.iso2},
                   {"name", country.name_en},
                   {"href", "/countries/" + country.iso2},
                   {"entities", it == mentions.end() ? 0 : it->second},
                   {"coe_member", country.IsCoeMember(c.today)}});
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return text::FoldKey(a["name"].get<std::string>()) < text::FoldKey(b["name"].get<std::string>());
  });
  return out;
}

/// The resource entities, by title; `q` keeps those the words find.
Result<EntityResults> Resources(Context& c) {
  search::Request r;
  r.q = c.target.Param("q").value_or("");
  if (r.q.size() > 500) return InvalidArgument("q: longer than 500 bytes");
  return RunAll(c, Kind(r, kb::Kind::kResource, Order::kOldest));
}

/// A project the URL names by id is its entity; by any of its names, it moves
/// to its id (301).
Result<Response> ProjectAnswer(Context& c, const std::string& prefix, bool api) {
  auto kb = c.Knowledge();
  if (!kb) return kb.status();
  bool by_name = false;
  const kb::Entity* p = ProjectNamed(**kb, c.path.at("name"), &by_name);
  if (!p) return NotFound("no project named '" + c.path.at("name") + "'");
  if (by_name) return MovedPermanently(prefix + PercentEncode(p->id));
  c.path["id"] = p->id;
  return api ? ApiEntity(c, kb::Kind::kProject) : EntityPage(c, kb::Kind::kProject);
}

}  // namespace

// ------------------------------------------------------------- public bits

std::string MarkedHtml(std::string_view marked) {
  std::string out, part;
  bool open = false;
  for (char ch : marked) {
    const bool opens = ch == store::kMarkOpen, closes = ch == store::kMarkClose;
    if (!opens && !closes) {
      part.push_back(ch);
      continue;
    }
    out += EscapeHtml(part);
    part.clear();
    if (opens != open) out += opens ? "<mark>" : "</mark>";
    open = opens;
  }
  out += EscapeHtml(part);
  if (open) out += "</mark>";
  return out;
}

Status AddRecordsToHome(Context& c, json& model) {
  search::Request news;
  news.per_page = 5;
  news.facets = false;
  auto latest = Run(c, Kind(news, kb::Kind::kNewsItem, Order::kNewest));
  if (!latest) return latest.status();
  search::Request upcoming;
  upcoming.per_page = 5;
  upcoming.facets = false;
  upcoming.from = c.today.ToIso();
  auto next = Run(c, Kind(upcoming, kb::Kind::kActivity, Order::kOldest));
  if (!next) return next.status();
  model["news"] = Models(c, *latest);
  model["has_news"] = !latest->hits.empty();
  model["activities"] = Models(c, *next);
  model["has_activities"] = !next->hits.empty();
  return Status::Ok();
}

// ------------------------------------------------------------------- pages

Result<Response> NewsPage(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  // By year, newest first, even with words to look for (the API ranks them).
  auto results = Run(c, Kind(*r, kb::Kind::kNewsItem, Order::kNewest));
  if (!results) return results.status();
  return c.Page("news", {{"title", "News"},
                         {"filters", FiltersModel(results->request)},
                         {"years", ByYear(c, *results)},
                         {"total", results->total},
                         {"empty", results->hits.empty()},
                         {"facets", FacetsModel(c, *results, {"country", "project", "year"})},
                         {"has_facets", results->total > 0},
                         {"pagination", Pagination(c, *results)},
                         {"atom_href", "/news.atom"},
                         {"api_href", "/api/v1/news" + SameFilters(c, {"q", "country", "project", "year", "page", "per_page"})}});
}

Result<Response> NewsItemPage(Context& c) { return NewsAnswer(c, "/news/", false); }

Result<Response> ActivitiesPage(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  if (!c.target.Param("per_page")) r->per_page = search::kMaxPerPage;
  auto results = Run(c, Kind(*r, kb::Kind::kActivity, Order::kOldest));
  if (!results) return results.status();
  const std::string filters = SameFilters(c, {"project", "country", "mode", "from", "to"});
  return c.Page("activities",
                {{"title", "Activities"},
                 {"filters", FiltersModel(results->request)},
                 {"months", ByMonth(c, *results)},
                 {"total", results->total},
                 {"empty", results->hits.empty()},
                 {"facets", FacetsModel(c, *results, {"project", "country", "mode"})},
                 {"has_facets", results->total > 0},
                 {"pagination", Pagination(c, *results)},
                 {"ics_href", "/activities.ics" + filters},
                 {"csv_href", "/activities.csv" + filters},
                 {"json_href", "/activities.json" + filters},
                 {"api_href", "/api/v1/activities" + filters}});
}

Result<Response> ProjectsPage(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto results = Run(c, Kind(*r, kb::Kind::kProject, Order::kNewest));
  if (!results) return results.status();
  const json projects = Models(c, *results);
  return c.Page("projects", {{"title", "Projects"},
                             {"projects", projects},
                             {"empty", projects.empty()},
                             {"pagination", Pagination(c, *results)}});
}

Result<Response> ProjectPage(Context& c) { return ProjectAnswer(c, "/projects/", false); }

Result<Response> CountriesPage(Context& c) {
  auto list = CountryList(c);
  if (!list) return list.status();
  return c.Page("countries", {{"title", "Countries"}, {"countries", *list}});
}

Result<Response> ApiCountries(Context& c) {
  auto list = CountryList(c);
  if (!list) return list.status();
  const int count = static_cast<int>(list->size());
  return JsonResponse({{"count", count}, {"countries", std::move(*list)}});
}

Result<Response> CountryPage(Context& c) {
  auto v = LoadCountry(c);
  if (!v) return v.status();
  const domain::Country& country = *v->country;
  json model = {{"title", country.name_en},
                {"name", country.name_en},
                {"name_fr", country.name_fr},
                {"iso2", country.iso2},
                {"iso3", country.iso3},
                {"footnote", country.footnote},
                {"coe_member", country.IsCoeMember(c.today)},
                {"today", c.today.ToLongEnglish()},
                {"treaties", v->treaties},
                {"projects", v->sections["projects"]},
                {"has_projects", v->sections["has_projects"]},
                {"activities", v->sections["activities"]},
                {"has_activities", v->sections["has_activities"]},
                {"news", Models(c, v->news)},
                {"has_news", !v->news.hits.empty()},
                {"news_total", v->news.total},
                {"news_href", "/news?country=" + country.iso2},
                {"has_profile", !v->profile.empty()},
                {"profile", nullptr},
                {"api_href", "/api/v1/countries/" + country.iso2},
                {"contact", v->contact ? ContactJson(*v->contact) : json(nullptr)},
                {"contact_edit_href", auth::Allows(c.principal.role, auth::Role::kEditor)
                                          ? json("/countries/" + country.iso2 + "/contact")
                                          : json(nullptr)}};
  if (!v->profile.empty()) {
    const store::ProfileRevision& p = v->profile.front();
    // Unescaped in the template: the renderer's safe mode strips raw HTML and
    // dangerous link targets.
    model["profile"] = {{"html", publish::RenderMarkdown(p.markdown)},
                        {"revision", p.number},
                        {"revisions", static_cast<int>(v->profile.size())},
                        {"author", p.author},
                        {"date", RevisionDate(p.created_at)},
                        {"history_href", "/countries/" + country.iso2 + "/history"}};
  }
  return c.Page("country", std::move(model));
}

Result<Response> ResourcesPage(Context& c) {
  auto resources = Resources(c);
  if (!resources) return resources.status();
  const std::string q = resources->request.q;
  const json items = Models(c, *resources);
  return c.Page("resources", {{"title", q.empty() ? std::string("Resources") : "Resources: " + q},
                              {"q", q},
                              {"resources", items},
                              {"empty", items.empty()},
                              {"api_href", "/api/v1/resources" + SameFilters(c, {"q"})}});
}

Result<Response> ApiResources(Context& c) {
  auto resources = Resources(c);
  if (!resources) return resources.status();
  const json items = Jsons(c, *resources);
  const int count = static_cast<int>(items.size());
  return JsonResponse({{"q", resources->request.q}, {"count", count}, {"resources", items}});
}

Result<Response> CountryHistoryPage(Context& c) {
  const std::string code = c.path.at("iso2");
  std::string upper = code;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const domain::Country* country = c.registry.gazetteer().ByIso2(upper);
  if (!country) return NotFound("unknown country code '" + code + "'");
  auto profile = c.registry.store().ProfileRevisions(country->iso2);
  if (!profile) return profile.status();
  json revisions = json::array();
  for (const store::ProfileRevision& p : *profile) {
    revisions.push_back({{"revision", p.number},
                         {"author", p.author},
                         {"note", p.note},
                         {"date", RevisionDate(p.created_at)},
                         {"created_at", p.created_at},
                         {"latest", p.number == static_cast<int>(profile->size())}});
  }
  return c.Page("country_history",
                {{"title", country->name_en + " profile history"},
                 {"name", country->name_en},
                 {"iso2", country->iso2},
                 {"country_href", "/countries/" + country->iso2},
                 {"revisions", std::move(revisions)},
                 {"has_revisions", !profile->empty()}});
}

Result<Response> SearchPage(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto results = Run(c, *r);
  if (!results) return results.status();
  json hits = json::array();
  for (const EntityHit& h : results->hits) hits.push_back(HitModel(c, *results->knowledge, h));
  return c.Page("search",
                {{"title", r->q.empty() ? std::string("Search") : "Search: " + r->q},
                 {"q", r->q},
                 {"results", hits},
                 {"total", results->total},
                 {"asked", !r->q.empty()},
                 {"empty", hits.empty()},
                 {"facets", FacetsModel(c, *results, {"kind", "country", "project", "year", "mode"})},
                 {"has_facets", results->total > 0},
                 {"pagination", Pagination(c, *results)},
                 {"api_href", "/api/v1/search" + SameFilters(c, {"q", "kind", "country", "project", "year", "mode", "page", "per_page"})}});
}

// --------------------------------------------------------------------- API

Result<Response> ApiNews(Context& c) { return ApiList(c, kb::Kind::kNewsItem, Order::kRank); }

Result<Response> ApiNewsItem(Context& c) { return NewsAnswer(c, "/api/v1/news/", true); }

Result<Response> ApiActivities(Context& c) { return ApiList(c, kb::Kind::kActivity, Order::kOldest); }

Result<Response> ApiProjects(Context& c) { return ApiList(c, kb::Kind::kProject, Order::kNewest); }

Result<Response> ApiProject(Context& c) { return ProjectAnswer(c, "/api/v1/projects/", true); }

Result<Response> ApiCountry(Context& c) {
  auto v = LoadCountry(c);
  if (!v) return v.status();
  const domain::Country& country = *v->country;
  json treaties = v->treaties;
  for (json& t : treaties) {
    for (const char* key :
         {"on_record", "signature_shown", "consent_shown", "entry_into_force_shown", "flag_links"}) {
      t.erase(key);
    }
  }
  json news = json::array();
  for (const EntityHit& h : v->news.hits) {
    if (h.entity) news.push_back(EntitySummary(*h.entity));
  }
  return JsonResponse({{"iso2", country.iso2},
                       {"iso3", country.iso3},
                       {"name", country.name_en},
                       {"name_fr", country.name_fr},
                       {"coe_member", country.IsCoeMember(c.today)},
                       {"footnote", country.footnote.empty() ? json(nullptr) : json(country.footnote)},
                       {"as_of", c.today.ToIso()},
                       {"treaties", treaties},
                       {"projects", v->sections["projects"]},
                       {"activities", v->sections["activities"]},
                       {"news", std::move(news)},
                       {"news_total", v->news.total},
                       {"profile", ProfileJson(v->profile)},
                       // Present for practitioners and above only.
                       {"contact", v->contact ? ContactJson(*v->contact) : json(nullptr)}});
}

Result<Response> ApiSearch(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto results = Run(c, *r);
  if (!results) return results.status();
  json hits = json::array();
  for (const EntityHit& h : results->hits) {
    const std::string date =
        h.entity ? EntityFacts(*results->knowledge, *h.entity).sort_date() : std::string();
    hits.push_back({{"kind", search::HitKind(h)},
                    {"id", h.entity_id},
                    {"title", h.label},
                    {"url", h.url},
                    {"snippet", search::Unmarked(h.snippet)},
                    {"snippet_html", MarkedHtml(h.snippet)},
                    {"date", OrNull(date)},
                    {"sources", h.entity ? SourceDocuments(*h.entity) : json::array()}});
  }
  return JsonResponse({{"q", r->q},
                       {"total", results->total},
                       {"page", r->page},
                       {"per_page", r->per_page},
                       {"pages", results->pages()},
                       {"results", hits},
                       {"facets", ApiFacets(*results)}});
}

// ------------------------------------------------------ feeds and exports

Result<Response> NewsAtom(Context& c) {
  search::Request r;
  r.per_page = 50;
  r.facets = false;
  auto results = Run(c, Kind(r, kb::Kind::kNewsItem, Order::kNewest));
  if (!results) return results.status();
  publish::AtomFeed feed;
  feed.id = "tag:octopus,2009:news";
  feed.title = "Octopus: news";
  feed.self_link = "/news.atom";
  feed.alternate_link = "/news";
  for (const EntityHit& h : results->hits) {
    if (!h.entity) continue;
    const kb::Entity& n = *h.entity;
    const domain::RecordFacts f = EntityFacts(*results->knowledge, n);
    publish::AtomEntry e;
    e.id = "tag:octopus,2009:news/" + n.id;
    e.title = n.label;
    e.link = n.url();
    e.updated = f.lo ? publish::AtomDate(f.lo->ToIso()) : "";
    e.summary = n.value("body");
    for (const std::string& p : Labels(*results->knowledge, n, "projects")) e.categories.push_back(p);
    for (const std::string& code : n.values("countries")) e.categories.push_back(CountryName(c, code));
    feed.entries.push_back(std::move(e));
  }
  return TextBody("application/atom+xml; charset=utf-8", publish::RenderAtom(feed));
}

Result<Response> ActivitiesIcs(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto all = RunAll(c, Kind(*r, kb::Kind::kActivity, Order::kOldest));
  if (!all) return all.status();
  publish::Calendar cal;
  cal.name = "Octopus: activities";
  cal.stamp = fmt::format("{:04d}{:02d}{:02d}T000000Z", c.today.year(), c.today.month(), c.today.day());
  int undated = 0;
  for (const EntityHit& h : all->hits) {
    const kb::Entity& a = *h.entity;
    auto e = publish::ActivityEvent(0, EntityFacts(*all->knowledge, a), "");
    if (!e) {
      ++undated;
      continue;
    }
    e->uid = "activity-" + a.id + "@octopus";
    // Only planned (or moved to a date not yet held) is tentative; cancelled says so.
    const std::string status = a.value("status");
    e->tentative = e->tentative || status == "planned" || status == "postponed";
    e->cancelled = status == "cancelled";
    if (!status.empty()) e->description += "\nStatus: " + status + ".";
    cal.events.push_back(std::move(*e));
  }
  cal.description =
      "Activities of the capacity-building projects. Dates less precise than a day span every "
      "day they may cover and say so in brackets.";
  if (undated > 0) {
    cal.description += fmt::format(" {} activit{} without any date (TBC) {} left out; see /activities.",
                                   undated, undated == 1 ? "y" : "ies", undated == 1 ? "is" : "are");
  }
  return Download(TextBody("text/calendar; charset=utf-8", publish::RenderICalendar(cal)),
                  "activities.ics");
}

Result<Response> ActivitiesCsv(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto all = RunAll(c, Kind(*r, kb::Kind::kActivity, Order::kOldest));
  if (!all) return all.status();
  std::string table = csv::Record({"id", "title", "projects", "places", "countries", "mode", "start", "end",
                            "precision", "when", "date_lo", "date_hi", "status", "url", "sources"});
  for (const EntityHit& h : all->hits) {
    const kb::Entity& a = *h.entity;
    const domain::RecordFacts f = EntityFacts(*all->knowledge, a);
    table += csv::Record({a.id, a.label, Join(Labels(*all->knowledge, a, "projects"), "; "),
                   Join(f.places, "; "), Join(a.values("countries"), "; "), f.mode, a.value("start"),
                   a.value("end"), std::string(domain::PrecisionName(f.precision)),
                   domain::DescribeWhen(f), f.lo ? f.lo->ToIso() : "", f.hi ? f.hi->ToIso() : "",
                   a.value("status"), a.url(), SourcesCell(a)});
  }
  return Download(TextBody("text/csv; charset=utf-8", std::move(table)), "activities.csv");
}

Result<Response> ActivitiesJson(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto all = RunAll(c, Kind(*r, kb::Kind::kActivity, Order::kOldest));
  if (!all) return all.status();
  return Download(JsonResponse({{"count", all->hits.size()}, {"activities", Jsons(c, *all)}}, 200, true),
                  "activities.json");
}

Result<Response> ProjectsCsv(Context& c) {
  auto all = RunAll(c, Kind({}, kb::Kind::kProject, Order::kNewest));
  if (!all) return all.status();
  std::string table = csv::Record({"id", "name", "start", "end", "scope", "budget_amount", "budget_currency",
                            "funders", "countries", "url", "sources"});
  for (const EntityHit& h : all->hits) {
    const kb::Entity& p = *h.entity;
    table += csv::Record({p.id, p.label, p.value("start"), p.value("end"), p.value("scope"),
                   p.value("budget_amount"), p.value("budget_currency"),
                   Join(Labels(*all->knowledge, p, "funders"), "; "), Join(p.values("countries"), "; "),
                   p.url(), SourcesCell(p)});
  }
  return Download(TextBody("text/csv; charset=utf-8", std::move(table)), "projects.csv");
}

Result<Response> ProjectsJson(Context& c) {
  auto all = RunAll(c, Kind({}, kb::Kind::kProject, Order::kNewest));
  if (!all) return all.status();
  const json projects = Jsons(c, *all);
  const int count = static_cast<int>(projects.size());
  return Download(JsonResponse({{"count", count}, {"projects", projects}}, 200, true),
                  "projects.json");
}

}  // namespace octopus::web::internal

namespace octopus::web::internal {

Result<Response> Sitemap(Context& c) {
  // The same for everyone, whoever asks: public pages only.
  auto kb = c.PublicKnowledge();
  if (!kb) return kb.status();
  // Locations are absolute: the site's base URL, else the host asked (so the
  // route is not cached: a Host header never reaches another client).
  const std::string base = [&] {
    std::string b = c.accounts.base_url;
    if (b.empty()) {
      const auto host = c.headers.find("host");
      if (host != c.headers.end()) b = "http://" + host->second;
    }
    while (!b.empty() && b.back() == '/') b.pop_back();
    return b;
  }();
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  auto add = [&](const std::string& path) {
    xml += "  <url><loc>" + publish::XmlText(base + path) + "</loc></url>\n";
  };
  for (const char* path : {"/", "/treaties", "/news", "/activities", "/projects", "/countries",
                           "/resources", "/updates"}) {
    add(path);
  }
  for (const domain::Country& country : c.registry.gazetteer().all()) add("/countries/" + country.iso2);
  for (const kb::Entity& e : (*kb)->entities) {
    if (e.kind == kb::Kind::kContribution) continue;
    add("/" + std::string(kb::KindPath(e.kind)) + "/" + PercentEncode(e.id));
  }
  xml += "</urlset>\n";
  return TextBody("application/xml; charset=utf-8", std::move(xml));
}

}  // namespace octopus::web::internal
