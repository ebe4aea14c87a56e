// Pages, API answers, feeds and exports over the ingested records. Each
// handler reads its parameters (search::RequestFrom checks them), asks the
// Searcher or the store, and renders.
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
#include "web/internal/record_handlers.h"
#include "web/internal/views.h"
#include "web/templates.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;
using search::Hit;
using search::Results;
using Order = store::RecordQuery::Order;

// ---------------------------------------------------------------- requests

Result<search::Request> RequestOf(const Context& c) {
  return search::RequestFrom([&c](std::string_view name) { return c.target.Param(name); },
                             c.registry.gazetteer());
}

Result<Results> Run(Context& c, const search::Request& r) {
  search::Searcher s(c.registry.store(), c.registry.gazetteer());
  return s.Run(r);
}

/// Every result of a request, page after page (exports and feeds).
Result<std::vector<Hit>> RunAll(Context& c, search::Request r) {
  r.per_page = search::kMaxPerPage;
  r.facets = false;
  std::vector<Hit> all;
  for (r.page = 1;; ++r.page) {
    auto page = Run(c, r);
    if (!page) return page.status();
    for (Hit& h : page->hits) all.push_back(std::move(h));
    if (r.page >= page->pages()) break;
  }
  return all;
}

/// A request of one kind with the page's own order and page size.
search::Request Kind(search::Request r, const char* kind, Order order) {
  r.kind = kind;
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

Result<int64_t> IdParam(const Context& c) {
  const std::string& text = c.path.at("id");
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1) {
    return InvalidArgument("id: '" + text + "' is not a record number");
  }
  return id;
}

// ------------------------------------------------------------------ shapes

using text::Join;

std::string CountryName(const Context& c, const std::string& iso2) {
  const domain::Country* country = c.registry.gazetteer().ByIso2(iso2);
  return country ? country->name_en : iso2;
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

json ProjectLinks(const std::vector<std::string>& names) {
  json out = json::array();
  for (const auto& name : names) {
    out.push_back({{"name", name}, {"href", "/projects/" + PercentEncode(name)}});
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

/// "EUR 18,890,000", or "" when the amount is not given.
std::string Budget(const json& fields) {
  const auto amount = fields.find("budget_amount");
  if (amount == fields.end() || !amount->is_number()) return "";
  const auto whole = static_cast<long long>(amount->get<double>());
  std::string digits = std::to_string(whole), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  const auto currency = fields.find("budget_currency");
  return currency != fields.end() && currency->is_string()
             ? currency->get<std::string>() + " " + grouped
             : grouped;
}

json Fields(const store::RecordRow& r) {
  json j = json::parse(r.fields_json, nullptr, false);
  return j.is_object() ? j : json::object();
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

/// A record for a template: what every list shows.
json RecordModel(const Context& c, const store::RecordRow& r, const domain::RecordFacts& f) {
  const bool fuzzy = f.kind == "activity" && f.precision != domain::Precision::kDay;
  std::string when = f.kind == "activity" ? domain::DescribeWhen(f) : ShowDay(f.start);
  if (f.kind == "project") {
    when = ShowDay(f.start);
    if (f.end) when += " \u2013 " + ShowDay(f.end);
  }
  json m = {
      {"id", static_cast<int>(r.id)},
      {"kind", f.kind},
      {"kind_label", domain::KindLabel(f.kind)},
      {"title", f.title},
      {"href", RecordUrl(r, f)},
      {"when", when},
      {"fuzzy", fuzzy},
      {"precision", std::string(domain::PrecisionName(f.precision))},
      {"date", f.sort_date()},
      {"places", Join(f.places, ", ")},
      {"mode", f.mode},
      {"countries", CountryLinks(c, f.countries)},
      {"projects", ProjectLinks(f.kind == "project" ? std::vector<std::string>{} : f.projects)},
      {"treaties", TreatyLinks(c, f.treaties)},
      {"anchor", "activity-" + std::to_string(r.id)},
  };
  // The line under a title: places, mode, countries, projects, each once.
  json meta = json::array();
  auto part = [&](const std::string& text, const json& href) {
    if (!text.empty()) meta.push_back({{"text", text}, {"href", href}, {"first", meta.empty()}});
  };
  part(Join(f.places, ", "), nullptr);
  part(f.mode, nullptr);
  for (const json& l : m["countries"]) part(l["name"].get<std::string>(), l["href"]);
  for (const json& l : m["projects"]) part(l["name"].get<std::string>(), l["href"]);
  m["meta"] = std::move(meta);
  if (f.kind == "project") {
    const json fields = Fields(r);
    m["scope"] = fields.value("scope", json(nullptr)).is_string() ? fields["scope"] : json("");
    m["budget"] = Budget(fields);
    std::vector<std::string> funders;
    if (fields.contains("funders") && fields["funders"].is_array()) {
      for (const auto& x : fields["funders"]) {
        if (x.is_string()) funders.push_back(x.get<std::string>());
      }
    }
    m["funders"] = Join(funders, ", ");
    m["project_countries"] = CountryLinks(c, f.countries);
  }
  return m;
}

/// One project as the documents describe it. The same project is often
/// described more than once (in the inventory and in its own update): its
/// records are merged, the first value given for each field kept and lists
/// united.
struct Project {
  std::string name;
  json fields = json::object();
  std::vector<int64_t> records;
  domain::RecordFacts facts;
};

std::vector<Project> MergeProjects(const std::vector<Hit>& hits) {
  // Projects in the order the hits give them; each one's records in the
  // order they were stored.
  std::vector<Project> out;
  std::vector<std::vector<const Hit*>> members;
  for (const Hit& h : hits) {
    const std::string key = text::ToLowerAscii(h.facts.title);
    size_t i = 0;
    while (i < out.size() && text::ToLowerAscii(out[i].name) != key) ++i;
    if (i == out.size()) {
      Project p;
      p.name = h.facts.title;
      out.push_back(std::move(p));
      members.emplace_back();
    }
    members[i].push_back(&h);
  }
  for (size_t i = 0; i < out.size(); ++i) {
    Project& p = out[i];
    std::sort(members[i].begin(), members[i].end(),
              [](const Hit* a, const Hit* b) { return a->record.id < b->record.id; });
    for (const Hit* h : members[i]) {
      p.records.push_back(h->record.id);
      const json fields = Fields(h->record);
      for (const auto& [k, v] : fields.items()) {
        json& have = p.fields[k];
        if (have.is_null() || (have.is_string() && have.get<std::string>().empty())) {
          have = v;
        } else if (have.is_array() && v.is_array()) {
          for (const json& x : v) {
            if (std::find(have.begin(), have.end(), x) == have.end()) have.push_back(x);
          }
        }
      }
    }
    auto facts = domain::ReadRecord("project", p.fields.dump());
    if (facts) p.facts = std::move(*facts);
  }
  return out;
}

std::vector<std::string> Strings(const json& fields, const char* key) {
  std::vector<std::string> out;
  const auto it = fields.find(key);
  if (it == fields.end() || !it->is_array()) return out;
  for (const json& x : *it) {
    if (x.is_string()) out.push_back(x.get<std::string>());
  }
  return out;
}

std::string ProjectUrl(const std::string& name) { return "/projects/" + PercentEncode(name); }

json ProjectModel(const Context& c, const Project& p) {
  const domain::RecordFacts& f = p.facts;
  std::string when = ShowDay(f.start);
  if (f.end) when += " \u2013 " + ShowDay(f.end);
  const auto scope = p.fields.find("scope");
  return {{"title", p.name},
          {"href", ProjectUrl(p.name)},
          {"when", when},
          {"scope", scope != p.fields.end() && scope->is_string() ? scope->get<std::string>() : ""},
          {"budget", Budget(p.fields)},
          {"funders", Join(Strings(p.fields, "funders"), ", ")},
          {"project_countries", CountryLinks(c, f.countries)},
          {"described", static_cast<int>(p.records.size())},
          {"several_records", p.records.size() > 1}};
}

json ProjectJson(const Project& p) {
  json j = p.fields;
  j["name"] = p.name;
  j["url"] = ProjectUrl(p.name);
  j["records"] = p.records;
  return j;
}

json HitModel(const Context& c, const Hit& h) {
  json m = RecordModel(c, h.record, h.facts);
  m["title_html"] = MarkedHtml(h.title_marked);
  m["snippet_html"] = MarkedHtml(h.snippet);
  return m;
}

/// A record for the API: its stored fields, with where it is and comes from.
json RecordJson(const store::RecordRow& r, const domain::RecordFacts& f) {
  json j = Fields(r);
  j["id"] = r.id;
  j["kind"] = r.kind;
  j["url"] = RecordUrl(r, f);
  j["document_id"] = r.document_id;
  j["line"] = r.line;
  if (r.kind == "activity") {
    j["when"] = domain::DescribeWhen(f);
    j["date_lo"] = f.lo ? json(f.lo->ToIso()) : json(nullptr);
    j["date_hi"] = f.hi ? json(f.hi->ToIso()) : json(nullptr);
  }
  return j;
}

json Pagination(const Context& c, const Results& r) {
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

json FacetsModel(const Context& c, const Results& r, std::initializer_list<std::string_view> shown) {
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

json ApiList(const Results& r, const char* key) {
  json items = json::array();
  for (const Hit& h : r.hits) items.push_back(RecordJson(h.record, h.facts));
  return {{"total", r.total},
          {"page", r.request.page},
          {"per_page", r.request.per_page},
          {"pages", r.pages()},
          {key, std::move(items)}};
}

json ApiFacets(const Results& r) {
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

// ------------------------------------------------------------------ lookups

/// The news item {id} and its record; NotFound for another kind or none.
struct NewsItem {
  store::RecordRow record;
  domain::RecordFacts facts;
  store::DocumentRow document;
  std::vector<store::RecordRow> related;  ///< records under it in its document
};

Result<NewsItem> LoadNewsItem(Context& c) {
  auto id = IdParam(c);
  if (!id) return id.status();
  auto record = c.registry.store().Record(*id);
  if (!record) {
    if (record.status().code() == StatusCode::kNotFound) return NotFound("no news item " + std::to_string(*id));
    return record.status();
  }
  if (record->kind != "news_item") return NotFound("no news item " + std::to_string(*id));
  auto facts = domain::ReadRecord(record->kind, record->fields_json);
  if (!facts) return facts.status();
  auto document = c.registry.store().Document(record->document_id);
  if (!document) return document.status();
  auto siblings = c.registry.store().DocumentRecords(record->document_id);
  if (!siblings) return siblings.status();
  // The records extracted from the item's own lines: after it, up to the next item.
  std::vector<store::RecordRow> related;
  for (const store::RecordRow& r : *siblings) {
    if (r.line < record->line || r.id == record->id) continue;
    if (r.kind == "news_item") {
      if (r.line > record->line) break;
      continue;
    }
    related.push_back(r);
  }
  return NewsItem{std::move(*record), std::move(*facts), std::move(*document), std::move(related)};
}

json NewsItemJson(const NewsItem& n) {
  json j = RecordJson(n.record, n.facts);
  j["document"] = {{"id", n.document.id},
                   {"path", n.document.path},
                   {"format", n.document.format},
                   {"shape", n.document.shape},
                   {"period_start", n.document.period_start ? json(*n.document.period_start) : json(nullptr)},
                   {"period_end", n.document.period_end ? json(*n.document.period_end) : json(nullptr)},
                   {"date", n.document.date ? json(*n.document.date) : json(nullptr)},
                   {"date_basis", n.document.date_basis.empty() ? json(nullptr) : json(n.document.date_basis)},
                   {"source_url", n.document.source_url.empty() ? json(nullptr) : json(n.document.source_url)}};
  json related = json::array();
  for (const store::RecordRow& r : n.related) {
    json f = Fields(r);
    related.push_back({{"id", r.id}, {"kind", r.kind}, {"line", r.line}, {"fields", f}});
  }
  j["records"] = std::move(related);
  return j;
}

/// Everything known about a project named {name}.
struct ProjectView {
  std::optional<Project> project;
  std::vector<Hit> activities, news;
};

Result<ProjectView> LoadProject(Context& c) {
  const std::string& name = c.path.at("name");
  search::Request r;
  r.project = name;
  r.facets = false;
  ProjectView v;
  auto project = RunAll(c, Kind(r, "project", Order::kNewest));
  if (!project) return project.status();
  std::vector<Project> merged = MergeProjects(*project);
  if (!merged.empty()) v.project = std::move(merged.front());
  auto activities = RunAll(c, Kind(r, "activity", Order::kOldest));
  if (!activities) return activities.status();
  v.activities = std::move(*activities);
  auto news = Run(c, Kind(r, "news_item", Order::kNewest));
  if (!news) return news.status();
  v.news = std::move(news->hits);
  if (!v.project && v.activities.empty() && v.news.empty()) {
    return NotFound("no project named '" + name + "'");
  }
  return v;
}

/// A country's treaty statuses, projects, activities and news.
struct CountryView {
  const domain::Country* country = nullptr;
  json treaties = json::array();
  std::vector<Hit> projects, activities, news;
  int news_total = 0;
  std::vector<store::ProfileRevision> profile;  ///< newest first
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
  auto projects = RunAll(c, Kind(r, "project", Order::kNewest));
  if (!projects) return projects.status();
  v.projects = std::move(*projects);
  auto activities = RunAll(c, Kind(r, "activity", Order::kOldest));
  if (!activities) return activities.status();
  v.activities = std::move(*activities);
  auto news = Run(c, Kind(r, "news_item", Order::kNewest));
  if (!news) return news.status();
  v.news = std::move(news->hits);
  v.news_total = news->total;
  auto profile = c.registry.store().ProfileRevisions(country->iso2);
  if (!profile) return profile.status();
  v.profile = std::move(*profile);
  return v;
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

json Models(const Context& c, const std::vector<Hit>& hits) {
  json out = json::array();
  for (const Hit& h : hits) out.push_back(RecordModel(c, h.record, h.facts));
  return out;
}

json Jsons(const std::vector<Hit>& hits) {
  json out = json::array();
  for (const Hit& h : hits) out.push_back(RecordJson(h.record, h.facts));
  return out;
}

/// Activities grouped by the month they start in; undated ones last.
json ByMonth(const Context& c, const std::vector<Hit>& hits) {
  json months = json::array();
  std::string current;
  for (const Hit& h : hits) {
    const std::string key = h.facts.lo ? h.facts.lo->ToIso().substr(0, 7) : "tbc";
    if (months.empty() || key != current) {
      current = key;
      const std::string label =
          h.facts.lo ? fmt::format("{} {}", domain::MonthName(h.facts.lo->month()), h.facts.lo->year())
                     : "Date to be confirmed";
      months.push_back({{"label", label}, {"key", key}, {"items", json::array()}});
    }
    months.back()["items"].push_back(RecordModel(c, h.record, h.facts));
  }
  return months;
}

/// News grouped by year, newest first as given.
json ByYear(const Context& c, const std::vector<Hit>& hits) {
  json years = json::array();
  int current = -1;
  for (const Hit& h : hits) {
    const int year = h.facts.year();
    if (years.empty() || year != current) {
      current = year;
      years.push_back({{"label", year > 0 ? std::to_string(year) : "Undated"}, {"items", json::array()}});
    }
    json m = RecordModel(c, h.record, h.facts);
    m["title_html"] = MarkedHtml(h.title_marked);
    m["snippet_html"] = MarkedHtml(h.snippet);
    years.back()["items"].push_back(std::move(m));
  }
  return years;
}

std::string Opt(const std::optional<domain::ReducedDate>& d) { return d ? d->text : ""; }

/// One page of the merged projects, with the request's page and per_page.
struct ProjectsPageData {
  Results results;  ///< total and request for the pagination; no hits
  std::vector<Project> projects;
};

Result<ProjectsPageData> ProjectsPageOf(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto hits = RunAll(c, Kind(*r, "project", Order::kNewest));
  if (!hits) return hits.status();
  std::vector<Project> all = MergeProjects(*hits);
  ProjectsPageData out;
  out.results.request = *r;
  out.results.total = static_cast<int>(all.size());
  const size_t from = static_cast<size_t>(r->page - 1) * static_cast<size_t>(r->per_page);
  for (size_t i = from; i < all.size() && i < from + static_cast<size_t>(r->per_page); ++i) {
    out.projects.push_back(std::move(all[i]));
  }
  return out;
}

}  // namespace

// ------------------------------------------------------------- public bits

std::string RecordUrl(const store::RecordRow& record, const domain::RecordFacts& facts) {
  if (record.kind == "news_item") return "/news/" + std::to_string(record.id);
  if (record.kind == "project") return "/projects/" + PercentEncode(facts.title);
  if (record.kind == "activity") {
    std::string url = "/activities";
    if (facts.lo) {
      const std::string month = facts.lo->ToIso().substr(0, 7);
      url += "?from=" + month + "&to=" + month;
    }
    return url + "#activity-" + std::to_string(record.id);
  }
  return "";
}

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
  auto latest = Run(c, Kind(news, "news_item", Order::kNewest));
  if (!latest) return latest.status();
  search::Request upcoming;
  upcoming.per_page = 5;
  upcoming.facets = false;
  upcoming.from = c.today.ToIso();
  auto next = Run(c, Kind(upcoming, "activity", Order::kOldest));
  if (!next) return next.status();
  model["news"] = Models(c, latest->hits);
  model["has_news"] = !latest->hits.empty();
  model["activities"] = Models(c, next->hits);
  model["has_activities"] = !next->hits.empty();
  return Status::Ok();
}

// ------------------------------------------------------------------- pages

Result<Response> NewsPage(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  // By year, newest first, even with words to look for (the API ranks them).
  auto results = Run(c, Kind(*r, "news_item", Order::kNewest));
  if (!results) return results.status();
  return c.Page("news", {{"title", "News"},
                         {"filters", FiltersModel(results->request)},
                         {"years", ByYear(c, results->hits)},
                         {"total", results->total},
                         {"empty", results->hits.empty()},
                         {"facets", FacetsModel(c, *results, {"country", "project", "year"})},
                         {"has_facets", results->total > 0},
                         {"pagination", Pagination(c, *results)},
                         {"atom_href", "/news.atom"},
                         {"api_href", "/api/v1/news" + SameFilters(c, {"q", "country", "project", "year", "page", "per_page"})}});
}

Result<Response> NewsItemPage(Context& c) {
  auto n = LoadNewsItem(c);
  if (!n) return n.status();
  json item = RecordModel(c, n->record, n->facts);
  const json fields = Fields(n->record);
  // The body as the source wrote it, one paragraph per blank-line-separated block.
  json paragraphs = json::array();
  if (fields.contains("body") && fields["body"].is_string()) {
    std::string block;
    for (const std::string& line : text::Split(fields["body"].get<std::string>(), '\n')) {
      if (text::Trim(line).empty()) {
        if (!block.empty()) paragraphs.push_back(std::move(block));
        block.clear();
      } else {
        block += (block.empty() ? "" : " ") + std::string(text::Trim(line));
      }
    }
    if (!block.empty()) paragraphs.push_back(std::move(block));
  }
  item["paragraphs"] = std::move(paragraphs);
  domain::RecordFacts event;
  event.kind = "activity";
  for (const auto& [key, out] : {std::pair{"event_start", &event.start}, std::pair{"event_end", &event.end}}) {
    if (fields.contains(key) && fields[key].is_string()) {
      auto d = domain::ReducedDate::Parse(fields[key].get<std::string>());
      if (d) *out = *d;
    }
  }
  item["event_when"] = event.start ? domain::DescribeWhen(event) : "";
  const json event_place = fields.value("event_place", json(""));
  item["event_place"] = event_place.is_string() ? event_place : json("");
  json related = json::array();
  for (const store::RecordRow& r : n->related) {
    auto facts = domain::ReadRecord(r.kind, r.fields_json);
    related.push_back({{"kind", domain::KindLabel(r.kind)},
                       {"title", facts ? facts->title : std::string("(fields not readable)")},
                       {"line", r.line}});
  }
  const store::DocumentRow& d = n->document;
  return c.Page("news_item",
                {{"title", n->facts.title},
                 {"item", item},
                 {"document", {{"path", d.path}, {"format", d.format}, {"shape", d.shape},
                               {"period_start", d.period_start.value_or("")},
                               {"period_end", d.period_end.value_or("")},
                               {"date", d.date.value_or("")},
                               // The citable source is where the document was published, when
                               // known; the local path says only where it was read from.
                               {"has_source_url", text::StartsWith(d.source_url, "https://") ||
                                                      text::StartsWith(d.source_url, "http://")},
                               {"source_url", d.source_url}}},
                 {"line", n->record.line},
                 {"related", related},
                 {"has_related", !related.empty()},
                 {"api_href", "/api/v1/news/" + std::to_string(n->record.id)}});
}

Result<Response> ActivitiesPage(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  if (!c.target.Param("per_page")) r->per_page = search::kMaxPerPage;
  auto results = Run(c, Kind(*r, "activity", Order::kOldest));
  if (!results) return results.status();
  const std::string filters = SameFilters(c, {"project", "country", "mode", "from", "to"});
  return c.Page("activities",
                {{"title", "Activities"},
                 {"filters", FiltersModel(results->request)},
                 {"months", ByMonth(c, results->hits)},
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
  auto page = ProjectsPageOf(c);
  if (!page) return page.status();
  json projects = json::array();
  for (const Project& p : page->projects) projects.push_back(ProjectModel(c, p));
  return c.Page("projects", {{"title", "Projects"},
                             {"projects", projects},
                             {"empty", projects.empty()},
                             {"pagination", Pagination(c, page->results)}});
}

// A project the knowledge base holds is its entity's page, at its id; an old link by
// name moves there. Without one, the records that name the project.
namespace {
std::optional<Result<Response>> ProjectEntityAnswer(Context& c, const char* prefix, bool api) {
  auto kb = c.Knowledge();
  if (!kb) return std::nullopt;
  bool by_name = false;
  const kb::Entity* p = ProjectNamed(**kb, c.path.at("name"), &by_name);
  if (!p) return std::nullopt;
  if (by_name) return MovedPermanently(prefix + PercentEncode(p->id));
  c.path["id"] = p->id;
  return api ? ApiEntity(c, kb::Kind::kProject) : EntityPage(c, kb::Kind::kProject);
}
}  // namespace

Result<Response> ProjectPage(Context& c) {
  if (auto answer = ProjectEntityAnswer(c, "/projects/", false)) return std::move(*answer);
  auto v = LoadProject(c);
  if (!v) return v.status();
  const std::string& name = c.path.at("name");
  return c.Page("project",
                {{"title", name},
                 {"name", name},
                 {"project", v->project ? ProjectModel(c, *v->project) : json(nullptr)},
                 {"activities", ByMonth(c, v->activities)},
                 {"has_activities", !v->activities.empty()},
                 {"news", Models(c, v->news)},
                 {"has_news", !v->news.empty()},
                 {"calendar_href", "/activities?project=" + PercentEncode(name)},
                 {"api_href", "/api/v1/projects/" + PercentEncode(name)}});
}

/// Every country of the gazetteer with the number of indexed records naming it.
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
                   {"records", it == mentions.end() ? 0 : it->second},
                   {"coe_member", country.IsCoeMember(c.today)}});
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return text::FoldKey(a["name"].get<std::string>()) < text::FoldKey(b["name"].get<std::string>());
  });
  return out;
}

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
  return c.Page("country",
                {{"title", country.name_en},
                 {"name", country.name_en},
                 {"name_fr", country.name_fr},
                 {"iso2", country.iso2},
                 {"iso3", country.iso3},
                 {"footnote", country.footnote},
                 {"coe_member", country.IsCoeMember(c.today)},
                 {"today", c.today.ToLongEnglish()},
                 {"treaties", v->treaties},
                 {"projects", [&] {
                    json out = json::array();
                    for (const Project& p : MergeProjects(v->projects)) out.push_back(ProjectModel(c, p));
                    return out;
                  }()},
                 {"has_projects", !v->projects.empty()},
                 {"activities", ByMonth(c, v->activities)},
                 {"has_activities", !v->activities.empty()},
                 {"news", Models(c, v->news)},
                 {"has_news", !v->news.empty()},
                 {"news_total", v->news_total},
                 {"news_href", "/news?country=" + country.iso2},
                 {"has_profile", !v->profile.empty()},
                 {"profile", [&]() -> json {
                    if (v->profile.empty()) return nullptr;
                    const store::ProfileRevision& p = v->profile.front();
                    // Unescaped in the template: the renderer's safe mode
                    // strips raw HTML and dangerous link targets.
                    return {{"html", publish::RenderMarkdown(p.markdown)},
                            {"revision", p.number},
                            {"revisions", static_cast<int>(v->profile.size())},
                            {"author", p.author},
                            {"date", RevisionDate(p.created_at)},
                            {"history_href", "/countries/" + country.iso2 + "/history"}};
                  }()},
                 {"api_href", "/api/v1/countries/" + country.iso2}});
}

/// The link records ("Agenda", "List of participants") grouped by caption,
/// each with where it comes from: the news item it sits under (its
/// `item_line`, else the last item above it in the same document) or the
/// section of an update. `q` keeps the captions holding it (accents and case
/// ignored).
Result<json> Resources(Context& c, const std::string& q) {
  auto links = c.registry.store().Records("link");
  if (!links) return links.status();
  const std::string wanted = text::FoldKey(q);
  std::map<int64_t, std::vector<store::RecordRow>> documents;
  std::map<std::string, std::pair<std::string, json>> groups;  // folded caption → caption, sources
  for (const store::RecordRow& link : *links) {
    const json f = Fields(link);
    if (!f.contains("caption") || !f["caption"].is_string()) continue;
    const std::string caption = f["caption"].get<std::string>();
    const std::string key = text::FoldKey(caption);
    if (!wanted.empty() && key.find(wanted) == std::string::npos) continue;
    json source = {{"news_id", nullptr}, {"news_title", nullptr}, {"href", nullptr}, {"section", nullptr}};
    if (f.contains("section") && f["section"].is_string()) source["section"] = f["section"];
    auto doc = documents.find(link.document_id);
    if (doc == documents.end()) {
      auto records = c.registry.store().DocumentRecords(link.document_id);
      if (!records) return records.status();
      doc = documents.emplace(link.document_id, std::move(*records)).first;
    }
    const bool has_item_line = f.contains("item_line") && f["item_line"].is_number_integer();
    const int item_line = has_item_line ? f["item_line"].get<int>() : link.line;
    const store::RecordRow* item = nullptr;
    for (const store::RecordRow& r : doc->second) {
      if (r.kind != "news_item") continue;
      if (has_item_line ? r.line == item_line : r.line <= item_line) item = &r;
      if (r.line > item_line) break;
    }
    if (item != nullptr) {
      const json item_fields = Fields(*item);
      source["news_id"] = item->id;
      source["news_title"] = item_fields.value("title", json(nullptr));
      source["href"] = "/news/" + std::to_string(item->id);
    }
    auto& group = groups[key];
    if (group.first.empty()) {
      group.first = caption;
      group.second = json::array();
    }
    group.second.push_back(std::move(source));
  }
  json out = json::array();
  for (auto& [key, group] : groups) {
    out.push_back({{"caption", group.first}, {"count", static_cast<int>(group.second.size())},
                   {"sources", std::move(group.second)}});
  }
  return out;
}

Result<Response> ResourcesPage(Context& c) {
  const std::string q = c.target.Param("q").value_or("");
  auto resources = Resources(c, q);
  if (!resources) return resources.status();
  const bool empty = resources->empty();
  return c.Page("resources", {{"title", q.empty() ? std::string("Resources") : "Resources: " + q},
                              {"q", q},
                              {"resources", std::move(*resources)},
                              {"empty", empty},
                              {"api_href", "/api/v1/resources" + SameFilters(c, {"q"})}});
}

Result<Response> ApiResources(Context& c) {
  const std::string q = c.target.Param("q").value_or("");
  auto resources = Resources(c, q);
  if (!resources) return resources.status();
  const int count = static_cast<int>(resources->size());
  return JsonResponse({{"q", q}, {"count", count}, {"resources", std::move(*resources)}});
}

Result<Response> CountryHistoryPage(Context& c) {
  auto v = LoadCountry(c);
  if (!v) return v.status();
  const domain::Country& country = *v->country;
  json revisions = json::array();
  for (const store::ProfileRevision& p : v->profile) {
    revisions.push_back({{"revision", p.number},
                         {"author", p.author},
                         {"note", p.note},
                         {"date", RevisionDate(p.created_at)},
                         {"created_at", p.created_at},
                         {"latest", p.number == static_cast<int>(v->profile.size())}});
  }
  return c.Page("country_history",
                {{"title", country.name_en + " profile history"},
                 {"name", country.name_en},
                 {"iso2", country.iso2},
                 {"country_href", "/countries/" + country.iso2},
                 {"revisions", std::move(revisions)},
                 {"has_revisions", !v->profile.empty()}});
}

Result<Response> SearchPage(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto results = Run(c, *r);
  if (!results) return results.status();
  json hits = json::array();
  for (const Hit& h : results->hits) hits.push_back(HitModel(c, h));
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

// A paginated list of one kind of record with its facets.
Result<Response> ApiRecordList(Context& c, const char* kind, Order order) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto results = Run(c, Kind(*r, kind, order));
  if (!results) return results.status();
  json j = ApiList(*results, "items");
  j["facets"] = ApiFacets(*results);
  return JsonResponse(j);
}

Result<Response> ApiNews(Context& c) { return ApiRecordList(c, "news_item", Order::kRank); }

Result<Response> ApiNewsItem(Context& c) {
  auto n = LoadNewsItem(c);
  if (!n) return n.status();
  return JsonResponse(NewsItemJson(*n));
}

Result<Response> ApiActivities(Context& c) { return ApiRecordList(c, "activity", Order::kOldest); }

Result<Response> ApiProjects(Context& c) {
  auto page = ProjectsPageOf(c);
  if (!page) return page.status();
  json items = json::array();
  for (const Project& p : page->projects) items.push_back(ProjectJson(p));
  return JsonResponse({{"total", page->results.total},
                       {"page", page->results.request.page},
                       {"per_page", page->results.request.per_page},
                       {"pages", page->results.pages()},
                       {"items", std::move(items)}});
}

Result<Response> ApiProject(Context& c) {
  if (auto answer = ProjectEntityAnswer(c, "/api/v1/projects/", true)) return std::move(*answer);
  auto v = LoadProject(c);
  if (!v) return v.status();
  return JsonResponse({{"name", c.path.at("name")},
                       {"project", v->project ? ProjectJson(*v->project) : json(nullptr)},
                       {"activities", Jsons(v->activities)},
                       {"news", Jsons(v->news)}});
}

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
  return JsonResponse({{"iso2", country.iso2},
                       {"iso3", country.iso3},
                       {"name", country.name_en},
                       {"name_fr", country.name_fr},
                       {"coe_member", country.IsCoeMember(c.today)},
                       {"footnote", country.footnote.empty() ? json(nullptr) : json(country.footnote)},
                       {"as_of", c.today.ToIso()},
                       {"treaties", treaties},
                       {"projects", [&] {
                          json out = json::array();
                          for (const Project& p : MergeProjects(v->projects)) out.push_back(ProjectJson(p));
                          return out;
                        }()},
                       {"activities", Jsons(v->activities)},
                       {"news", Jsons(v->news)},
                       {"news_total", v->news_total},
                       {"profile", ProfileJson(v->profile)}});
}

Result<Response> ApiSearch(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto results = Run(c, *r);
  if (!results) return results.status();
  json hits = json::array();
  for (const Hit& h : results->hits) {
    hits.push_back({{"kind", h.record.kind},
                    {"id", h.record.id},
                    {"title", h.facts.title},
                    {"url", RecordUrl(h.record, h.facts)},
                    {"snippet", search::Unmarked(h.snippet)},
                    {"snippet_html", MarkedHtml(h.snippet)},
                    {"date", h.facts.sort_date().empty() ? json(nullptr) : json(h.facts.sort_date())}});
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
  auto results = Run(c, Kind(r, "news_item", Order::kNewest));
  if (!results) return results.status();
  publish::AtomFeed feed;
  feed.id = "tag:octopus,2009:news";
  feed.title = "Octopus: news";
  feed.self_link = "/news.atom";
  feed.alternate_link = "/news";
  for (const Hit& h : results->hits) {
    publish::AtomEntry e;
    e.id = "tag:octopus,2009:news/" + std::to_string(h.record.id);
    e.title = h.facts.title;
    e.link = RecordUrl(h.record, h.facts);
    e.updated = h.facts.lo ? publish::AtomDate(h.facts.lo->ToIso()) : "";
    const json fields = Fields(h.record);
    const json body = fields.value("body", json(""));
    e.summary = body.is_string() ? body.get<std::string>() : "";
    for (const auto& p : h.facts.projects) e.categories.push_back(p);
    for (const auto& code : h.facts.countries) e.categories.push_back(CountryName(c, code));
    feed.entries.push_back(std::move(e));
  }
  return TextBody("application/atom+xml; charset=utf-8", publish::RenderAtom(feed));
}

Result<Response> ActivitiesIcs(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto hits = RunAll(c, Kind(*r, "activity", Order::kOldest));
  if (!hits) return hits.status();
  publish::Calendar cal;
  cal.name = "Octopus: activities";
  cal.stamp = fmt::format("{:04d}{:02d}{:02d}T000000Z", c.today.year(), c.today.month(), c.today.day());
  int undated = 0;
  for (const Hit& h : *hits) {
    auto e = publish::ActivityEvent(h.record.id, h.facts, "");
    if (e) {
      cal.events.push_back(std::move(*e));
    } else {
      ++undated;
    }
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
  auto hits = RunAll(c, Kind(*r, "activity", Order::kOldest));
  if (!hits) return hits.status();
  std::string table = csv::Record({"id", "title", "projects", "places", "countries", "mode", "start", "end",
                            "precision", "when", "date_lo", "date_hi"});
  for (const Hit& h : *hits) {
    const auto& f = h.facts;
    table += csv::Record({std::to_string(h.record.id), f.title, Join(f.projects, "; "), Join(f.places, "; "),
                   Join(f.countries, "; "), f.mode, Opt(f.start), Opt(f.end),
                   std::string(domain::PrecisionName(f.precision)), domain::DescribeWhen(f),
                   f.lo ? f.lo->ToIso() : "", f.hi ? f.hi->ToIso() : ""});
  }
  return Download(TextBody("text/csv; charset=utf-8", std::move(table)), "activities.csv");
}

Result<Response> ActivitiesJson(Context& c) {
  auto r = RequestOf(c);
  if (!r) return r.status();
  auto hits = RunAll(c, Kind(*r, "activity", Order::kOldest));
  if (!hits) return hits.status();
  return Download(JsonResponse({{"count", hits->size()}, {"activities", Jsons(*hits)}}, 200, true),
                  "activities.json");
}

Result<Response> ProjectsCsv(Context& c) {
  auto hits = RunAll(c, Kind({}, "project", Order::kNewest));
  if (!hits) return hits.status();
  std::string table = csv::Record({"name", "start", "end", "scope", "budget_amount", "budget_currency",
                            "funders", "countries"});
  for (const Project& p : MergeProjects(*hits)) {
    const json& f = p.fields;
    auto text = [&](const char* key) {
      return f.contains(key) && f[key].is_string() ? f[key].get<std::string>() : std::string();
    };
    const std::string amount =
        f.contains("budget_amount") && f["budget_amount"].is_number() ? f["budget_amount"].dump() : "";
    table += csv::Record({p.name, Opt(p.facts.start), Opt(p.facts.end), text("scope"), amount,
                   text("budget_currency"), Join(Strings(f, "funders"), "; "),
                   Join(p.facts.countries, "; ")});
  }
  return Download(TextBody("text/csv; charset=utf-8", std::move(table)), "projects.csv");
}

Result<Response> ProjectsJson(Context& c) {
  auto hits = RunAll(c, Kind({}, "project", Order::kNewest));
  if (!hits) return hits.status();
  json projects = json::array();
  for (const Project& p : MergeProjects(*hits)) projects.push_back(ProjectJson(p));
  const int count = static_cast<int>(projects.size());
  return Download(JsonResponse({{"count", count}, {"projects", std::move(projects)}}, 200, true),
                  "projects.json");
}

}  // namespace octopus::web::internal
