#pragma once
/// Editing on the site: the forms that create and edit entities and country
/// profiles, and the review queue. Internal to the web module; the route
/// table in routes.cpp lists the handlers.
///
/// Every handler needs a signed-in editor (a reader's GET is sent to /login,
/// a reader's POST and a practitioner get 403); /review needs a reviewer. A POST passes
/// CheckStateChange first (403 otherwise). What an editor submits is read by
/// the ingest rules (ingest/values.h: dates as people type them, amounts;
/// countries by the gazetteer; projects and organisations by the knowledge
/// base); on any error the form is shown again with what was typed and the
/// error beside its field, and nothing is stored.
#include <string>

#include "kb/knowledge.h"
#include "web/internal/routes.h"

namespace octopus::web::internal {

/// "/edit/projects/cybereast": where an entity is edited.
std::string EditHref(const kb::Entity& entity);

/// /edit/{kind}/{id}: {kind} a kb::KindPath ("projects", …) with {id} an
/// entity's id or "new", "countries" with an ISO code (the profile), or
/// "treaties" with a treaty's reference (a treaty action with the URL or
/// citation of its source, registry evidence once published). GET the form; POST
/// stores a change set (a draft, or published when data/editing.csv says the
/// kind publishes directly) and says which. 404 for an unknown kind or entity.
Result<Response> EditPage(Context& c);

/// /review: GET the drafts awaiting review, each value's before and after;
/// POST id=…&decision=approve|reject publishes or rejects one (403 for the
/// author's own, 409 when it is not a draft any more). A publication is on
/// the public pages, the API and in search at once.
Result<Response> ReviewPage(Context& c);

/// A country's 24/7 point of contact: the form (editors), POST records a
/// revision, audited, published at once (it is restricted: practitioners
/// and above see it).
Result<Response> ContactPage(Context& c);

}  // namespace octopus::web::internal
