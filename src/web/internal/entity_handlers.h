#pragma once
/// Handlers over the knowledge base's entities: one page and one API item per
/// entity, and a paginated API list per kind. Internal to the web module; the
/// route table in routes.cpp lists them.

#include "kb/knowledge.h"
#include "web/internal/entity_views.h"
#include "web/internal/routes.h"

namespace octopus::web::internal {

/// The page of the entity {id} of `kind`: NotFound when there is none.
Result<Response> EntityPage(Context& c, kb::Kind kind);
/// The entity {id} of `kind` as JSON (EntityJson); NotFound when there is none.
Result<Response> ApiEntity(Context& c, kb::Kind kind);
/// The entities of `kind` by label, paginated (page, per_page) like the
/// record lists: {total, page, per_page, pages, items: [EntitySummary]}.
Result<Response> ApiEntityList(Context& c, kb::Kind kind);

/// The project an old or new project URL names: its id ("glacy-plus"), else
/// any of its names, acronym or aliases ("GLACY+", "GLACY Plus"), compared
/// without case or accents. `by_name` says which. Nullptr when none does.
const kb::Entity* ProjectNamed(const kb::KnowledgeBase& kb, const std::string& key, bool* by_name);
/// The same for an entity of any kind.
const kb::Entity* EntityNamed(const kb::KnowledgeBase& kb, kb::Kind kind, const std::string& key,
                              bool* by_name);

/// Countries' English names from the site's gazetteer, for the view models.
CountryNamer Namer(const Context& c);

/// 301 to `location` (a path of the site), so that a shared link survives.
Response MovedPermanently(const std::string& location);

/// The same, as route handlers.
template <kb::Kind K>
Result<Response> EntityPageOf(Context& c) {
  return EntityPage(c, K);
}
template <kb::Kind K>
Result<Response> ApiEntityOf(Context& c) {
  return ApiEntity(c, K);
}
template <kb::Kind K>
Result<Response> ApiEntityListOf(Context& c) {
  return ApiEntityList(c, K);
}

}  // namespace octopus::web::internal
