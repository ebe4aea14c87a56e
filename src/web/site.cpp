#include "web/site.h"

#include "ingest/sha256.h"

#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "core/text.h"

#include "service/treaty_views.h"
#include "update/update.h"
#include "web/internal/page_cache.h"
#include "web/internal/routes.h"

namespace octopus::web {

namespace {

using internal::ErrorResponse;
using internal::Route;
using internal::RouteKind;

/// What a 503 tells the client to wait before asking again.
constexpr int kRetryAfterSeconds = 5;

/// Whether `route` takes the query parameter `name`.
bool Takes(const Route& route, std::string_view name) {
  std::string_view list = route.params;
  while (!list.empty()) {
    const size_t space = list.find(' ');
    if (list.substr(0, space) == name) return true;
    list = space == std::string_view::npos ? std::string_view() : list.substr(space + 1);
  }
  return false;
}

/// Pages people share and follow (HTML, and the forms) ignore the query
/// parameters they do not take: a link carrying "?fbclid=…" or "?utm_source=…"
/// shows the page, and every such spelling is one cached page. The API and
/// the exports, which programs call, stay strict (CheckQuery).
void DropParametersAPageDoesNotTake(Target& target, const Route& route) {
  if (route.kind != RouteKind::kPage && route.kind != RouteKind::kForm) return;
  std::erase_if(target.query, [&](const auto& param) { return !Takes(route, param.first); });
}

/// Query parameters not in the route's list, or given twice, are refused so
/// that a typo in a program's call never silently gives today's status.
Status CheckQuery(const Target& target, const Route& route) {
  std::vector<std::string_view> seen;
  for (const auto& [name, value] : target.query) {
    if (!Takes(route, name)) {
      return InvalidArgument("unknown query parameter '" + name + "'" +
                             (route.params.empty() ? std::string(" (this page takes none)")
                                                   : " (allowed: " + std::string(route.params) +
                                                         ")"));
    }
    for (std::string_view s : seen) {
      if (s == name) return InvalidArgument("query parameter '" + name + "' given twice");
    }
    seen.push_back(name);
  }
  return Status::Ok();
}

/// A finished answer: common headers added, shared from now on.
std::shared_ptr<const Response> Finish(Response r) {
  AddCommonHeaders(r);
  if (r.status == 503 && r.Header("Retry-After").empty()) {
    r.headers.emplace_back("Retry-After", std::to_string(kRetryAfterSeconds));
  }
  return std::make_shared<const Response>(std::move(r));
}

std::string ETagOf(const std::string& body, std::string_view variant = "") {
  return fmt::format("\"{:016x}{}\"", std::hash<std::string>{}(body), variant);
}

/// Bodies below this are sent as they are: gzip's header and trailer and a
/// round of inflating cost more than the bytes they save.
constexpr size_t kGzipMinBytes = 1024;
/// Cached bodies from this size on are also kept in a file the kernel sends
/// from (BodyFile): below it, copying costs less than the extra system call.
constexpr size_t kBodyFileMinBytes = 16 * 1024;

/// A cacheable 200, finished and shared, with its gzip twin when the body is
/// text and compresses by a tenth or more. Both carry "Vary: Accept-Encoding";
/// the twin has its own ETag, as a different representation must.
std::shared_ptr<const Response> FinishCacheable(Response r) {
  // Served many times: the bytes of its head are made once, here.
  auto seal = [](Response&& done) {
    AddCommonHeaders(done);
    done.wire_head = WireHead(done);
    if (done.body.size() >= kBodyFileMinBytes) done.body_file = BodyFile::Of(done.body);
    return std::make_shared<const Response>(std::move(done));
  };
  const bool binary = r.content_type.starts_with("application/pdf") ||
                      r.content_type.starts_with("image/png") ||
                      r.content_type.starts_with("application/octet-stream");
  std::optional<std::string> packed;
  if (!binary && r.body.size() >= kGzipMinBytes) packed = Gzip(r.body);
  const bool worth_it = packed && packed->size() <= r.body.size() - r.body.size() / 10;
  if (worth_it) r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("ETag", ETagOf(r.body));
  if (!worth_it) return seal(std::move(r));
  Response twin;
  twin.status = r.status;
  twin.content_type = r.content_type;
  twin.headers = r.headers;
  twin.headers.back().second = ETagOf(r.body, "-gzip");
  twin.headers.emplace_back("Content-Encoding", "gzip");
  twin.body = std::move(*packed);
  r.gzipped = seal(std::move(twin));
  return seal(std::move(r));
}

/// The store's generation: changes whenever anything is written (every write
/// adds a source or a profile revision).
Result<std::string> StoreGeneration(store::Store& store) {
  auto sources = store.Sources();
  if (!sources) return sources.status();
  auto profile = store.LastProfileRevisionId();
  if (!profile) return profile.status();
  auto edits = store.PublishedEditCount();
  if (!edits) return edits.status();
  // A document or a resource restricted or released changes what readers see.
  auto restrictions = store.LastRestrictionId();
  if (!restrictions) return restrictions.status();
  return fmt::format("{}:{}:{}:{}:{}", sources->size(), sources->empty() ? 0 : sources->back().id,
                     *profile, *edits, *restrictions);
}

}  // namespace

Result<std::unique_ptr<Site>> Site::Open(service::Registry& registry,
                                         const std::string& template_dir,
                                         const std::string& static_dir, SiteOptions options) {
  auto templates = Templates::Load(template_dir);
  if (!templates) return templates.status();
  const std::string css_path = (std::filesystem::path(static_dir) / "style.css").string();
  auto css = service::ReadFile(css_path);
  if (!css) return IoError("stylesheet " + css_path + " not found (set OCTOPUS_STATIC_DIR)");
  Asset stylesheet{*css, "text/css; charset=utf-8", ingest::Sha256Hex(*css).substr(0, 12)};
  // Search finds the countries' pages by their names and profiles.
  std::vector<store::CountryEntry> countries;
  for (const domain::Country& c : registry.gazetteer().all()) {
    store::CountryEntry entry{c.iso2, c.name_en, {c.name_fr, c.iso3}};
    entry.names.insert(entry.names.end(), c.aliases.begin(), c.aliases.end());
    countries.push_back(std::move(entry));
  }
  OCTOPUS_RETURN_IF_ERROR(registry.store().PutCountries(countries));
  if (!options.today) options.today = service::Today;
  if (!options.log) {
    options.log = [](std::string_view line) {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    };
  }
  std::unique_ptr<update::PdfCache> pdf_cache;
  if (!options.pdf_cache_dir.empty()) {
    auto opened = update::PdfCache::Open(options.pdf_cache_dir);
    if (!opened) return opened.status();
    pdf_cache = std::move(*opened);
  }
  auto site = std::make_unique<Site>(Key{}, registry, std::move(*templates),
                                     std::move(stylesheet), std::move(options));
  site->pdf_cache_ = std::move(pdf_cache);
  return site;
}

Site::Site(Key, service::Registry& registry, Templates templates, Asset stylesheet,
           SiteOptions options)
    : templates_(std::move(templates)),
      stylesheet_(std::move(stylesheet)),
      options_(std::move(options)),
      registry_(registry),
      cache_(std::make_unique<internal::PageCache>(options_.cache_bytes)),
      subscribe_limits_(std::make_unique<internal::SubscribeLimits>()) {}

Site::~Site() = default;

void Site::Invalidate() {
  std::lock_guard lock(generation_mu_);
  cache_->Clear();
  generation_known_ = false;
}

Site::CacheStats Site::cache_stats() const {
  const auto s = cache_->stats();
  return CacheStats{s.entries, s.bytes, s.hits, s.misses, s.shared_flights};
}

Site::PdfCacheStats Site::pdf_cache_stats() const {
  if (!pdf_cache_) return {};
  return {pdf_cache_->hits(), pdf_cache_->renders()};
}

int64_t Site::outbox_depth() {
  auto depth = registry_.store().OutboxDepth();
  return depth ? *depth : -1;
}

std::string_view Site::RouteLabel(std::string_view target) {
  auto parsed = ParseTarget(target);
  if (!parsed) return "other";
  std::map<std::string, std::string> params;
  const Route* route = internal::Match(parsed->path, params);
  return route ? route->pattern : std::string_view("other");
}

bool Site::RendersOutOfProcess(const Request& request) {
  auto parsed = ParseTarget(request.target);
  if (!parsed) return false;
  std::map<std::string, std::string> params;
  const Route* route = internal::Match(parsed->path, params);
  return route && route->pattern == "/updates/{issue}" && parsed->path.ends_with(".pdf");
}

void Site::RefreshGeneration() {
  std::unique_lock lock(generation_mu_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const auto now = std::chrono::steady_clock::now();
  if (generation_known_ && now - generation_checked_ < options_.generation_check_interval) return;
  auto generation = StoreGeneration(registry_.store());
  generation_checked_ = now;
  if (!generation) {
    // Serve nothing stale from a store that cannot be read.
    cache_->Clear();
    generation_known_ = false;
    return;
  }
  if (!generation_known_ || *generation != generation_) cache_->Clear();
  generation_ = std::move(*generation);
  generation_known_ = true;
}

Response Site::Handle(const Request& request) { return *HandleShared(request); }

std::shared_ptr<const Response> Site::HandleShared(const Request& request) {
  try {
    return HandleOrThrow(request, false);
  } catch (const std::exception& e) {
    options_.log(fmt::format("error: {} {}: {}", request.method, request.target, e.what()));
    return Finish(ErrorResponse(Status(StatusCode::kInternal, "internal error"),
                                request.target.starts_with("/api/"), templates_, stylesheet_));
  }
}

std::shared_ptr<const Response> Site::HandleFromMemory(const Request& request) {
  try {
    return HandleOrThrow(request, true);
  } catch (const std::exception&) {
    return nullptr;  // HandleShared will log and answer it
  }
}

std::shared_ptr<const Response> Site::HandleOrThrow(const Request& request, bool memory_only) {
  const bool api = request.target.starts_with("/api/");
  auto fail = [&](const Status& st) {
    return Finish(ErrorResponse(st, api, templates_, stylesheet_));
  };

  auto target = ParseTarget(request.target);
  if (!target) return fail(target.status());
  std::map<std::string, std::string> path_params;
  const Route* route = internal::Match(target->path, path_params);
  if (!route) return fail(NotFound("no page at " + target->path));
  const bool post_ok = route->kind == internal::RouteKind::kForm && request.method == "POST";
  if (request.method != "GET" && request.method != "HEAD" && !post_ok) {
    Response r = ErrorResponse(
        InvalidArgument("method " + request.method + " not allowed; use GET or HEAD"), api,
        templates_, stylesheet_);
    r.status = 405;
    r.headers.emplace_back("Allow", route->kind == internal::RouteKind::kForm ? "GET, HEAD, POST"
                                                                              : "GET, HEAD");
    return Finish(std::move(r));
  }
  DropParametersAPageDoesNotTake(*target, *route);
  if (Status st = CheckQuery(*target, *route); !st.ok()) return fail(st);

  const domain::Date today = options_.today();
  const bool has_session_cookie = options_.authenticate && request.headers.contains("cookie");
  const bool session_free = route->kind == RouteKind::kHealth || route->kind == RouteKind::kAsset;
  // Looking a session up reads the store: never on the I/O threads.
  if (memory_only && has_session_cookie && !session_free) return nullptr;
  const auth::Principal principal = options_.authenticate && !session_free
                                        ? options_.authenticate(request)
                                        : auth::Principal{};
  const bool cache = route->cache && !principal.signed_in();
  std::string key;
  internal::PageCache::Lookup cached;
  if (cache) {
    RefreshGeneration();
    key = internal::CacheKey(*target, today.ToIso(), "");
    cached = cache_->Find(key);
  }
  std::shared_ptr<const Response> shared = cached.hit;
  if (!shared) {
    if (memory_only && route->kind != RouteKind::kHealth) return nullptr;
    // Requests for the same page at the same data version render it once:
    // the others wait for that render (the same response, errors included).
    internal::PageCache::Ticket ticket;
    if (cache) {
      ticket = cache_->Board(key, cached.epoch);
      if (!ticket.leader) shared = internal::PageCache::Await(*ticket.flight);
    }
    if (!shared) {
      // Lands the flight however the render ends; a throw leaves the
      // waiters to render for themselves.
      struct Landing {
        internal::PageCache& cache;
        const std::string& key;
        const uint64_t epoch;
        const internal::PageCache::Ticket& ticket;
        std::shared_ptr<const Response> response;
        ~Landing() {
          if (ticket.leader) cache.Land(key, epoch, ticket.flight, std::move(response));
        }
      } landing{*cache_, key, cached.epoch, ticket, nullptr};
      internal::Context ctx{registry_,      templates_,   stylesheet_, today,
                            *target,        principal,    request.headers,
                            std::move(path_params),
                            request.method, request.body, options_.mail,
                            options_.knowledge, request, *subscribe_limits_,
                            options_.mail_queued, options_.accounts, request.peer,
                            pdf_cache_.get()};
      auto r = route->handler(ctx);
      // A form may have written (an edit published): nothing cached before it is served.
      if (post_ok) Invalidate();
      if (!r) return landing.response = fail(r.status());
      if (principal.signed_in()) r->headers.emplace_back("Cache-Control", "private, no-store");
      if (!cache || r->status != 200) return landing.response = Finish(std::move(*r));
      shared = FinishCacheable(std::move(*r));
      cache_->Put(key, shared, cached.epoch);
      landing.response = shared;
    }
  }
  if (shared->gzipped) {
    const auto ae = request.headers.find("accept-encoding");
    if (ae != request.headers.end() && AcceptsGzip(ae->second)) shared = shared->gzipped;
  }
  const auto inm = request.headers.find("if-none-match");
  if (shared->status == 200 && inm != request.headers.end() &&
      NoneMatchNames(inm->second, shared->Header("ETag"))) {
    Response r;
    r.status = 304;
    r.content_type.clear();
    // What a 200 would have said of the representation, not its encoding.
    for (const auto& header : shared->headers) {
      if (text::ToLowerAscii(header.first) != "content-encoding") r.headers.push_back(header);
    }
    return std::make_shared<const Response>(std::move(r));
  }
  return shared;
}

}  // namespace octopus::web
