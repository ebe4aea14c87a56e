// The OpenAPI document, generated from the route table so that it describes
// exactly the endpoints that exist; the shapes of the answers are written here.
#include <map>

#include "web/internal/routes.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

json Ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

/// The routes answering with one entity or a page of entity summaries, whose
/// {id} is an entity id.
bool EntityRoute(std::string_view p) {
  for (std::string_view e : {"/api/v1/activities/{id}", "/api/v1/organisations", "/api/v1/organisations/{id}",
                             "/api/v1/contributions", "/api/v1/contributions/{id}", "/api/v1/resources/{id}",
                             "/api/v1/news/{id}"}) {
    if (p == e) return true;
  }
  return false;
}

/// The routes that read the knowledge base (503 when it is not available).
bool KnowledgeRoute(std::string_view p) {
  if (EntityRoute(p)) return true;
  for (std::string_view e : {"/api/v1/news", "/api/v1/activities", "/api/v1/projects", "/api/v1/projects/{name}",
                             "/api/v1/countries", "/api/v1/countries/{iso2}", "/api/v1/resources", "/api/v1/search",
                             "/news.atom", "/activities.ics", "/activities.csv", "/activities.json",
                             "/projects.csv", "/projects.json", "/sitemap.xml"}) {
    if (p == e) return true;
  }
  return false;
}

json Parameter(std::string_view name, std::string_view in, std::string_view pattern) {
  if (name == "id" && EntityRoute(pattern)) {
    return {{"name", name},
            {"in", in},
            {"required", true},
            {"description", pattern == "/api/v1/news/{id}"
                                ? "Entity id (a short hash); an old record number moves to the news item "
                                  "its record became (301)"
                                : "Entity id: a slug of the name for projects and organisations "
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
       {{"description", "Entity kind (also news_item and the plurals: activities, projects, …)"},
        {"schema", {{"type", "string"},
                    {"enum", {"news", "news_item", "activity", "activities", "project", "projects",
                              "organisation", "organisations", "resource", "resources", "country",
                              "countries"}}}}}},
      {"country",
       {{"description", "Country: ISO 3166-1 alpha-2 code or any name the gazetteer knows"},
        {"schema", {{"type", "string"}}},
        {"example", "TR"}}},
      {"project",
       {{"description", "Project id, or its name, acronym or an alias, case-insensitive"},
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
      {"name", {{"description", "Project id; its name, acronym or an alias (percent-encoded) moves there (301)"},
                {"schema", {{"type", "string"}}}, {"example", "glacy-plus"}}},
      {"iso2", {{"description", "ISO 3166-1 alpha-2 code"}, {"schema", {{"type", "string"}}}, {"example", "TR"}}},
  };
  json p = kKnown.count(name) ? kKnown.at(name) : json{{"schema", {{"type", "string"}}}};
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
  if (p.ends_with(".xml")) {
    return {{"application/xml", {{"schema", {{"type", "string"}}}}}};
  }
  json schema;
  if (EntityRoute(p)) {
    schema = Ref(p.ends_with("{id}") ? "Entity" : "EntityList");
  } else if (p == "/api/v1/projects" || p == "/api/v1/news" || p == "/api/v1/activities") {
    schema = Ref("ItemList");
  } else if (p == "/api/v1/projects/{name}") {
    schema = Ref("Entity");
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
                      {"entities", {{"type", "integer"}, {"description", "indexed entities naming the country"}}},
                      {"coe_member", {{"type", "boolean"}}}}}}}}}}}};
  } else if (p == "/api/v1/countries/{iso2}") {
    schema = Ref("Country");
  } else if (p == "/api/v1/search") {
    schema = Ref("SearchResults");
  } else if (p == "/api/v1/resources") {
    schema = {{"type", "object"},
              {"required", {"q", "count", "resources"}},
              {"properties",
               {{"q", {{"type", "string"}}},
                {"count", {{"type", "integer"}}},
                {"resources", {{"type", "array"}, {"items", Ref("Item")}}}}}};
  } else if (p == "/activities.json" || p == "/projects.json") {
    schema = {{"type", "object"},
              {"required", {"count", p == "/projects.json" ? "projects" : "activities"}},
              {"properties",
               {{"count", {{"type", "integer"}}},
                {p == "/projects.json" ? "projects" : "activities",
                 {{"type", "array"}, {"items", Ref("Item")}}}}}};
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
  json search_props = paging;
  search_props["q"] = {{"type", "string"}};
  search_props["facets"] = Ref("Facets");
  search_props["results"] = {
      {"type", "array"},
      {"items",
       {{"type", "object"},
        {"properties",
         {{"kind", {{"type", "string"}}},
          {"id", {{"type", "string"}, {"description", "the entity's id (a country's ISO2 code)"}}},
          {"title", {{"type", "string"}}},
          {"url", {{"type", "string"}}},
          {"snippet", {{"type", "string"}}},
          {"snippet_html", {{"type", "string"}, {"description", "escaped, matches in <mark>"}}},
          {"date", {{"type", "string"}, {"nullable", true}}},
          {"sources", {{"type", "array"}, {"items", Ref("SourceDocument")}}}}}}}};
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
        {"projects", {{"type", "array"}, {"description", "projects naming the country, by name"},
                      {"items", Ref("EntitySummary")}}},
        {"activities", {{"type", "array"}, {"description", "activities naming the country, in date order"},
                        {"items", Ref("EntitySummary")}}},
        {"news", {{"type", "array"}, {"description", "the latest news naming the country"},
                  {"items", Ref("EntitySummary")}}},
        {"news_total", {{"type", "integer"}}},
        {"contact",
         {{"type", "object"},
          {"nullable", true},
          {"description",
           "The 24/7 point of contact for cybercrime cooperation (Budapest Convention Art. 35), with "
           "its source: restricted, given to practitioners and above only; null for everyone else and "
           "when none is recorded"},
          {"properties",
           {{"authority", {{"type", "string"}}},
            {"unit", {{"type", "string"}}},
            {"phone", {{"type", "string"}}},
            {"email", {{"type", "string"}}},
            {"hours", {{"type", "string"}}},
            {"languages", {{"type", "string"}}},
            {"last_verified", {{"type", "string"}, {"format", "date"}}},
            {"source", {{"type", "string"}}},
            {"author", {{"type", "string"}}},
            {"recorded_at", {{"type", "string"}}},
            {"restricted", {{"type", "boolean"}}}}}}},
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
  json source_document = strict(
      {{"document", {{"type", "string"}, {"description", "the citable source: its URL, else its title or path"}}},
       {"href", nullable_string},
       {"lines", {{"type", "string"}, {"description", "the lines the entity's claims come from: \"12, 40\""}}}});
  const json sources = {{"type", "array"},
                        {"description", "the documents the entity's claims come from, in claim order"},
                        {"items", Ref("SourceDocument")}};
  json entity_summary = strict({{"id", {{"type", "string"}}},
                                {"kind", {{"type", "string"}, {"enum", kinds}}},
                                {"label", {{"type", "string"}}},
                                {"href", {{"type", "string"}}},
                                {"when", nullable_string},
                                {"status", nullable_string},
                                {"sources", sources}});
  json entity_list_props = paging;
  entity_list_props["items"] = {{"type", "array"}, {"items", Ref("EntitySummary")}};
  // An entity (every field with its sources) and, flat, what lists sort and filter by.
  json item = entity["properties"];
  item["when"] = {{"type", "string"}, {"nullable", true}, {"description", "as people read it; an activity's as the source gives it"}};
  item["start"] = {{"type", "string"}, {"nullable", true}, {"description", "ISO, possibly reduced (2023-10); a news item's date"}};
  item["end"] = nullable_string;
  item["date_lo"] = {{"type", "string"}, {"nullable", true}, {"description", "the first day it may fall on"}};
  item["date_hi"] = {{"type", "string"}, {"nullable", true}, {"description", "the last day it may fall on"}};
  item["precision"] = {{"type", "string"}, {"nullable", true}, {"description", "an activity's date precision"}};
  item["status"] = {{"type", "string"}, {"nullable", true}, {"description", "planned, held, postponed or cancelled"}};
  item["countries"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
  item["projects"] = {{"type", "array"}, {"description", "project ids"}, {"items", {{"type", "string"}}}};
  item["sources"] = sources;
  json item_list_props = paging;
  item_list_props["items"] = {{"type", "array"}, {"items", Ref("Item")}};
  item_list_props["facets"] = Ref("Facets");
  return {{"schemas",
           {{"Entity", entity},
            {"EntityField", entity_field},
            {"EntityValue", entity_value},
            {"EntitySource", entity_source},
            {"EntitySummary", entity_summary},
            {"EntityList", strict(entity_list_props)},
            {"SourceDocument", source_document},
            {"Item", strict(item)},
            {"ItemList", strict(item_list_props)},
            {"FacetValue", facet_value},
            {"Facets", facets},
            {"SearchResults", {{"type", "object"}, {"properties", search_props}}},
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
      responses["404"] = {{"description", "No such news item, project or country"}, {"content", error}};
    }
    if (r.pattern == "/api/v1/news/{id}") {
      responses["301"] = {{"description", "An old record number: moved to the news item its record became"},
                          {"headers", {{"Location", {{"schema", {{"type", "string"}}}}}}},
                          {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}};
    }
    if (r.pattern.ends_with("/projects/{name}")) {
      // A project the knowledge base holds answers at its id; its names move there.
      responses["301"] = {{"description", "A project's name, acronym or alias: moved to the project at its id"},
                          {"headers", {{"Location", {{"schema", {{"type", "string"}}}}}}},
                          {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}};
    }
    if (EntityRoute(r.pattern) && r.pattern.ends_with("{id}")) {
      responses["404"]["description"] = "No entity of this kind with this id";
    }
    if (KnowledgeRoute(r.pattern)) {
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
         "any date. Counts and dates the sources leave open are ranges. Projects, activities, news, "
         "organisations, contributions and resources as entities built from the programme's "
         "documents, every field with its sources, with full-text search and facets. "
         "Collections are paginated (page, per_page). Every operation here refuses a query "
         "parameter it does not list, or one given twice, with a 400 naming it (the HTML pages, "
         "which people share with tracking parameters added, ignore the ones they do not take)."}}},
      {"servers", {{{"url", "/"}}}},
      {"paths", paths},
      {"components", Components()},
  };
}

}  // namespace octopus::web::internal
