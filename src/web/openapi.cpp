// The OpenAPI document, generated from the route table so that it describes
// exactly the endpoints that exist; the shapes of the answers are written here.
#include <map>

#include "web/internal/routes.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

json Ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

/// The routes over knowledge-base entities, whose {id} is an entity id.
bool EntityRoute(std::string_view p) {
  for (std::string_view e : {"/api/v1/activities/{id}", "/api/v1/organisations", "/api/v1/organisations/{id}",
                             "/api/v1/contributions", "/api/v1/contributions/{id}", "/api/v1/resources/{id}"}) {
    if (p == e) return true;
  }
  return false;
}

json Parameter(std::string_view name, std::string_view in, std::string_view pattern) {
  if (name == "id" && EntityRoute(pattern)) {
    return {{"name", name},
            {"in", in},
            {"required", true},
            {"description", "Entity id: a slug of the name for projects and organisations "
                            "(european-union), a short hash for the other kinds"},
            {"schema", {{"type", "string"}, {"minLength", 1}}}};
  }
  static const std::map<std::string_view, json> kKnown = {
      {"ref",
       {{"description", "Treaty reference: 185, ETS-185, CETS-224, UNCC, or an alias"},
        {"schema", {{"type", "string"}}},
        {"example", "ETS-185"}}},
      {"as_of",
       {{"description", "Date of the status (YYYY-MM-DD); today (UTC) when absent"},
        {"schema", {{"type", "string"}, {"format", "date"}}},
        {"example", "2011-06-01"}}},
      {"v", {{"description", "Version tag for caching; ignored"}, {"schema", {{"type", "string"}}}}},
      {"q",
       {{"description",
         "Words, all required; \"quoted words\" as a phrase; cyber* as a prefix; accents ignored"},
        {"schema", {{"type", "string"}, {"maxLength", 500}}},
        {"example", "Turkiye"}}},
      {"kind",
       {{"description", "Record kind"},
        {"schema", {{"type", "string"}, {"enum", {"news", "activity", "project"}}}}}},
      {"country",
       {{"description", "Country: ISO 3166-1 alpha-2 code or any name the gazetteer knows"},
        {"schema", {{"type", "string"}}},
        {"example", "TR"}}},
      {"project",
       {{"description", "Project name, case-insensitive"},
        {"schema", {{"type", "string"}}},
        {"example", "GLACY+"}}},
      {"year", {{"description", "Year (YYYY)"}, {"schema", {{"type", "string"}, {"pattern", "^[0-9]{4}$"}}}}},
      {"mode",
       {{"description", "How an activity is held"},
        {"schema", {{"type", "string"}, {"enum", {"in person", "online", "hybrid"}}}}}},
      {"from",
       {{"description", "Activities that may fall on or after this day (YYYY-MM-DD) or month (YYYY-MM)"},
        {"schema", {{"type", "string"}}},
        {"example", "2023-10"}}},
      {"to",
       {{"description", "Activities that may fall on or before this day, or the end of this month"},
        {"schema", {{"type", "string"}}},
        {"example", "2023-12"}}},
      {"page",
       {{"description", "Page number, from 1"},
        {"schema", {{"type", "integer"}, {"minimum", 1}, {"default", 1}}}}},
      {"per_page",
       {{"description", "Results per page"},
        {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}, {"default", 20}}}}},
      {"id", {{"description", "Record number"}, {"schema", {{"type", "integer"}, {"minimum", 1}}}}},
      {"name", {{"description", "Project name (percent-encoded)"}, {"schema", {{"type", "string"}}}, {"example", "GLACY%2B"}}},
      {"iso2", {{"description", "ISO 3166-1 alpha-2 code"}, {"schema", {{"type", "string"}}}, {"example", "TR"}}},
  };
  json p = kKnown.count(name) ? kKnown.at(name) : json{{"schema", {{"type", "string"}}}};
  if (name == "q" && pattern.ends_with("/resources")) {
    // Not a search: a filter on the captions, ignoring case, accents and punctuation.
    p = {{"description", "Text the caption contains, compared without case or accents, punctuation read as a space"},
         {"schema", {{"type", "string"}}},
         {"example", "agenda"}};
  }
  p["name"] = name;
  p["in"] = in;
  p["required"] = in == "path";
  return p;
}

/// The schema of a route's 200 answer, by pattern.
json Success(const Route& r) {
  const std::string_view p = r.pattern;
  if (r.kind == RouteKind::kHealth) {
    return {{"text/plain", {{"schema", {{"type", "string"}, {"example", "ok"}}}}}};
  }
  if (p.ends_with(".csv")) {
    return {{"text/csv", {{"schema", {{"type", "string"}}}}}};
  }
  if (p.ends_with(".ics")) {
    return {{"text/calendar", {{"schema", {{"type", "string"}}}}}};
  }
  if (p.ends_with(".atom")) {
    return {{"application/atom+xml", {{"schema", {{"type", "string"}}}}}};
  }
  json schema;
  if (EntityRoute(p)) {
    schema = Ref(p.ends_with("{id}") ? "Entity" : "EntityList");
  } else if (p == "/api/v1/projects") {
    schema = Ref("ProjectList");
  } else if (p == "/api/v1/news" || p == "/api/v1/activities") {
    schema = Ref("RecordList");
  } else if (p == "/api/v1/news/{id}") {
    schema = Ref("NewsItem");
  } else if (p == "/api/v1/projects/{name}") {
    schema = Ref("Project");
  } else if (p == "/api/v1/countries") {
    schema = {{"type", "object"},
              {"properties",
               {{"count", {{"type", "integer"}}},
                {"countries",
                 {{"type", "array"},
                  {"items",
                   {{"type", "object"},
                    {"properties",
                     {{"iso2", {{"type", "string"}}},
                      {"name", {{"type", "string"}}},
                      {"href", {{"type", "string"}}},
                      {"records", {{"type", "integer"}}},
                      {"coe_member", {{"type", "boolean"}}}}}}}}}}}};
  } else if (p == "/api/v1/countries/{iso2}") {
    schema = Ref("Country");
  } else if (p == "/api/v1/search") {
    schema = Ref("SearchResults");
  } else if (p == "/api/v1/resources") {
    const json source = {
        {"type", "object"},
        {"properties",
         {{"news_id", {{"type", "integer"}, {"nullable", true}}},
          {"news_title", {{"type", "string"}, {"nullable", true}}},
          {"href", {{"type", "string"}, {"nullable", true}}},
          {"section", {{"type", "string"}, {"nullable", true}}}}}};
    schema = {{"type", "object"},
              {"properties",
               {{"q", {{"type", "string"}}},
                {"count", {{"type", "integer"}}},
                {"resources",
                 {{"type", "array"},
                  {"items",
                   {{"type", "object"},
                    {"properties",
                     {{"caption", {{"type", "string"}}},
                      {"count", {{"type", "integer"}}},
                      {"sources", {{"type", "array"}, {"items", source}}}}}}}}}}}};
  } else if (p == "/activities.json" || p == "/projects.json") {
    schema = {{"type", "object"},
              {"properties",
               {{"count", {{"type", "integer"}}},
                {p == "/projects.json" ? "projects" : "activities",
                 {{"type", "array"}, {"items", Ref(p == "/projects.json" ? "ProjectSummary" : "Record")}}}}}};
  } else if (p == "/api/v1/updates/{quarter}") {
    schema = {{"type", "object"},
              {"description",
               "One issue of the Cybercrime@CoE Update, section by section (the JSON format of "
               "/updates/{issue}.json); a quarter with nothing recorded is a short, valid issue"}};
  } else if (p == "/api/v1/openapi.json") {
    schema = {{"type", "object"}, {"description", "OpenAPI 3.0 document"}};
  } else if (p == "/api/v1/treaties") {
    schema = {{"type", "object"},
              {"required", {"as_of", "count", "treaties"}},
              {"properties",
               {{"as_of", {{"type", "string"}, {"format", "date"}}},
                {"count", {{"type", "integer"}}},
                {"treaties", {{"type", "array"}, {"items", Ref("TreatySummary")}}}}}};
  } else if (p == "/api/v1/treaties/{ref}") {
    schema = Ref("TreatySummary");
  } else if (p.ends_with("/timeline")) {
    schema = {{"type", "object"},
              {"properties",
               {{"ref", {{"type", "string"}}},
                {"timeline", {{"type", "array"}, {"items", Ref("TimelinePoint")}}}}}};
  } else {
    schema = Ref("TreatyStatus");
  }
  return {{"application/json", {{"schema", schema}}}};
}

json Components() {
  const json interval = {
      {"type", "string"},
      {"nullable", true},
      {"description",
       "A date (2011-09-01) or, where the sources give less, an interval "
       "(2001-11-23/2011-06-01, ../2011-06-01, 2011-06-02/..)"}};
  const json range = {{"type", "object"},
                      {"description",
                       "A count; min == max when the data determines it. Where no complete list "
                       "covers the date, max is null and open is true: at least min"},
                      {"properties",
                       {{"min", {{"type", "integer"}}},
                        {"max", {{"type", "integer"}, {"nullable", true}}},
                        {"open", {{"type", "boolean"}}}}}};
  const json headline = {
      {"type", "object"},
      {"description",
       "The best-supported count of Parties with its basis: exact where a complete list covers the "
       "date, else the latest stated figure the record does not contradict, else the count named on record"},
      {"properties",
       {{"text", {{"type", "string"}}},
        {"value", {{"type", "integer"}}},
        {"exact", {{"type", "boolean"}}},
        {"basis", {{"type", "string"}, {"enum", {"exact", "stated", "named on record"}}}},
        {"as_of", {{"type", "string"}, {"format", "date"}, {"nullable", true}}},
        {"source", {{"type", "string"}, {"nullable", true}}},
        {"named_on_record", {{"type", "integer"}}},
        {"sentence", {{"type", "string"}}}}}};
  const json summary = {
      {"type", "object"},
      {"properties",
       {{"ref", {{"type", "string"}}},
        {"number", {{"type", "integer"}}},
        {"title", {{"type", "string"}}},
        {"short_title", {{"type", "string"}}},
        {"opened", {{"type", "string"}, {"format", "date"}}},
        {"opened_place", {{"type", "string"}}},
        {"parent", {{"type", "string"}, {"nullable", true}}},
        {"entry_into_force", {{"type", "object"}}},
        {"rules", {{"type", "object"}}},
        {"as_of", {{"type", "string"}, {"format", "date"}}},
        {"consents", Ref("Range")},
        {"in_force", Ref("Range")},
        {"headline", Ref("Headline")},
        {"flags_by_state",
         {{"type", "array"},
          {"description", "per State on record: {iso2, state, flags} (see StateStatus.flags); /api/v1/treaties/{ref} only"},
          {"items", {{"type", "object"}}}}},
        {"complete_sources", {{"type", "array"}, {"items", {{"type", "object"}}}}},
        {"in_force_today", {{"type", "boolean"}}},
        {"completeness", {{"type", "string"}}},
        {"sources", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
  const json state = {
      {"type", "object"},
      {"properties",
       {{"state", {{"type", "string"}}},
        {"iso2", {{"type", "string"}}},
        {"iso3", {{"type", "string"}}},
        {"coe_member", {{"type", "boolean"}}},
        {"signature", Ref("Interval")},
        {"consent", Ref("Interval")},
        {"kind", {{"type", "string"}, {"nullable", true}}},
        {"entry_into_force", Ref("Interval")},
        {"status", {{"type", "string"}}},
        {"status_or", {{"type", "string"}, {"nullable", true}}},
        {"status_text", {{"type", "string"}}},
        {"last_on_record",
         {{"type", "string"}, {"format", "date"}, {"nullable", true},
          {"description", "the date of the latest source on this State under this treaty"}}},
        {"decided",
         {{"type", "boolean"},
          {"description", "false: no source speaks of the date asked; status_text gives the status as of the last word"}}},
        {"flags",
         {{"type", "array"},
          {"description",
           "reservations (R), declarations (D), authorities (A), territorial application (T), communications (C), "
           "objections (O) as each source shows them; a caveat is the source's own warning about the mark"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"flag", {{"type", "string"}}},
              {"meaning", {{"type", "string"}}},
              {"as_of", {{"type", "string"}, {"format", "date"}, {"nullable", true}}},
              {"caveat", {{"type", "string"}, {"nullable", true}}},
              {"source", {{"type", "object"}}}}}}}}},
        {"sources", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
  json status = {{"allOf",
                  {Ref("TreatySummary"),
                   {{"type", "object"},
                    {"properties",
                     {{"states", {{"type", "array"}, {"items", Ref("StateStatus")}}},
                      {"conflicts", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                      {"entry_into_force_differences",
                       {{"type", "array"}, {"items", {{"type", "object"}}}}},
                      {"stated_figures", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}};
  const json point = {{"type", "object"},
                      {"properties",
                       {{"date", {{"type", "string"}, {"format", "date"}}},
                        {"consents", Ref("Range")},
                        {"in_force", Ref("Range")}}}};
  const json error = {{"type", "object"},
                      {"required", {"error", "code", "status"}},
                      {"properties",
                       {{"error", {{"type", "string"}}},
                        {"code", {{"type", "string"}}},
                        {"status", {{"type", "integer"}}}}}};
  const json record = {
      {"type", "object"},
      {"description",
       "An extracted record: its stored fields (news_item: title, date, place, event_start, "
       "event_end, event_place, countries, projects, treaties, body; activity: projects, title, "
       "places, countries, mode, start, end, precision; project: name, start, end, scope, "
       "budget_amount, budget_currency, funders, countries), with where it comes from. Dates "
       "may be reduced (2023-10) and are null when unknown."},
      {"required", {"id", "kind", "url", "document_id", "line"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"kind", {{"type", "string"}, {"enum", {"news_item", "activity", "project"}}}},
        {"url", {{"type", "string"}}},
        {"document_id", {{"type", "integer"}}},
        {"line", {{"type", "integer"}}},
        {"when", {{"type", "string"}, {"description", "activity: the date as the source gives it"}}},
        {"date_lo", {{"type", "string"}, {"nullable", true}}},
        {"date_hi", {{"type", "string"}, {"nullable", true}}}}},
      {"additionalProperties", true}};
  const json facet_value = {{"type", "object"},
                            {"properties",
                             {{"value", {{"type", "string"}}},
                              {"label", {{"type", "string"}}},
                              {"count", {{"type", "integer"}}},
                              {"selected", {{"type", "boolean"}}}}}};
  const json facets = {{"type", "object"},
                       {"description", "Per facet (kind, country, project, year, mode): the values "
                                       "and how many results each gives as a filter"},
                       {"additionalProperties", {{"type", "array"}, {"items", Ref("FacetValue")}}}};
  const json paging = {{"total", {{"type", "integer"}}},
                       {"page", {{"type", "integer"}}},
                       {"per_page", {{"type", "integer"}}},
                       {"pages", {{"type", "integer"}}}};
  json list_props = paging;
  list_props["items"] = {{"type", "array"}, {"items", Ref("Record")}};
  list_props["facets"] = Ref("Facets");
  const json project_summary = {
      {"type", "object"},
      {"description",
       "A project as the project records describing it give it: their fields (start, end, scope, "
       "budget_amount, budget_currency, funders, countries), with its name, its page and the "
       "records it is read from"},
      {"required", {"name", "url", "records"}},
      {"properties",
       {{"name", {{"type", "string"}}},
        {"url", {{"type", "string"}}},
        {"records", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}},
      {"additionalProperties", true}};
  json project_list_props = paging;
  project_list_props["items"] = {{"type", "array"}, {"items", Ref("ProjectSummary")}};
  json search_props = paging;
  search_props["q"] = {{"type", "string"}};
  search_props["facets"] = Ref("Facets");
  search_props["results"] = {
      {"type", "array"},
      {"items",
       {{"type", "object"},
        {"properties",
         {{"kind", {{"type", "string"}}},
          {"id", {{"type", "integer"}}},
          {"title", {{"type", "string"}}},
          {"url", {{"type", "string"}}},
          {"snippet", {{"type", "string"}}},
          {"snippet_html", {{"type", "string"}, {"description", "escaped, matches in <mark>"}}},
          {"date", {{"type", "string"}, {"nullable", true}}}}}}}};
  const json news_item = {
      {"allOf",
       {Ref("Record"),
        {{"type", "object"},
         {"properties",
          {{"document", {{"type", "object"}}},
           {"records", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}};
  const json project = {{"type", "object"},
                        {"properties",
                         {{"name", {{"type", "string"}}},
                          {"project", {{"allOf", {Ref("ProjectSummary")}}, {"nullable", true}}},
                          {"activities", {{"type", "array"}, {"items", Ref("Record")}}},
                          {"news", {{"type", "array"}, {"items", Ref("Record")}}}}}};
  const json country = {
      {"type", "object"},
      {"properties",
       {{"iso2", {{"type", "string"}}},
        {"iso3", {{"type", "string"}}},
        {"name", {{"type", "string"}}},
        {"name_fr", {{"type", "string"}}},
        {"coe_member", {{"type", "boolean"}}},
        {"footnote", {{"type", "string"}, {"nullable", true}}},
        {"as_of", {{"type", "string"}, {"format", "date"}}},
        {"treaties", {{"type", "array"}, {"items", {{"type", "object"}}}}},
        {"projects", {{"type", "array"}, {"items", Ref("ProjectSummary")}}},
        {"activities", {{"type", "array"}, {"items", Ref("Record")}}},
        {"news", {{"type", "array"}, {"items", Ref("Record")}}},
        {"news_total", {{"type", "integer"}}},
        {"profile",
         {{"type", "object"},
          {"nullable", true},
          {"description", "The latest revision of the country's profile; null when there is none"},
          {"properties",
           {{"markdown", {{"type", "string"}}},
            {"html", {{"type", "string"}, {"description", "Rendered in safe mode: no raw HTML"}}},
            {"revision", {{"type", "integer"}, {"description", "1 for the first revision"}}},
            {"revisions", {{"type", "integer"}}},
            {"author", {{"type", "string"}}},
            {"note", {{"type", "string"}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}}}}}};
  const json nullable_string = {{"type", "string"}, {"nullable", true}};
  auto strict = [](json properties) {
    json required = json::array();
    for (const auto& [key, value] : properties.items()) required.push_back(key);
    return json{{"type", "object"},
                {"required", required},
                {"properties", std::move(properties)},
                {"additionalProperties", false}};
  };
  json entity_source = strict(
      {{"document_id", {{"type", "integer"}}},
       {"record_id", {{"type", "integer"}, {"description", "0 when the claim comes from no record"}}},
       {"document", {{"type", "string"}, {"description", "the citable source: its URL, else its title or path"}}},
       {"href", nullable_string},
       {"line", {{"type", "integer"}, {"description", "1-based line of the document"}}},
       {"quote", {{"type", "string"}}},
       {"stated_on", nullable_string},
       {"section", nullable_string},
       {"rule", {{"type", "string"}, {"description", "the resolution rule that attached the claim"}}},
       {"edited",
        {{"type", "object"},
         {"nullable", true},
         {"description", "a published edit's claim: its editor, the day it was published, its change set; null for a document's"},
         {"required", {"by", "on", "edit_id"}},
         {"properties",
          {{"by", {{"type", "string"}}}, {"on", {{"type", "string"}, {"format", "date"}}},
           {"edit_id", {{"type", "integer"}}}}},
         {"additionalProperties", false}}}});
  json entity_value = strict({{"value", {{"type", "string"}, {"description", "canonical form"}}},
                              {"text", {{"type", "string"}, {"description", "as pages show it"}}},
                              {"href", nullable_string},
                              {"stated_on", nullable_string},
                              {"sources", {{"type", "array"}, {"items", Ref("EntitySource")}}}});
  json entity_field = strict(
      {{"name", {{"type", "string"}}},
       {"label", {{"type", "string"}}},
       {"set", {{"type", "boolean"}, {"description", "many values rather than one"}}},
       {"conflict", {{"type", "boolean"}, {"description", "sources of the same date disagree: values side by side"}}},
       {"values", {{"type", "array"}, {"items", Ref("EntityValue")}}},
       {"history", {{"type", "array"}, {"description", "earlier values, oldest first"}, {"items", Ref("EntityValue")}}},
       {"has_history", {{"type", "boolean"}}}});
  const json kinds = {"project", "activity", "news_item", "organisation", "contribution", "resource"};
  json entity = strict({{"id", {{"type", "string"}}},
                        {"kind", {{"type", "string"}, {"enum", kinds}}},
                        {"url", {{"type", "string"}}},
                        {"label", {{"type", "string"}}},
                        {"fields", {{"type", "array"}, {"items", Ref("EntityField")}}},
                        {"conflicts", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                        {"claims", {{"type", "integer"}}}});
  json entity_summary = strict({{"id", {{"type", "string"}}},
                                {"kind", {{"type", "string"}, {"enum", kinds}}},
                                {"label", {{"type", "string"}}},
                                {"href", {{"type", "string"}}},
                                {"when", nullable_string},
                                {"status", nullable_string}});
  json entity_list_props = paging;
  entity_list_props["items"] = {{"type", "array"}, {"items", Ref("EntitySummary")}};
  return {{"schemas",
           {{"Entity", entity},
            {"EntityField", entity_field},
            {"EntityValue", entity_value},
            {"EntitySource", entity_source},
            {"EntitySummary", entity_summary},
            {"EntityList", strict(entity_list_props)},
            {"Record", record},
            {"ProjectSummary", project_summary},
            {"ProjectList", {{"type", "object"}, {"required", {"total", "page", "per_page", "pages", "items"}},
                             {"properties", project_list_props}}},
            {"FacetValue", facet_value},
            {"Facets", facets},
            {"RecordList", {{"type", "object"}, {"properties", list_props}}},
            {"SearchResults", {{"type", "object"}, {"properties", search_props}}},
            {"NewsItem", news_item},
            {"Project", project},
            {"Country", country},
            {"Interval", interval},
            {"Range", range},
            {"Headline", headline},
            {"TreatySummary", summary},
            {"StateStatus", state},
            {"TreatyStatus", status},
            {"TimelinePoint", point},
            {"Error", error}}}};
}

}  // namespace

json OpenApiDocument() {
  json paths = json::object();
  for (const Route& r : Routes()) {
    if (r.kind == RouteKind::kPage || r.kind == RouteKind::kAsset || r.kind == RouteKind::kForm) {
      continue;
    }
    json params = json::array();
    for (size_t open = r.pattern.find('{'); open != std::string_view::npos;
         open = r.pattern.find('{', open + 1)) {
      const size_t close = r.pattern.find('}', open);
      params.push_back(Parameter(r.pattern.substr(open + 1, close - open - 1), "path", r.pattern));
    }
    std::string_view query = r.params;
    while (!query.empty()) {
      const size_t space = query.find(' ');
      params.push_back(Parameter(query.substr(0, space), "query", r.pattern));
      query = space == std::string_view::npos ? std::string_view() : query.substr(space + 1);
    }
    // Under /api/ errors are JSON; downloads and feeds answer the site's HTML error page.
    const json error = r.pattern.starts_with("/api/")
                           ? json{{"application/json", {{"schema", Ref("Error")}}}}
                           : json{{"text/html", {{"schema", {{"type", "string"}}}}}};
    json responses = {{"200", {{"description", "OK"}, {"content", Success(r)}}}};
    // Every route rejects a query parameter it does not take.
    responses["400"] = {{"description", "A malformed or unknown parameter"}, {"content", error}};
    if (r.pattern.find("{quarter}") != std::string_view::npos) {
      responses["400"]["description"] = "A malformed quarter (2023Q3 is well formed)";
    } else if (r.pattern.find("{ref}") != std::string_view::npos) {
      responses["404"] = {{"description", "Unknown treaty"}, {"content", error}};
    } else if (r.pattern.find('{') != std::string_view::npos) {
      responses["404"] = {{"description", "No such record, project or country"}, {"content", error}};
    }
    if (r.pattern.ends_with("/projects/{name}")) {
      // A project the knowledge base holds answers at its id; its names move there.
      responses["301"] = {{"description", "A project's name, acronym or alias: moved to the project at its id"},
                          {"headers", {{"Location", {{"schema", {{"type", "string"}}}}}}},
                          {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}};
    }
    if (EntityRoute(r.pattern)) {
      if (r.pattern.ends_with("{id}")) responses["404"]["description"] = "No entity of this kind with this id";
      responses["503"] = {{"description", "The knowledge base is not available"}, {"content", error}};
    }
    if (r.kind == RouteKind::kHealth) {
      responses["503"] = {{"description", "The database cannot be read"},
                          {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}};
    }
    json op = {{"summary", r.summary}, {"responses", responses}};
    if (!params.empty()) op["parameters"] = params;
    paths[std::string(r.pattern)] = {{"get", op}};
  }
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Octopus API"},
        {"version", "1"},
        {"description",
         "Treaty registry of Octopus: the computed status of every State under each treaty, on "
         "any date. Counts and dates the sources leave open are ranges. News, activities and "
         "projects read from the programme's documents, with full-text search and facets. "
         "Collections are paginated (page, per_page)."}}},
      {"servers", {{{"url", "/"}}}},
      {"paths", paths},
      {"components", Components()},
  };
}

}  // namespace octopus::web::internal
