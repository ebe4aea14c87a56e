// The route table, then the handlers in the table's order. Each handler
// parses what the request says, asks a service, and renders.
#include "web/internal/routes.h"

#include <array>

#include <fmt/format.h>

#include "service/treaty_views.h"
#include "treaty/chart.h"
#include "web/internal/account_handlers.h"
#include "web/internal/edit_handlers.h"
#include "web/internal/entity_handlers.h"
#include "web/internal/record_handlers.h"
#include "web/internal/update_handlers.h"
#include "web/internal/views.h"
#include "web/svg_plot.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

Result<Response> Home(Context& c);
Result<Response> Health(Context& c);
Result<Response> Stylesheet(Context& c);
Result<Response> TreatyList(Context& c);
Result<Response> TreatyCsv(Context& c);
Result<Response> TreatyJsonExport(Context& c);
Result<Response> TreatyPage(Context& c);
Result<Response> ApiOpenApi(Context& c);
Result<Response> ApiTreaties(Context& c);
Result<Response> ApiTreaty(Context& c);
Result<Response> ApiTreatyStatus(Context& c);
Result<Response> ApiTreatyTimeline(Context& c);

using K = RouteKind;

// clang-format off
constexpr Route kRoutes[] = {
  // pattern                           query    kind        cache  handler
  {"/",                                "",      K::kPage,   true,  Home,
   "Home page: treaty figures today"},
  {"/healthz",                         "",      K::kHealth, false, Health,
   "Liveness and database check: 200 \"ok\" or 503 with the reason"},
  {"/static/style.css",                "v",     K::kAsset,  true,  Stylesheet,
   "The stylesheet"},
  {"/treaties",                        "as_of", K::kPage,   true,  TreatyList,
   "The treaties known, with their counts"},
  {"/treaties/{ref}.csv",              "as_of", K::kExport, true,  TreatyCsv,
   "A treaty's chart as of a date, as CSV in the import shape"},
  {"/treaties/{ref}.json",             "as_of", K::kExport, true,  TreatyJsonExport,
   "A treaty's chart as of a date, as JSON (same as the status endpoint)"},
  {"/treaties/{ref}",                  "as_of", K::kPage,   true,  TreatyPage,
   "A treaty's chart as of a date, with the parties-over-time plot"},
  {"/api/v1/openapi.json",             "",      K::kApi,    true,  ApiOpenApi,
   "This document"},
  {"/api/v1/treaties",                 "as_of", K::kApi,    true,  ApiTreaties,
   "Every treaty's summary, with counts as of a date"},
  {"/api/v1/treaties/{ref}",           "as_of", K::kApi,    true,  ApiTreaty,
   "One treaty's summary: titles, rules, entry into force, counts as of a date"},
  {"/api/v1/treaties/{ref}/status",    "as_of", K::kApi,    true,  ApiTreatyStatus,
   "A treaty's chart as of a date: every State on record, conflicts, stated figures"},
  {"/api/v1/treaties/{ref}/timeline",  "",      K::kApi,    true,  ApiTreatyTimeline,
   "The counts of consents and of States bound, at every date either may change"},

  // Lists over the knowledge base's entities: news, activities, projects, countries, search.
  {"/news",                 "q country project year page per_page", K::kPage, true, NewsPage,
   "News by year, newest first, with filters"},
  {"/news.atom",            "",      K::kExport, true,  NewsAtom,
   "The latest news as an Atom feed"},
  {"/sitemap.xml",          "",      K::kExport, false, Sitemap,
   "The public pages (restricted records never appear), for search engines"},
  {"/news/{id}",            "",      K::kPage,   true,  NewsItemPage,
   "A news item: each field with its sources, the activities it reports; a record number moves there"},
  {"/activities",           "project country mode from to page per_page", K::kPage, true,
   ActivitiesPage, "The activity calendar by month, with filters"},
  {"/activities.ics",       "project country mode from to", K::kExport, true, ActivitiesIcs,
   "Activities as iCalendar all-day events; fuzzy dates span every day they may cover and say so; "
   "planned ones tentative, cancelled ones cancelled"},
  {"/activities.csv",       "project country mode from to", K::kExport, true, ActivitiesCsv,
   "Activities as CSV, one row per activity with its status and sources"},
  {"/activities.json",      "project country mode from to", K::kExport, true, ActivitiesJson,
   "Activities as JSON"},
  {"/projects",             "page per_page", K::kPage, true, ProjectsPage,
   "The capacity-building projects, one per project"},
  {"/projects.csv",         "",      K::kExport, true,  ProjectsCsv,
   "Projects as CSV, one row per project with its sources"},
  {"/projects.json",        "",      K::kExport, true,  ProjectsJson,
   "Projects as JSON"},
  {"/projects/{name}",      "",      K::kPage,   true,  ProjectPage,
   "A project at its id: basics with sources, budget history, activities, news; its names move there"},
  {"/countries",            "",      K::kPage,   true,  CountriesPage,
   "Every country, with how many entities (news items, activities, projects, …) name it"},
  {"/countries/{iso2}",     "",      K::kPage,   true,  CountryPage,
   "A country: its profile, its status under each treaty, projects, activities and news"},
  {"/countries/{iso2}/history", "", K::kPage,   true,  CountryHistoryPage,
   "The revisions of a country's profile, newest first"},
  {"/resources",            "q",     K::kPage,   true,  ResourcesPage,
   "Publications, guidelines and training materials the documents link to, with their sources"},
  {"/search",               "q kind country project year mode page per_page", K::kPage, true,
   SearchPage, "Full-text search over the entities and the country profiles, with facets"},
  {"/api/v1/news",          "q country project year page per_page", K::kApi, true, ApiNews,
   "News items, newest first (ranked when q is given), with facet counts"},
  {"/api/v1/news/{id}",     "",      K::kApi,    true,  ApiNewsItem,
   "One news item: fields with sources, history and conflicts"},
  {"/api/v1/activities",    "project country mode from to page per_page", K::kApi, true,
   ApiActivities, "Activities in date order (undated last), with facet counts"},
  {"/api/v1/projects",      "page per_page", K::kApi, true, ApiProjects,
   "Projects, the most recent first"},
  {"/api/v1/projects/{name}", "",    K::kApi,    true,  ApiProject,
   "One project at its id: fields with sources, history and conflicts"},
  {"/api/v1/countries",     "",      K::kApi,    true,  ApiCountries,
   "Every country: codes, name, membership, and how many entities name it"},
  {"/api/v1/countries/{iso2}", "",   K::kApi,    true,  ApiCountry,
   "One country: status under each treaty today, projects, activities and news"},
  {"/api/v1/resources",     "q",     K::kApi,    true,  ApiResources,
   "Resources (publications, guidelines, training materials), with their sources"},
  {"/api/v1/search",        "q kind country project year mode page per_page", K::kApi, true,
   ApiSearch, "Ranked full-text search with snippets and facet counts"},

  // Entities of the knowledge base, each with the sources of every field.
  {"/activities/{id}",      "",      K::kPage,   true,  EntityPageOf<kb::Kind::kActivity>,
   "An activity: each field with its sources, its status and history, its projects"},
  {"/organisations/{id}",   "",      K::kPage,   true,  EntityPageOf<kb::Kind::kOrganisation>,
   "An organisation: what it funds and implements"},
  {"/contributions/{id}",   "",      K::kPage,   true,  EntityPageOf<kb::Kind::kContribution>,
   "A contribution: donor, project, amount, with sources"},
  {"/resources/{id}",       "",      K::kPage,   true,  EntityPageOf<kb::Kind::kResource>,
   "A resource: a publication, guideline or training material, with sources"},
  {"/api/v1/activities/{id}", "",    K::kApi,    true,  ApiEntityOf<kb::Kind::kActivity>,
   "One activity: fields with sources, history and conflicts"},
  {"/api/v1/organisations", "page per_page", K::kApi, true, ApiEntityListOf<kb::Kind::kOrganisation>,
   "Organisations (donors, implementers, partners) by name"},
  {"/api/v1/organisations/{id}", "", K::kApi,    true,  ApiEntityOf<kb::Kind::kOrganisation>,
   "One organisation: fields with sources, history and conflicts"},
  {"/api/v1/contributions", "page per_page", K::kApi, true, ApiEntityListOf<kb::Kind::kContribution>,
   "Contributions of donors to projects"},
  {"/api/v1/contributions/{id}", "", K::kApi,    true,  ApiEntityOf<kb::Kind::kContribution>,
   "One contribution: fields with sources, history and conflicts"},
  {"/api/v1/resources/{id}", "",     K::kApi,    true,  ApiEntityOf<kb::Kind::kResource>,
   "One resource: fields with sources, history and conflicts"},

  // The quarterly update and its subscriptions.
  {"/updates",              "",      K::kPage,   true,  UpdatesPage,
   "The quarters with records, each linking to its issue"},
  {"/updates/{issue}",      "",      K::kPage,   true,  UpdateIssuePage,
   "One issue: 2023Q3 inside the site, or 2023Q3.html|.md|.txt|.pdf|.json as is"},
  {"/api/v1/updates/{quarter}", "",  K::kApi,    true,  ApiUpdate,
   "One quarter's issue as JSON, section by section"},
  {"/subscribe",            "",      K::kForm,   false, SubscribePage,
   "The subscription form; POST email to subscribe"},
  {"/subscribe/confirm",    "token", K::kForm,   false, SubscribeConfirmPage,
   "The page a confirmation link opens; its button (a POST) confirms the subscription"},
  {"/unsubscribe",          "token", K::kForm,   false, UnsubscribePage,
   "Unsubscribe: a one-button form; POST (RFC 8058 one-click) unsubscribes"},

  // Accounts, sessions and the administrators' pages (never cached).
  {"/login",                "next",  K::kForm,   false, LoginPage,
   "Sign in; POST email, password (and totp) for a session"},
  {"/logout",               "",      K::kForm,   false, LogoutPage,
   "Sign out; POST csrf ends the session"},
  {"/password/set",         "token", K::kForm,   false, PasswordSetPage,
   "Set a password through a one-time link"},
  {"/password/reset",       "",      K::kForm,   false, PasswordResetPage,
   "Ask for a password reset link by mail"},
  {"/account",              "",      K::kForm,   false, AccountPage,
   "The signed-in account; POST enables a TOTP second factor"},
  {"/admin",                "",      K::kPage,   false, AdminPage,
   "Administration"},
  {"/admin/users",          "",      K::kForm,   false, AdminUsersPage,
   "Users and roles; POST adds, changes a role, disables"},
  {"/admin/audit.csv",      "actor entity action from to", K::kPage, false, AdminAuditCsv,
   "The audit as CSV, with the filters of /admin/audit"},
  {"/admin/audit",          "actor entity action from to before", K::kPage, false, AdminAuditPage,
   "The audit, newest first, with filters and paging"},
  {"/admin/{page}",         "",      K::kPage,   false, AdminOther,
   "Refused as the admin pages are"},
  // Editing on the site (editors) and the review queue (reviewers).
  {"/edit/{kind}/{id}",     "",      K::kForm,   false, EditPage,
   "The form that creates (id \"new\") or edits an entity or a country profile; POST stores a change set"},
  {"/countries/{iso2}/contact", "",  K::kForm,   false, ContactPage,
   "The form of a country's 24/7 point of contact (editors); POST records it, audited"},
  {"/review",               "",      K::kForm,   false, ReviewPage,
   "Drafts awaiting review with each value before and after; POST approves or rejects one"},
};
// clang-format on

/// A path split at '/', without allocating: "/a/b" → {"a", "b"}; "/" → {""}.
struct Segments {
  static constexpr size_t kMax = 8;
  std::array<std::string_view, kMax> part;
  size_t size = 0;  // kMax + 1: too many to match any route

  explicit Segments(std::string_view path) {
    path.remove_prefix(1);
    for (;;) {
      const size_t slash = path.find('/');
      if (size == kMax) {
        size = kMax + 1;
        return;
      }
      part[size++] = path.substr(0, slash);
      if (slash == std::string_view::npos) return;
      path.remove_prefix(slash + 1);
    }
  }
};

Response Text(int status, std::string content_type, std::string body) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Result<std::string> RenderPage(const Templates& templates, const Asset& stylesheet,
                               std::string_view name, const json& model,
                               const auth::Principal* who = nullptr) {
  auto body = templates.Render(name, model);
  if (!body) return body.status();
  json layout = {{"title", model.value("title", "Octopus")},
                 {"css_href", "/static/style.css?v=" + stylesheet.version},
                 {"body", std::move(*body)}};
  // The header names who is signed in; such pages are never shared (site.h).
  if (who != nullptr && who->signed_in()) {
    layout["who"] = {{"email", who->email},
                     {"role", std::string(auth::RoleName(who->role))},
                     {"csrf", who->csrf_token},
                     {"admin", auth::Allows(who->role, auth::Role::kAdministrator)}};
  }
  return templates.Render("layout", layout);
}

/// The analysis of the treaty named by {ref}, with the date asked for.
struct TreatyRequest {
  treaty::Analysis analysis;
  store::RegistryData data;
  domain::Date on;
};

Result<TreatyRequest> LoadTreaty(Context& c) {
  auto on = c.AsOf();
  if (!on) return on.status();
  const std::string& ref = c.path.at("ref");
  auto a = c.registry.Analyse(ref);
  if (!a) return a.status();
  auto data = c.registry.Data(ref);
  if (!data) return data.status();
  return TreatyRequest{std::move(*a), std::move(*data), *on};
}

/// Every treaty in the catalogue as a list row, counted on `on`.
Result<std::vector<json>> TreatyRows(Context& c, domain::Date on) {
  std::vector<json> rows;
  for (const auto& t : c.registry.catalog().all()) {
    auto a = c.registry.Analyse(t.ref);
    if (!a) return a.status();
    auto data = c.registry.Data(t.ref);
    if (!data) return data.status();
    rows.push_back(TreatyRowModel(*a, data->figures, on));
  }
  return rows;
}

// Handlers, in the table's order.

Result<Response> Home(Context& c) {
  auto rows = TreatyRows(c, c.today);
  if (!rows) return rows.status();
  auto sources = c.registry.store().Sources();
  if (!sources) return sources.status();
  json model = HomeModel(*rows, *sources, c.today);
  OCTOPUS_RETURN_IF_ERROR(AddRecordsToHome(c, model));
  return c.Page("home", model);
}

Result<Response> Health(Context& c) {
  auto sources = c.registry.store().Sources();
  if (!sources) return Text(503, "text/plain; charset=utf-8", "db: " + sources.status().message() + "\n");
  return Text(200, "text/plain; charset=utf-8", "ok\n");
}

Result<Response> Stylesheet(Context& c) {
  Response r = Text(200, c.stylesheet.content_type, c.stylesheet.body);
  r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  return r;
}

Result<Response> TreatyList(Context& c) {
  auto on = c.AsOf();
  if (!on) return on.status();
  auto rows = TreatyRows(c, *on);
  if (!rows) return rows.status();
  return c.Page("treaties", TreatyListModel(*rows, *on, c.today));
}

Result<Response> TreatyCsv(Context& c) {
  auto t = LoadTreaty(c);
  if (!t) return t.status();
  Response r = Text(200, "text/csv; charset=utf-8",
                    treaty::ChartCsv(t->analysis, c.registry.gazetteer(), t->on));
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("inline; filename=\"{}_{}.csv\"",
                                     TreatySlug(t->analysis.treaty()), t->on.ToIso()));
  return r;
}

Result<Response> TreatyJsonExport(Context& c) {
  auto t = LoadTreaty(c);
  if (!t) return t.status();
  Response r = JsonResponse(
      service::StatusJson(t->analysis, c.registry.gazetteer(), t->data, t->on), 200, true);
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("inline; filename=\"{}_{}.json\"",
                                     TreatySlug(t->analysis.treaty()), t->on.ToIso()));
  return r;
}

Result<Response> TreatyPage(Context& c) {
  auto t = LoadTreaty(c);
  if (!t) return t.status();
  const treaty::Analysis& a = t->analysis;
  const json status = service::StatusJson(a, c.registry.gazetteer(), t->data, t->on);
  const auto timeline = a.Timeline();
  PlotOptions plot;
  plot.start = a.treaty().opened;
  plot.end = std::max(t->on, c.today);
  if (!timeline.empty()) plot.end = std::max(plot.end, timeline.back().date);
  plot.marker = t->on;
  plot.title = "Parties to the " + a.treaty().ref + " over time";
  return c.Page("treaty",
                TreatyPageModel(a, status, t->on, c.today, PartiesPlot(timeline, plot)));
}

Result<Response> ApiOpenApi(Context&) { return JsonResponse(OpenApiDocument()); }

Result<Response> ApiTreaties(Context& c) {
  auto on = c.AsOf();
  if (!on) return on.status();
  json items = json::array();
  for (const auto& t : c.registry.catalog().all()) {
    auto a = c.registry.Analyse(t.ref);
    if (!a) return a.status();
    auto data = c.registry.Data(t.ref);
    if (!data) return data.status();
    json item = service::TreatySummaryJson(*a, *on);
    item["headline"] = service::HeadlineJson(service::HeadlineCount(*a, data->figures, *on));
    items.push_back(std::move(item));
  }
  const int count = static_cast<int>(items.size());
  return JsonResponse({{"as_of", on->ToIso()}, {"count", count}, {"treaties", std::move(items)}});
}

Result<Response> ApiTreaty(Context& c) {
  auto t = LoadTreaty(c);
  if (!t) return t.status();
  json j = service::TreatySummaryJson(t->analysis, t->on);
  j["headline"] = service::HeadlineJson(service::HeadlineCount(t->analysis, t->data.figures, t->on));
  // Each State's reservations, declarations and other marks, with their sources.
  json flags = json::array();
  for (const auto& [iso, rec] : t->analysis.states()) {
    const auto& marks = t->analysis.FlagsOf(iso);
    if (marks.empty()) continue;
    const domain::Country* country = c.registry.gazetteer().ByIso2(iso);
    flags.push_back({{"iso2", iso}, {"state", country ? country->name_en : iso}, {"flags", service::FlagsJson(marks)}});
  }
  j["flags_by_state"] = std::move(flags);
  const std::string slug = TreatySlug(t->analysis.treaty());
  j["links"] = {{"page", "/treaties/" + slug},
                {"status", "/api/v1/treaties/" + slug + "/status"},
                {"timeline", "/api/v1/treaties/" + slug + "/timeline"},
                {"csv", "/treaties/" + slug + ".csv"}};
  return JsonResponse(j);
}

Result<Response> ApiTreatyStatus(Context& c) {
  auto t = LoadTreaty(c);
  if (!t) return t.status();
  return JsonResponse(service::StatusJson(t->analysis, c.registry.gazetteer(), t->data, t->on));
}

Result<Response> ApiTreatyTimeline(Context& c) {
  auto a = c.registry.Analyse(c.path.at("ref"));
  if (!a) return a.status();
  return JsonResponse({{"ref", a->treaty().ref}, {"timeline", service::TimelineJson(*a)}});
}

}  // namespace

std::span<const Route> Routes() { return kRoutes; }

const Route* Match(std::string_view path, std::map<std::string, std::string>& params) {
  if (path.empty() || path.front() != '/') return nullptr;
  const Segments segments(path);
  for (const Route& route : kRoutes) {
    const Segments pattern(route.pattern);
    if (pattern.size != segments.size) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; ok && i < pattern.size; ++i) {
      const std::string_view p = pattern.part[i], s = segments.part[i];
      if (p.empty() || p.front() != '{') {
        ok = p == s;
        continue;
      }
      // "{name}" or "{name}.suffix": a non-empty value, then the literal suffix.
      const size_t close = p.find('}');
      const std::string_view suffix = p.substr(close + 1);
      ok = s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
      if (ok) {
        found.emplace(std::string(p.substr(1, close - 1)),
                      std::string(s.substr(0, s.size() - suffix.size())));
      }
    }
    if (ok) {
      params = std::move(found);
      return &route;
    }
  }
  return nullptr;
}

Result<domain::Date> Context::AsOf() const {
  const auto text = target.Param("as_of");
  if (!text || text->empty()) return today;
  auto d = domain::Date::Parse(*text);
  if (!d) return InvalidArgument("as_of: " + d.status().message());
  return *d;
}

kb::Visibility Context::Visibility() const {
  return auth::MaySeeRestricted(principal.role) ? kb::Visibility::kRestricted : kb::Visibility::kPublic;
}

namespace {

Result<std::shared_ptr<const kb::KnowledgeBase>> Snapshot(
    const std::function<Result<std::shared_ptr<const kb::KnowledgeBase>>(kb::Visibility)>& knowledge,
    kb::Visibility visibility) {
  if (!knowledge) return IoError("the knowledge base is not available on this site");
  auto snapshot = knowledge(visibility);
  if (!snapshot) return snapshot.status();
  if (!*snapshot) return IoError("the knowledge base is not available on this site");
  // A provider that ignored the visibility asked for is refused, never served.
  if (visibility == kb::Visibility::kPublic && (*snapshot)->visibility != kb::Visibility::kPublic) {
    return IoError("the knowledge base gave a restricted snapshot for a reader");
  }
  return snapshot;
}

}  // namespace

Result<std::shared_ptr<const kb::KnowledgeBase>> Context::Knowledge() const {
  return Snapshot(knowledge, Visibility());
}

Result<std::shared_ptr<const kb::KnowledgeBase>> Context::PublicKnowledge() const {
  return Snapshot(knowledge, kb::Visibility::kPublic);
}

Result<Target> ParseForm(std::string_view body) {
  std::string query = "/?";
  for (char ch : body) {
    if (ch == '+') {
      query += "%20";
    } else {
      query += ch;
    }
  }
  auto form = ParseTarget(query);
  if (!form) return InvalidArgument("the form is malformed: " + form.status().message());
  return form;
}

Result<Response> WithStatus(Result<Response> r, int status) {
  if (r) r->status = status;
  return r;
}

Result<Response> Context::Page(std::string_view name, json model) const {
  auto html = RenderPage(templates, stylesheet, name, model, &principal);
  if (!html) return html.status();
  return Text(200, "text/html; charset=utf-8", std::move(*html));
}

Response JsonResponse(const json& j, int status, bool indent) {
  return Text(status, "application/json",
              SafeJsonText(j.dump(indent ? 2 : -1, ' ', false, json::error_handler_t::replace)) +
                  "\n");
}

Response ErrorResponse(const Status& status, bool api, const Templates& templates,
                       const Asset& stylesheet) {
  const int code = HttpStatusFor(status.code());
  if (api) {
    return JsonResponse({{"error", status.message()},
                         {"code", StatusCodeName(status.code())},
                         {"status", code}},
                        code);
  }
  const json model = {{"title", std::string(ReasonPhrase(code))},
                      {"status", code},
                      {"reason", std::string(ReasonPhrase(code))},
                      {"message", status.message()}};
  auto html = RenderPage(templates, stylesheet, "error", model);
  if (!html) {
    return Text(code, "text/plain; charset=utf-8",
                std::to_string(code) + " " + std::string(ReasonPhrase(code)) + "\n");
  }
  return Text(code, "text/html; charset=utf-8", std::move(*html));
}

}  // namespace octopus::web::internal
