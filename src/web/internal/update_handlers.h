#pragma once
/// Handlers of the quarterly update (/updates, /updates/{issue}, its JSON in
/// the API) and of the subscription pages. Internal to the web module; the
/// route table in routes.cpp lists them.
#include "web/internal/routes.h"

namespace octopus::web::internal {

/// The quarters with records (documents' periods, activities' dates), newest first.
Result<Response> UpdatesPage(Context& c);
/// "2023Q3": the issue inside the site; "2023Q3.html|.md|.txt|.pdf|.json": the
/// format as is, with its Content-Type. 400 naming {issue} when malformed;
/// 503 for PDF without weasyprint.
Result<Response> UpdateIssuePage(Context& c);
/// /api/v1/updates/{quarter}: the issue's sections as JSON.
Result<Response> ApiUpdate(Context& c);
/// GET: the form. POST (email=…): records a pending subscription and mails the
/// confirmation when the site has mail settings; the page never says whether
/// the address was subscribed already. 400 for an invalid address.
Result<Response> SubscribePage(Context& c);
/// ?token=: confirms; 404 for an unknown token.
Result<Response> SubscribeConfirmPage(Context& c);
/// ?token=: GET a one-button form; POST (RFC 8058 one-click) unsubscribes; 404
/// for an unknown token.
Result<Response> UnsubscribePage(Context& c);

}  // namespace octopus::web::internal
