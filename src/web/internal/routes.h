#pragma once
/// The route table and what a handler sees. Internal to the web module.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "core/result.h"
#include "domain/date.h"
#include "kb/knowledge.h"
#include "service/registry.h"
#include "update/mailing.h"
#include "web/http.h"
#include "web/internal/rate_limit.h"
#include "web/site.h"
#include "web/templates.h"

namespace octopus::web::internal {

/// Everything a handler may use for one request.
struct Context {
  service::Registry& registry;
  const Templates& templates;
  const Asset& stylesheet;
  domain::Date today;
  const Target& target;
  /// Who asks; a reader unless the request carries a valid session.
  const auth::Principal& principal;
  /// The request's headers, names in lower case (Origin, Referer, Cookie, …).
  const std::map<std::string, std::string>& headers;
  std::map<std::string, std::string> path;  ///< path parameters ({ref})
  std::string_view method;  ///< "GET", "HEAD" or, for kForm routes, "POST"
  std::string_view body;    ///< the request body of a POST
  const std::optional<update::MailSettings>& mail;  ///< the site's mail settings
  /// The site's knowledge base provider (SiteOptions::knowledge).
  const std::function<Result<std::shared_ptr<const kb::KnowledgeBase>>(kb::Visibility)>& knowledge;
  const Request& request;  ///< as received (headers, the client's address)
  SubscribeLimits& subscribe_limits;
  /// Called after a message was queued in the outbox (SiteOptions::mail_queued).
  const std::function<void()>& mail_queued;
  const auth::AccountOptions& accounts;  ///< SiteOptions::accounts
  std::string_view peer;                 ///< the client's address (Request::peer)
  update::PdfCache* pdf_cache;           ///< where PDF issues are kept; may be null

  /// The knowledge base snapshot for the principal: everything for a
  /// practitioner and above, kb::PublicView for a reader. IoError when the
  /// site has none or it cannot be read.
  Result<std::shared_ptr<const kb::KnowledgeBase>> Knowledge() const;
  /// The public snapshot, whoever asks: what is served the same to everyone
  /// (the quarterly update in every format).
  Result<std::shared_ptr<const kb::KnowledgeBase>> PublicKnowledge() const;
  /// The visibility of the principal's role.
  kb::Visibility Visibility() const;

  /// ?as_of= as a date; today when absent or empty. InvalidArgument naming it.
  Result<domain::Date> AsOf() const;
  /// Renders template `name` inside the layout; `model` must hold "title".
  Result<Response> Page(std::string_view name, nlohmann::json model) const;
};

using Handler = Result<Response> (*)(Context&);

enum class RouteKind {
  kPage,    ///< HTML
  kApi,     ///< JSON under /api/v1
  kExport,  ///< CSV or JSON download
  kHealth,
  kAsset,   ///< static file from memory
  kForm,    ///< HTML that also takes a form by POST; never cached
};

struct Route {
  std::string_view pattern;  ///< "/treaties/{ref}.csv": {name} matches one segment
  std::string_view params;   ///< query parameters allowed, space-separated
  RouteKind kind;
  bool cache;                ///< render once per URL and generation
  Handler handler;
  std::string_view summary;  ///< one line, for the OpenAPI document
};

/// The table, in match order.
std::span<const Route> Routes();

/// The first route whose pattern matches `path`, filling `params`; nullptr if none.
const Route* Match(std::string_view path, std::map<std::string, std::string>& params);

/// A form body (application/x-www-form-urlencoded) as parameters.
/// InvalidArgument when it is malformed.
Result<Target> ParseForm(std::string_view body);

/// `r` with its HTTP status set to `status` (a page shown with an error).
Result<Response> WithStatus(Result<Response> r, int status);

/// The error page (HTML) or body (JSON) for a failed request.
Response ErrorResponse(const Status& status, bool api, const Templates& templates,
                       const Asset& stylesheet);

/// The OpenAPI 3.0 document for the routes that are not HTML pages.
nlohmann::json OpenApiDocument();

/// JSON as a response body (escaped with SafeJsonText): compact for the API,
/// indented for downloads people read.
Response JsonResponse(const nlohmann::json& j, int status = 200, bool indent = false);

}  // namespace octopus::web::internal
