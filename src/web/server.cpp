// The only translation unit that speaks HTTP on the wire (Boost.Beast over
// Asio with C++20 coroutines). It is slow to compile: keep it small and put
// everything else in Site.
#include "web/serve.h"

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

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

/// time method target status bytes microseconds
void LogAccess(std::string_view method, std::string_view target, int status, size_t bytes,
               int64_t micros) {
  if (target.size() > kLoggedTargetMax) target = target.substr(0, kLoggedTargetMax);
  LogLine(fmt::format("{} {} {} {} {} {}us", UtcNow(), method, target, status, bytes, micros));
}

/// One client connection; lives as long as its coroutine.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = false;  // waiting for a request; touched only on the stream's strand
};

/// The open connections, so that a shutdown can close the idle ones at once.
class ConnectionSet {
 public:
  using Handle = std::list<std::weak_ptr<Connection>>::iterator;

  Handle Add(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mu_);
    return open_.insert(open_.end(), c);
  }
  void Remove(Handle h) {
    std::lock_guard lock(mu_);
    open_.erase(h);
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
};

/// Removes a connection from the set when its coroutine ends, however it ends.
class Registration {
 public:
  Registration(ConnectionSet& set, const std::shared_ptr<Connection>& c)
      : set_(set), handle_(set.Add(c)) {}
  ~Registration() { set_.Remove(handle_); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  ConnectionSet& set_;
  ConnectionSet::Handle handle_;
};

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
  Server(Site& site, const ServeOptions& opts)
      : site_(site),
        opts_(opts),
        acceptor_(asio::make_strand(ioc_)),
        signals_(ioc_, SIGINT, SIGTERM) {}

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
    std::vector<std::jthread> extra;
    for (int i = 1; i < opts_.threads; ++i) extra.emplace_back([this] { ioc_.run(); });
    ioc_.run();
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
      // With one thread every handler runs on it already: a strand per
      // connection would only cost time.
      const asio::any_io_executor executor =
          opts_.threads > 1 ? asio::any_io_executor(asio::make_strand(ioc_))
                            : asio::any_io_executor(ioc_.get_executor());
      tcp::socket socket = co_await acceptor_.async_accept(
          executor, asio::redirect_error(asio::use_awaitable, ec));
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
      auto connection = std::make_shared<Connection>(std::move(socket));
      asio::co_spawn(connection->stream.get_executor(), Session(connection), asio::detached);
    }
  }

  asio::awaitable<void> Session(std::shared_ptr<Connection> c) {
    Registration registration(connections_, c);
    beast::flat_buffer buffer(kBufferLimit);
    beast::error_code ec;
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
          co_await WriteReadFailure(*c, status, ec, start);
        }
        break;
      }

      const auto& req = parser.get();
      Request request;
      request.method = std::string(req.method_string());
      request.target = std::string(req.target());
      for (const auto& [field, name] :
           {std::pair{http::field::if_none_match, "if-none-match"},
            std::pair{http::field::content_type, "content-type"},
            std::pair{http::field::cookie, "cookie"}, std::pair{http::field::origin, "origin"},
            std::pair{http::field::referer, "referer"}, std::pair{http::field::host, "host"}}) {
        if (auto it = req.find(field); it != req.end()) request.headers[name] = std::string(it->value());
      }
      request.body = req.body();
      boost::system::error_code peer_ec;
      const auto peer = c->stream.socket().remote_endpoint(peer_ec);
      if (!peer_ec) request.peer = peer.address().to_string();
      // Cached answers are shared, not copied: the body is written straight
      // from the cache, kept alive by `response` until the write completes.
      const std::shared_ptr<const Response> response = site_.HandleShared(request);

      http::response<http::span_body<const char>> res{
          static_cast<http::status>(response->status), req.version()};
      res.set(http::field::server, "octopus");
      if (!response->content_type.empty()) {
        res.set(http::field::content_type, response->content_type);
      }
      for (const auto& [name, value] : response->headers) res.set(name, value);
      const bool keep_alive = req.keep_alive() && !stopping_;
      res.keep_alive(keep_alive);
      const size_t bytes = response->body.size();
      if (req.method() == http::verb::head) {
        res.content_length(bytes);
      } else {
        res.body() = {response->body.data(), bytes};
        res.prepare_payload();
      }
      c->stream.expires_after(kWriteTimeout);
      co_await http::async_write(c->stream, res, asio::redirect_error(asio::use_awaitable, ec));
      LogAccess(request.method, request.target, response->status, bytes, Micros(start));
      if (ec || !keep_alive) break;
    }
    c->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  asio::awaitable<void> WriteReadFailure(Connection& c, int status, const beast::error_code& why,
                                         steady_clock::time_point start) {
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "octopus");
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.keep_alive(false);
    res.body() = fmt::format("{} {}: {}\n", status, ReasonPhrase(status), why.message());
    res.prepare_payload();
    const size_t bytes = res.body().size();
    beast::error_code ec;
    c.stream.expires_after(kWriteTimeout);
    co_await http::async_write(c.stream, res, asio::redirect_error(asio::use_awaitable, ec));
    LogAccess("-", "-", status, bytes, Micros(start));
  }

  static int64_t Micros(steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - start)
        .count();
  }

  Site& site_;
  const ServeOptions& opts_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  ConnectionSet connections_;
  std::atomic<bool> stopping_{false};
};

}  // namespace

Status Serve(const ServeOptions& opts, service::Registry& registry) {
  auto listen = ParseListen(opts.listen);
  if (!listen) return listen.status();
  if (opts.threads < 1 || opts.threads > 256) {
    return InvalidArgument("--threads must be 1..256, not " + std::to_string(opts.threads));
  }
  if (opts.read_timeout_seconds < 1) return InvalidArgument("read timeout must be >= 1 second");
  const std::string template_dir = opts.template_dir.empty() ? FindTemplateDir() : opts.template_dir;
  const std::string static_dir = opts.static_dir.empty() ? FindStaticDir() : opts.static_dir;
  SiteOptions site_options;
  if (!opts.mail.smtp.empty()) site_options.mail = opts.mail;
  site_options.knowledge = opts.knowledge;
  site_options.authenticate = opts.authenticate;
  site_options.accounts = opts.accounts;
  auto site = Site::Open(registry, template_dir, static_dir, std::move(site_options));
  if (!site) return site.status();

  Server server(**site, opts);
  OCTOPUS_RETURN_IF_ERROR(server.Listen(listen->first, listen->second));
  LogLine(fmt::format("octopus: serving http://{}/ ({} thread{}; templates {}; Ctrl-C to stop)",
                      opts.listen, opts.threads, opts.threads == 1 ? "" : "s", template_dir));
  server.Run();
  LogLine("octopus: stopped");
  return Status::Ok();
}

}  // namespace octopus::web
