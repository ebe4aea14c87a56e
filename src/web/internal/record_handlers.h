#pragma once
/// Handlers of the lists over the knowledge base's entities (news, activities,
/// projects, countries, resources, search) and their feeds and exports.
/// Internal to the web module; the route table in routes.cpp lists them.
/// /news/{id} and /projects/{name} answer with the entity's page (a record
/// number or a project's name moves there with a 301).

#include <nlohmann/json.hpp>

#include "search/search.h"
#include "web/internal/routes.h"

namespace octopus::web::internal {

Result<Response> NewsPage(Context& c);
Result<Response> NewsItemPage(Context& c);
Result<Response> ActivitiesPage(Context& c);
Result<Response> ProjectsPage(Context& c);
Result<Response> ProjectPage(Context& c);
Result<Response> CountriesPage(Context& c);
Result<Response> CountryPage(Context& c);
Result<Response> CountryHistoryPage(Context& c);
Result<Response> SearchPage(Context& c);
Result<Response> ResourcesPage(Context& c);

Result<Response> ApiNews(Context& c);
Result<Response> ApiNewsItem(Context& c);
Result<Response> ApiActivities(Context& c);
Result<Response> ApiProjects(Context& c);
Result<Response> ApiProject(Context& c);
Result<Response> ApiCountries(Context& c);
Result<Response> ApiCountry(Context& c);
Result<Response> ApiSearch(Context& c);
Result<Response> ApiResources(Context& c);

Result<Response> NewsAtom(Context& c);
/// The public pages as a sitemap: the same for everyone.
Result<Response> Sitemap(Context& c);
Result<Response> ActivitiesIcs(Context& c);
Result<Response> ActivitiesCsv(Context& c);
Result<Response> ActivitiesJson(Context& c);
Result<Response> ProjectsCsv(Context& c);
Result<Response> ProjectsJson(Context& c);

/// The home page's latest news and upcoming activities (from today), added
/// to its model as "news"/"has_news" and "activities"/"has_activities".
Status AddRecordsToHome(Context& c, nlohmann::json& model);

/// Text with search markers as HTML: every part escaped, matches in <mark>.
std::string MarkedHtml(std::string_view marked);

}  // namespace octopus::web::internal
