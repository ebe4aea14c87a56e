// The OpenAPI document, generated from the route table so that it describes
// exactly the endpoints that exist; the shapes of the answers are written here.
#include <map>

#include "web/internal/routes.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

json Ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

json Parameter(std::string_view name, std::string_view in) {
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
  json schema;
  if (p == "/api/v1/openapi.json") {
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
                      {"description", "A count; min == max when the data determines it"},
                      {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}}};
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
  return {{"schemas",
           {{"Interval", interval},
            {"Range", range},
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
    if (r.kind == RouteKind::kPage || r.kind == RouteKind::kAsset) continue;
    json params = json::array();
    for (size_t open = r.pattern.find('{'); open != std::string_view::npos;
         open = r.pattern.find('{', open + 1)) {
      const size_t close = r.pattern.find('}', open);
      params.push_back(Parameter(r.pattern.substr(open + 1, close - open - 1), "path"));
    }
    std::string_view query = r.params;
    while (!query.empty()) {
      const size_t space = query.find(' ');
      params.push_back(Parameter(query.substr(0, space), "query"));
      query = space == std::string_view::npos ? std::string_view() : query.substr(space + 1);
    }
    const json error = {{"application/json", {{"schema", Ref("Error")}}}};
    json responses = {{"200", {{"description", "OK"}, {"content", Success(r)}}}};
    if (!params.empty()) {
      responses["400"] = {{"description", "A malformed or unknown parameter"},
                          {"content", error}};
    }
    if (r.pattern.find("{ref}") != std::string_view::npos) {
      responses["404"] = {{"description", "Unknown treaty"}, {"content", error}};
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
         "any date. Counts and dates the sources leave open are ranges."}}},
      {"servers", {{{"url", "/"}}}},
      {"paths", paths},
      {"components", Components()},
  };
}

}  // namespace octopus::web::internal
