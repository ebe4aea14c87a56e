#pragma once
/// `octopus serve`: the HTTP server over the Site.

#include <functional>
#include <memory>
#include <string>

#include "auth/accounts.h"
#include "auth/principal.h"
#include "core/result.h"
#include "web/http.h"
#include "kb/knowledge.h"
#include "service/registry.h"
#include "update/mailing.h"

namespace octopus::web {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  ///< HOST:PORT or [V6]:PORT
  std::string template_dir;  ///< "" → FindTemplateDir()
  std::string static_dir;    ///< "" → FindStaticDir()
  /// Worker threads the handlers run on, in parallel; 0: one per core.
  int threads = 0;
  int read_timeout_seconds = 30;  ///< a request must arrive within this (keep-alive idle too)
  /// A request not answered by its handler within this gets 503 with
  /// Retry-After; the handler's result, when it comes, still fills the cache.
  int handler_budget_seconds = 20;
  /// The same for a request answered by an external renderer (a PDF issue,
  /// Site::RendersOutOfProcess): it waits on threads of its own, holding no
  /// page worker, for the render (bounded by update::PdfLimits) or for the
  /// same issue's render another request began.
  int render_budget_seconds = 60;
  /// Where rendered PDF issues are kept across requests and restarts
  /// (SiteOptions::pdf_cache_dir); "" keeps none.
  std::string pdf_cache_dir;
  /// Connections one client address may hold open; more are closed at once.
  int max_connections_per_client = 128;
  /// How subscription confirmations are mailed; `smtp` empty: not mailed
  /// (subscriptions are still stored).
  update::MailSettings mail;
  /// The knowledge base the entity pages and API read (SiteOptions::knowledge);
  /// empty: they answer 503.
  std::function<Result<std::shared_ptr<const kb::KnowledgeBase>>(kb::Visibility)> knowledge;
  /// SiteOptions::authenticate and SiteOptions::accounts.
  std::function<auth::Principal(const Request&)> authenticate;
  auth::AccountOptions accounts;
};

/// Serves the site until SIGINT or SIGTERM, then stops accepting, lets the
/// requests in progress finish, closes idle connections and returns Ok.
/// Answers from memory (cached pages, refusals, /healthz) on the I/O threads,
/// everything else on the workers. Raises the descriptor limit to its hard
/// limit at start. HTTP/1.1 requests without Host get 400. GET /metrics, for
/// loopback clients only, gives the counters in Prometheus' text format.
/// A second signal during the shutdown ends the process at once.
/// Errors: InvalidArgument for a bad `listen`, IoError when the address
/// cannot be bound or the templates or stylesheet cannot be read.
/// Logs one JSON object per request to stderr, on a line of its own: time
/// (UTC), client address, method, path (the target with token values replaced
/// by "-"), status, bytes of body, duration in microseconds, route pattern.
Status Serve(const ServeOptions& opts, service::Registry& registry);

}  // namespace octopus::web
