// Pages and API answers over entities. Each handler takes the site's
// knowledge base snapshot, finds what the URL names, and renders the view
// model of entity_views.cpp; nothing here reads records.
#include <algorithm>

#include "core/text.h"
#include "search/search.h"
#include "web/internal/edit_handlers.h"
#include "web/internal/entity_handlers.h"
#include "web/internal/entity_views.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

/// The entity the path's {id} names, of `kind`.
Result<const kb::Entity*> Lookup(const kb::KnowledgeBase& kb, const Context& c, kb::Kind kind) {
  const std::string& id = c.path.at("id");
  const kb::Entity* e = kb.Find(id);
  if (!e || e->kind != kind) {
    return NotFound("no " + std::string(kb::KindName(kind)) + " '" + id + "'");
  }
  return e;
}

json Model(const kb::KnowledgeBase& kb, const kb::Entity& e, const CountryNamer& names) {
  switch (e.kind) {
    case kb::Kind::kProject: return ProjectModel(kb, e, names);
    case kb::Kind::kActivity: return ActivityModel(kb, e, names);
    case kb::Kind::kOrganisation: return OrganisationModel(kb, e, names);
    case kb::Kind::kContribution: return ContributionModel(kb, e, names);
    case kb::Kind::kResource: return ResourceModel(kb, e, names);
    case kb::Kind::kNewsItem: return NewsModel(kb, e, names);
  }
  return NewsModel(kb, e, names);
}

}  // namespace

CountryNamer Namer(const Context& c) {
  return [&c](std::string_view iso2) {
    const domain::Country* country = c.registry.gazetteer().ByIso2(std::string(iso2));
    return country ? country->name_en : std::string(iso2);
  };
}

const kb::Entity* EntityNamed(const kb::KnowledgeBase& kb, kb::Kind kind, const std::string& key,
                              bool* by_name) {
  *by_name = false;
  if (const kb::Entity* e = kb.Find(key); e && e->kind == kind) return e;
  const std::string folded = text::FoldKey(key);
  if (folded.empty()) return nullptr;
  for (const kb::Entity* e : kb.OfKind(kind)) {
    std::vector<std::string> names = e->values("aliases");
    names.push_back(e->value("name"));
    names.push_back(e->value("acronym"));
    for (const std::string& n : names) {
      if (!n.empty() && text::FoldKey(n) == folded) {
        *by_name = true;
        return e;
      }
    }
  }
  return nullptr;
}

const kb::Entity* ProjectNamed(const kb::KnowledgeBase& kb, const std::string& key, bool* by_name) {
  return EntityNamed(kb, kb::Kind::kProject, key, by_name);
}

Response MovedPermanently(const std::string& location) {
  Response r;
  r.status = 301;
  r.body = "Moved to " + location + "\n";
  r.headers.push_back({"Location", location});
  return r;
}

Result<Response> EntityPage(Context& c, kb::Kind kind) {
  auto kb = c.Knowledge();
  if (!kb) return kb.status();
  auto e = Lookup(**kb, c, kind);
  if (!e) return e.status();
  json model = Model(**kb, **e, Namer(c));
  // Pages for a signed-in principal are never cached: the link reaches editors only.
  if (auth::Allows(c.principal.role, auth::Role::kEditor)) model["edit_href"] = EditHref(**e);
  return c.Page("entity", std::move(model));
}

Result<Response> ApiEntity(Context& c, kb::Kind kind) {
  auto kb = c.Knowledge();
  if (!kb) return kb.status();
  auto e = Lookup(**kb, c, kind);
  if (!e) return e.status();
  return JsonResponse(EntityJson(**kb, **e, Namer(c)));
}

Result<Response> ApiEntityList(Context& c, kb::Kind kind) {
  auto r = search::RequestFrom([&c](std::string_view name) { return c.target.Param(name); },
                               c.registry.gazetteer());
  if (!r) return r.status();
  if (r->page < 1 || r->per_page < 1 || r->per_page > search::kMaxPerPage) {
    return InvalidArgument("page and per_page must be positive; per_page at most " +
                           std::to_string(search::kMaxPerPage));
  }
  auto kb = c.Knowledge();
  if (!kb) return kb.status();
  std::vector<const kb::Entity*> all = (*kb)->OfKind(kind);
  std::stable_sort(all.begin(), all.end(), [](const kb::Entity* a, const kb::Entity* b) {
    return a->label != b->label ? a->label < b->label : a->id < b->id;
  });
  const size_t total = all.size();
  const size_t per_page = static_cast<size_t>(r->per_page);
  const size_t first = std::min(total, (static_cast<size_t>(r->page) - 1) * per_page);
  const size_t last = std::min(total, first + per_page);
  json items = json::array();
  for (size_t i = first; i < last; ++i) items.push_back(EntitySummary(*all[i]));
  const size_t pages = total == 0 ? 1 : (total + per_page - 1) / per_page;
  return JsonResponse({{"total", total},
                       {"page", r->page},
                       {"per_page", r->per_page},
                       {"pages", pages},
                       {"items", std::move(items)}});
}

}  // namespace octopus::web::internal
