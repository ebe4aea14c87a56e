#pragma once
/// The site: every page and API endpoint as one function from a Request to a
/// Response, with no sockets involved (src/web/server.cpp is the only code
/// that speaks HTTP on the wire). Pages and JSON are rendered once per URL and
/// database generation and served from memory after that. Requests are
/// answered in parallel: the store is safe to share between threads, the
/// cache guards itself, and nothing else is shared.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/accounts.h"
#include "auth/principal.h"
#include "core/result.h"
#include "domain/date.h"
#include "kb/knowledge.h"
#include "service/registry.h"
#include "update/mailing.h"
#include "web/http.h"
#include "web/templates.h"

namespace octopus::update {
class PdfCache;
}

namespace octopus::web {

namespace internal {
class PageCache;
struct SubscribeLimits;
}

struct SiteOptions {
  /// How often the store is asked whether another process wrote to it. Writes
  /// made through this process are seen at once after Invalidate().
  std::chrono::milliseconds generation_check_interval{1000};
  /// Today's date, for pages without ?as_of= (a clock of your own in tests).
  std::function<domain::Date()> today;
  /// Where unexpected errors are reported (one line each); stderr when empty.
  std::function<void(std::string_view)> log;
  /// Bytes of cached responses kept at most; the least recently used go first.
  size_t cache_bytes = size_t{64} << 20;
  /// How subscription confirmations are mailed; nullopt: they are not
  /// (subscriptions are stored, and the page says mail is not configured).
  std::optional<update::MailSettings> mail;
  /// Called after a message was queued in the store's outbox (the server
  /// wakes its outbox worker); may be empty.
  std::function<void()> mail_queued;
  /// The knowledge base the entity pages and API read (service::Knowledge's
  /// Current()); called once per request that needs it. Empty: those pages
  /// answer 503, saying the knowledge base is not available.
  std::function<Result<std::shared_ptr<const kb::KnowledgeBase>>(kb::Visibility)> knowledge;
  /// Who a request is from (its session cookie looked up); empty: everyone is
  /// a reader. A response to a signed-in principal is never served from or
  /// stored in the shared page cache.
  std::function<auth::Principal(const Request&)> authenticate;
  /// Accounts: the base URL (cookie attributes, the origin a form must come
  /// from), session timeouts, the common password list, the clock.
  auth::AccountOptions accounts;
  /// Where rendered PDF issues are kept (update::PdfCache), so that an issue
  /// is rendered once per content, across restarts; "" keeps none.
  std::string pdf_cache_dir;
};

/// A static file held in memory.
struct Asset {
  std::string body;
  std::string content_type;
  std::string version;  ///< a content hash, appended to links as ?v= for long caching
};

class Site {
 public:
  /// Loads the templates from `template_dir` and the stylesheet from
  /// `static_dir`. IoError naming what is missing. `registry` must outlive the
  /// site; the site is then its only user (see Handle).
  static Result<std::unique_ptr<Site>> Open(service::Registry& registry,
                                            const std::string& template_dir,
                                            const std::string& static_dir,
                                            SiteOptions options = {});

  /// Answers one request. Never throws: expected failures become 4xx pages
  /// (JSON under /api/), anything unexpected a logged 500. Thread-safe.
  Response Handle(const Request& request);
  /// The same answer, shared: a cached answer is handed out without copying
  /// its body. The Response is immutable.
  std::shared_ptr<const Response> HandleShared(const Request& request);
  /// The answer when it needs no rendering (a refusal, a cached response or
  /// its 304, the health check); nullptr when HandleShared must render it.
  /// The server answers these on its I/O threads.
  std::shared_ptr<const Response> HandleFromMemory(const Request& request);

  /// Whether the answer comes from an external renderer (a PDF issue) when it
  /// is not cached: the server runs these apart from the page workers, so
  /// that a render and the requests waiting for it never hold them.
  static bool RendersOutOfProcess(const Request& request);

  /// The route pattern a request-target matches ("/treaties/{ref}"), or
  /// "other": a label for metrics that never holds the request's own text.
  static std::string_view RouteLabel(std::string_view target);

  /// The cache's size and hit counts, for metrics.
  struct CacheStats {
    size_t entries = 0;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t shared_renders = 0;  ///< misses answered by a render another request began
  };
  CacheStats cache_stats() const;
  /// Messages waiting in the store's outbox; -1 when it cannot be read.
  int64_t outbox_depth();

  /// Drops every cached response; call after writing through the registry.
  void Invalidate();

  /// The PDF cache's counts (zeros without one), for metrics.
  struct PdfCacheStats {
    uint64_t hits = 0;
    uint64_t renders = 0;
  };
  PdfCacheStats pdf_cache_stats() const;

  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;
  ~Site();

 private:
  struct Key {};  // only Open constructs a Site

 public:
  Site(Key, service::Registry& registry, Templates templates, Asset stylesheet,
       SiteOptions options);

 private:
  std::shared_ptr<const Response> HandleOrThrow(const Request& request, bool memory_only);
  /// Empties the cache when the store's generation changed; at most one
  /// thread asks the store at a time, the others go on meanwhile.
  void RefreshGeneration();

  const Templates templates_;
  const Asset stylesheet_;
  const SiteOptions options_;
  service::Registry& registry_;
  std::unique_ptr<internal::PageCache> cache_;
  std::unique_ptr<internal::SubscribeLimits> subscribe_limits_;
  std::unique_ptr<update::PdfCache> pdf_cache_;

  std::mutex generation_mu_;  // guards the three below
  std::string generation_;
  std::chrono::steady_clock::time_point generation_checked_;
  bool generation_known_ = false;
};

}  // namespace octopus::web
