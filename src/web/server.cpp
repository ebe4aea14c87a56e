// The only translation unit that speaks HTTP on the wire (Boost.Beast over
// Asio with C++20 coroutines). It is slow to compile: keep it small and put
// everything else in Site.
#include "web/serve.h"

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <sys/resource.h>
#include <sys/sendfile.h>

#include <array>
#include <atomic>
#include <chrono>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "store/store.h"
#include "web/metrics.h"
#include "web/site.h"
#include "web/templates.h"

namespace octopus::web {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::steady_clock;

constexpr size_t kHeaderLimit = 16 * 1024;  // request line and headers
constexpr size_t kBodyLimit = 64 * 1024;    // every route is a GET; bodies are refused above this
constexpr size_t kBufferLimit = kHeaderLimit + kBodyLimit;
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr size_t kLoggedTargetMax = 2048;
constexpr int kRetryAfterSeconds = 5;
/// Threads for requests answered by an external renderer (PDF): they wait for
/// the renderer's slot or for another request's render, so they cost no CPU.
constexpr size_t kRendererThreads = 8;

void LogLine(std::string_view line) {
  // One fwrite per line: stdio locks the stream, so lines from several
  // threads never interleave.
  std::string out(line);
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stderr);
}

std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms.count());
}

/// One JSON object per line: {"time", "client", "method", "path", "status",
/// "bytes", "duration_us", "route"}. "path" is the request-target with the
/// values of secret query parameters (tokens) replaced by "-" (LoggedTarget),
/// cut at kLoggedTargetMax bytes; bytes that are not UTF-8 become U+FFFD.
/// Bodies and headers (cookies) are never written.
void LogAccess(std::string_view client, std::string_view method, std::string_view target,
               int status, size_t bytes, int64_t micros, std::string_view route) {
  std::string logged = LoggedTarget(target);
  if (logged.size() > kLoggedTargetMax) logged.resize(kLoggedTargetMax);
  // Printable ASCII other than '"' and '\\' is its own JSON string: the
  // usual line is formatted directly, anything else goes through the encoder.
  auto plain = [](std::string_view s) {
    for (const char ch : s) {
      if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') return false;
    }
    return true;
  };
  if (plain(client) && plain(method) && plain(logged) && plain(route)) {
    LogLine(fmt::format("{{\"bytes\":{},\"client\":\"{}\",\"duration_us\":{},\"method\":\"{}\","
                        "\"path\":\"{}\",\"route\":\"{}\",\"status\":{},\"time\":\"{}\"}}",
                        bytes, client, micros, method, logged, route, status, UtcNow()));
    return;
  }
  const nlohmann::json line = {{"time", UtcNow()},        {"client", client},
                               {"method", method},        {"path", logged},
                               {"status", status},        {"bytes", bytes},
                               {"duration_us", micros},   {"route", route}};
  LogLine(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

/// A plain-text answer the server gives itself, with the common headers.
std::shared_ptr<const Response> ServerResponse(int status, std::string_view message) {
  Response r;
  r.status = status;
  r.body = fmt::format("{} {}: {}\n", status, ReasonPhrase(status), message);
  if (status == 503) r.headers.emplace_back("Retry-After", std::to_string(kRetryAfterSeconds));
  AddCommonHeaders(r);
  return std::make_shared<const Response>(std::move(r));
}

/// One client connection; lives as long as its coroutine.
struct Connection {
  Connection(tcp::socket socket, const asio::ip::address& address)
      : stream(std::move(socket)), address(address), peer(address.to_string()) {}
  beast::tcp_stream stream;
  const asio::ip::address address;  // the client's
  const std::string peer;           // the same, as text
  bool idle = false;  // waiting for a request; touched only on the stream's strand
};

/// The open connections, so that a shutdown can close the idle ones at once,
/// counted by client address for the per-client cap.
class ConnectionSet {
 public:
  using Handle = std::list<std::weak_ptr<Connection>>::iterator;

  /// Registers `c`; false (nothing registered) when its client already has
  /// `cap` connections open.
  bool Add(const std::shared_ptr<Connection>& c, int cap, Handle& out) {
    std::lock_guard lock(mu_);
    int& n = per_client_[c->peer];
    if (n >= cap) {
      if (n == 0) per_client_.erase(c->peer);
      return false;
    }
    ++n;
    out = open_.insert(open_.end(), c);
    return true;
  }
  void Remove(Handle h, const std::string& peer) {
    std::lock_guard lock(mu_);
    open_.erase(h);
    if (auto it = per_client_.find(peer); it != per_client_.end() && --it->second <= 0) {
      per_client_.erase(it);
    }
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return open_.size();
  }
  /// Cancels the pending read of every idle connection, on its own strand.
  /// A busy one sees the server stopping once its response is written.
  void CloseIdle() {
    std::lock_guard lock(mu_);
    for (const auto& weak : open_) {
      if (auto c = weak.lock()) {
        asio::post(c->stream.get_executor(), [c] {
          if (c->idle) c->stream.cancel();
        });
      }
    }
  }

 private:
  std::mutex mu_;
  std::list<std::weak_ptr<Connection>> open_;
  std::map<std::string, int> per_client_;
};

/// Removes a connection from the set when its coroutine ends, however it ends.
class Registration {
 public:
  Registration(ConnectionSet& set, const std::shared_ptr<Connection>& c, int cap)
      : set_(set), peer_(c->peer), added_(set.Add(c, cap, handle_)) {}
  ~Registration() {
    if (added_) set_.Remove(handle_, peer_);
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  bool added() const { return added_; }

 private:
  ConnectionSet& set_;
  const std::string peer_;
  ConnectionSet::Handle handle_;
  const bool added_;
};

/// A request handed to a worker thread, and its answer once there.
struct Job {
  explicit Job(const asio::any_io_executor& executor) : done(executor) {}
  Request request;
  steady_clock::time_point deadline;  // the handler budget's end
  asio::steady_timer done;  // cancelled, on the connection's strand, when `result` is set
  std::mutex mu;
  std::shared_ptr<const Response> result;
};

/// Whether an address is this machine's own (the only clients /metrics answers).
bool IsLoopback(const asio::ip::address& a) {
  if (a.is_loopback()) return true;
  return a.is_v6() && a.to_v6().is_v4_mapped() &&
         asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).is_loopback();
}

/// The HTTP status for a request that could not be read, or 0 to close silently.
int ReadFailureStatus(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit || ec == http::error::buffer_overflow) return 413;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  if (ec.category() == beast::error_code(http::error::bad_target).category()) return 400;
  return 0;  // timeout, reset, cancelled by shutdown
}

class Server {
 public:
  Server(Site& site, const ServeOptions& opts, int threads)
      : site_(site),
        opts_(opts),
        threads_(threads),
        acceptor_(asio::make_strand(ioc_)),
        signals_(ioc_, SIGINT, SIGTERM),
        renderers_(kRendererThreads),
        workers_(static_cast<size_t>(threads)) {}

  Status Listen(const std::string& host, uint16_t port) {
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    const auto results = resolver.resolve(host, std::to_string(port),
                                          tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return IoError("cannot resolve '" + host + "': " + ec.message());
    }
    const tcp::endpoint endpoint = results.begin()->endpoint();
    const std::string where = opts_.listen;
    if (acceptor_.open(endpoint.protocol(), ec); ec) {
      return IoError("cannot listen on " + where + ": " + ec.message());
    }
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (acceptor_.bind(endpoint, ec); ec) {
      return IoError("cannot listen on " + where + ": " + ec.message());
    }
    if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
      return IoError("cannot listen on " + where + ": " + ec.message());
    }
    return Status::Ok();
  }

  void Run() {
    signals_.async_wait([this](const beast::error_code& ec, int signal) {
      if (!ec) Shutdown(signal);
    });
    asio::co_spawn(acceptor_.get_executor(), Accept(), asio::detached);
    {
      // Handlers run on the workers; the I/O threads only read, write and
      // answer from memory, so two are enough however many workers there are.
      std::vector<std::jthread> extra;
      if (threads_ > 1) extra.emplace_back([this] { ioc_.run(); });
      ioc_.run();
    }
    // Handlers still running for a request already answered 503 end here.
    workers_.join();
    renderers_.join();
  }

 private:
  void Shutdown(int signal) {
    LogLine(fmt::format("octopus: {} received; finishing the requests in progress "
                        "(signal again to stop at once)",
                        signal == SIGINT ? "SIGINT" : "SIGTERM"));
    stopping_ = true;
    // Back to the default action: a second signal ends the process.
    beast::error_code ignored;
    signals_.clear(ignored);
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    connections_.CloseIdle();
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(
          asio::make_strand(ioc_), asio::redirect_error(asio::use_awaitable, ec));
      if (stopping_ || !acceptor_.is_open()) co_return;
      if (ec) {
        // Out of descriptors and the like: say so and breathe before retrying.
        LogLine("octopus: accept: " + ec.message());
        asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      // Responses go out in one or a few writes: do not let Nagle hold back
      // their tail waiting for the client's delayed ACK.
      socket.set_option(tcp::no_delay(true), ec);
      const auto remote = socket.remote_endpoint(ec);
      if (ec) continue;  // gone already
      auto connection = std::make_shared<Connection>(std::move(socket), remote.address());
      asio::co_spawn(connection->stream.get_executor(), Session(connection), asio::detached);
    }
  }

  asio::awaitable<void> Session(std::shared_ptr<Connection> c) {
    Registration registration(connections_, c, opts_.max_connections_per_client);
    beast::error_code ec;
    if (!registration.added()) {
      // Over the per-client cap: closed at once, holding no descriptor.
      c->stream.socket().close(ec);
      co_return;
    }
    beast::flat_buffer buffer(kBufferLimit);
    while (!stopping_) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kHeaderLimit);
      parser.body_limit(kBodyLimit);
      c->stream.expires_after(std::chrono::seconds(opts_.read_timeout_seconds));
      c->idle = true;
      co_await http::async_read(c->stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      c->idle = false;
      const auto start = steady_clock::now();
      if (ec) {
        if (const int status = ReadFailureStatus(ec); status != 0) {
          co_await Write(*c, 11, false, false, *ServerResponse(status, ec.message()), "-", "-",
                         "other", start);
        }
        break;
      }

      const auto& req = parser.get();
      Request request;
      request.method = std::string(req.method_string());
      request.target = std::string(req.target());
      for (const auto field : {http::field::if_none_match, http::field::accept_encoding,
                               http::field::content_type,
                               http::field::origin, http::field::cookie,
                               http::field::referer}) {
        if (auto it = req.find(field); it != req.end()) {
          const auto name = http::to_string(field);
          request.headers[text::ToLowerAscii(std::string_view(name.data(), name.size()))] =
              std::string(it->value());
        }
      }
      if (auto it = req.find(http::field::host); it != req.end()) {
        request.headers["host"] = std::string(it->value());
      }
      request.body = req.body();
      request.peer = c->peer;
      const std::string route(Site::RouteLabel(request.target));
      // Cached answers are shared, not copied: the body is written straight
      // from the cache, kept alive by `response` until the write completes.
      std::shared_ptr<const Response> response;
      const bool no_host = req.version() >= 11 && req.find(http::field::host) == req.end();
      if (no_host) {
        response = ServerResponse(400, "an HTTP/1.1 request must carry a Host header");
      } else if (request.target == "/metrics" && request.method == "GET") {
        response = IsLoopback(c->address) ? MetricsResponse()
                                                 : ServerResponse(403, "metrics are for this machine only");
      } else {
        response = site_.HandleFromMemory(request);
        if (!response) response = co_await OnWorker(*c, std::move(request));
      }
      const bool keep_alive = req.keep_alive() && !stopping_ && !no_host;
      const bool written =
          co_await Write(*c, req.version(), keep_alive, req.method() == http::verb::head,
                         *response, std::string(req.method_string()), std::string(req.target()),
                         route, start);
      if (!written || !keep_alive) break;
    }
    c->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  /// Runs the site's handler on a worker; past the handler budget the client
  /// gets a 503 with Retry-After and the handler's answer, when it comes, only
  /// fills the cache.
  asio::awaitable<std::shared_ptr<const Response>> OnWorker(Connection& c, Request request) {
    auto job = std::make_shared<Job>(c.stream.get_executor());
    job->request = std::move(request);
    // A PDF waits for the renderer's slot or for the same issue's render:
    // apart, on threads that only wait, never holding a page worker.
    const bool rendered_apart = Site::RendersOutOfProcess(job->request);
    job->deadline = steady_clock::now() +
                    std::chrono::seconds(rendered_apart ? std::max(opts_.render_budget_seconds,
                                                                   opts_.handler_budget_seconds)
                                                        : opts_.handler_budget_seconds);
    job->done.expires_at(job->deadline);
    ++in_flight_;
    auto& pool = rendered_apart ? renderers_ : workers_;
    asio::post(pool, [this, job] {
      // A request whose client was already told to come back is not started.
      std::shared_ptr<const Response> result;
      if (steady_clock::now() < job->deadline) result = site_.HandleShared(job->request);
      {
        std::lock_guard lock(job->mu);
        job->result = std::move(result);
      }
      --in_flight_;
      asio::post(job->done.get_executor(), [job] { job->done.cancel(); });
    });
    beast::error_code ec;
    co_await job->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::lock_guard lock(job->mu);
    if (job->result) co_return job->result;
    ++budget_exceeded_;
    co_return ServerResponse(503, "the server is busy; ask again in a few seconds");
  }

  std::shared_ptr<const Response> MetricsResponse() {
    const Site::CacheStats cache = site_.cache_stats();
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.Render({
        {"octopus_cache_entries", "Responses in the page cache.", double(cache.entries)},
        {"octopus_cache_bytes", "Bytes the page cache holds.", double(cache.bytes)},
        {"octopus_cache_hits_total", "Requests answered from the page cache.", double(cache.hits)},
        {"octopus_cache_misses_total", "Cacheable requests that had to be rendered.",
         double(cache.misses)},
        {"octopus_cache_shared_renders_total",
         "Cache misses answered by the render of the same page another request began.",
         double(cache.shared_renders)},
        {"octopus_db_busy_retries_total", "Statements retried after finding the database locked.",
         double(store::StoreBusyRetries())},
        {"octopus_open_connections", "Client connections open.", double(connections_.size())},
        {"octopus_pdf_cache_hits_total", "PDF issues served from the PDF cache, not rendered.",
         double(site_.pdf_cache_stats().hits)},
        {"octopus_pdf_renders_total", "PDF issues rendered (and kept in the PDF cache).",
         double(site_.pdf_cache_stats().renders)},
        {"octopus_outbox_depth", "Mail messages waiting in the outbox (-1: unreadable).",
         double(site_.outbox_depth())},
        {"octopus_handlers_in_flight", "Requests queued for or running on a worker.",
         double(in_flight_.load())},
        {"octopus_handler_budget_exceeded_total", "Requests answered 503 past the handler budget.",
         double(budget_exceeded_.load())},
    });
    AddCommonHeaders(r);
    return std::make_shared<const Response>(std::move(r));
  }

  /// Writes `response` and logs it; false when the connection failed.
  asio::awaitable<bool> Write(Connection& c, unsigned version, bool keep_alive, bool head,
                              const Response& response, std::string method, std::string target,
                              std::string route, steady_clock::time_point start) {
    beast::error_code ec;
    const size_t bytes = response.body.size();
    if (!response.wire_head.empty() && version == 11 && keep_alive) {
      if (response.body_file && !head) {
        const bool sent = co_await SendFile(c, response.wire_head, *response.body_file);
        co_return Logged(c, response.status, bytes, method, target, route, start) && sent;
      }
      // A cached page: its head was made once; head and body in one write.
      c.stream.expires_after(kWriteTimeout);
      const std::array<asio::const_buffer, 2> wire = {
          asio::buffer(response.wire_head),
          asio::buffer(response.body.data(), head ? 0 : bytes)};
      co_await asio::async_write(c.stream, wire, asio::redirect_error(asio::use_awaitable, ec));
      co_return Logged(c, response.status, bytes, method, target, route, start) && !ec;
    }
    http::response<http::span_body<const char>> res{static_cast<http::status>(response.status),
                                                     version};
    res.set(http::field::server, "octopus");
    if (!response.content_type.empty()) res.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res.set(name, value);
    res.keep_alive(keep_alive);
    if (head) {
      res.content_length(bytes);
    } else {
      res.body() = {response.body.data(), bytes};
      res.prepare_payload();
    }
    c.stream.expires_after(kWriteTimeout);
    co_await http::async_write(c.stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return Logged(c, response.status, bytes, method, target, route, start) && !ec;
  }

  /// Sends `head`, then the whole of `file` by sendfile: the kernel takes the
  /// pages of the file rather than a copy of the body for each client. The head
  /// goes with MSG_MORE so that it travels in the body's first segment.
  asio::awaitable<bool> SendFile(Connection& c, std::string_view head, const BodyFile& file) {
    auto& socket = c.stream.socket();
    beast::error_code ec;
    // The stream's timeout covers only its own operations: this timer cancels
    // the socket's if the client stops reading. Destroyed with this frame, it
    // calls its handler with operation_aborted, which touches nothing.
    asio::steady_timer guard(socket.get_executor());
    guard.expires_after(kWriteTimeout);
    guard.async_wait([&socket](const beast::error_code& expired) {
      beast::error_code ignored;
      if (!expired) socket.cancel(ignored);
    });
    for (size_t sent = 0; sent < head.size();) {
      sent += co_await socket.async_send(asio::buffer(head.substr(sent)),
                                         tcp::socket::message_flags(MSG_MORE),
                                         asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return false;
    }
    socket.native_non_blocking(true, ec);
    if (ec) co_return false;
    off_t offset = 0;
    const auto size = static_cast<off_t>(file.size());
    while (offset < size) {
      const ssize_t n = ::sendfile(socket.native_handle(), file.fd(), &offset,
                                   static_cast<size_t>(size - offset));
      if (n > 0 || (n < 0 && errno == EINTR)) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        co_await socket.async_wait(tcp::socket::wait_write,
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return false;
        continue;
      }
      co_return false;  // the client went away, or the file ended early
    }
    co_return true;
  }

  /// Records a written response in the metrics and the access log; true.
  bool Logged(const Connection& c, int status, size_t bytes, std::string_view method,
              std::string_view target, std::string_view route, steady_clock::time_point start) {
    const int64_t micros = Micros(start);
    metrics_.Record(route, status, static_cast<double>(micros) / 1e6);
    LogAccess(c.peer, method, target, status, bytes, micros, route);
    return true;
  }

  static int64_t Micros(steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - start)
        .count();
  }

  Site& site_;
  const ServeOptions& opts_;
  const int threads_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  ConnectionSet connections_;
  Metrics metrics_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> budget_exceeded_{0};
  // Declared last: joined and destroyed before the io_context their jobs post to.
  asio::thread_pool renderers_;
  asio::thread_pool workers_;
};

/// Raises the soft limit on open descriptors to the hard one, so that the
/// per-client cap, not the default 1024, bounds what clients can hold.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    LogLine(std::string("octopus: cannot raise the descriptor limit: ") + std::strerror(errno));
  }
}

}  // namespace

Status Serve(const ServeOptions& opts, service::Registry& registry) {
  auto listen = ParseListen(opts.listen);
  if (!listen) return listen.status();
  if (opts.threads < 0 || opts.threads > 256) {
    return InvalidArgument("--threads must be 1..256 (0: one per core), not " +
                           std::to_string(opts.threads));
  }
  const int threads =
      opts.threads > 0 ? opts.threads
                       : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (opts.read_timeout_seconds < 1) return InvalidArgument("read timeout must be >= 1 second");
  if (opts.handler_budget_seconds < 1) {
    return InvalidArgument("--handler-budget must be >= 1 second");
  }
  if (opts.render_budget_seconds < 1) {
    return InvalidArgument("--render-budget must be >= 1 second");
  }
  if (opts.max_connections_per_client < 1) {
    return InvalidArgument("--max-connections-per-client must be >= 1");
  }
  RaiseDescriptorLimit();
  // sendfile has no MSG_NOSIGNAL: a client gone mid-body must be an EPIPE
  // for that connection, not a signal that ends the server.
  std::signal(SIGPIPE, SIG_IGN);
  const std::string template_dir = opts.template_dir.empty() ? FindTemplateDir() : opts.template_dir;
  const std::string static_dir = opts.static_dir.empty() ? FindStaticDir() : opts.static_dir;
  SiteOptions site_options;
  // Declared before the site, which wakes it: destroyed after the site.
  std::unique_ptr<update::OutboxWorker> outbox;
  if (!opts.mail.smtp.empty()) {
    site_options.mail = opts.mail;
    outbox = std::make_unique<update::OutboxWorker>(registry.store(), opts.mail, LogLine);
    site_options.mail_queued = [worker = outbox.get()] { worker->Wake(); };
  }
  site_options.knowledge = opts.knowledge;
  site_options.authenticate = opts.authenticate;
  site_options.accounts = opts.accounts;
  site_options.pdf_cache_dir = opts.pdf_cache_dir;
  auto site = Site::Open(registry, template_dir, static_dir, std::move(site_options));
  if (!site) return site.status();

  Server server(**site, opts, threads);
  OCTOPUS_RETURN_IF_ERROR(server.Listen(listen->first, listen->second));
  LogLine(fmt::format("octopus: serving http://{}/ ({} worker{}; templates {}; Ctrl-C to stop)",
                      opts.listen, threads, threads == 1 ? "" : "s", template_dir));
  server.Run();
  LogLine("octopus: stopped");
  return Status::Ok();
}

}  // namespace octopus::web
