#include "web/http.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "core/text.h"

namespace octopus::web {

using namespace std::string_view_literals;

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decoding; '+' is a space only in the query (form encoding).
Result<std::string> Decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      const bool complete = i + 2 < s.size();
      const int hi = complete ? HexValue(s[i + 1]) : -1;
      const int lo = complete ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return InvalidArgument("malformed percent escape in '" + std::string(s) + "'");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!text::IsValidUtf8(out) || out.find('\0') != std::string::npos) {
    return InvalidArgument("request target does not decode to UTF-8 text");
  }
  return out;
}

/// Calls `each(item)` for every element of a comma-separated header list,
/// trimmed; empty elements (",,") are skipped, as RFC 9110 §5.6.1 asks.
template <typename F>
void ForEachListItem(std::string_view list, F each) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = text::Trim(list.substr(0, comma));
    if (!item.empty()) each(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

/// The q-value of one Accept-Encoding element ("gzip;q=0.5" → 0.5); 1 when
/// absent, 0 when malformed (a value we cannot read accepts nothing).
double QValue(std::string_view params) {
  while (!params.empty()) {
    const size_t semi = params.find(';');
    std::string_view p = text::Trim(params.substr(0, semi));
    if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      p.remove_prefix(2);
      // RFC 9110: "0" or "1", optionally with up to three decimals.
      if (p.empty() || p.size() > 5 || (p[0] != '0' && p[0] != '1')) return 0;
      double q = p[0] - '0';
      if (p.size() > 1) {
        if (p[1] != '.') return 0;
        double scale = 0.1;
        for (char c : p.substr(2)) {
          if (c < '0' || c > '9') return 0;
          q += (c - '0') * scale;
          scale /= 10;
        }
      }
      return q > 1 ? 0 : q;
    }
    if (semi == std::string_view::npos) break;
    params.remove_prefix(semi + 1);
  }
  return 1;
}

}  // namespace

std::shared_ptr<const BodyFile> BodyFile::Of(std::string_view body) {
  const int fd = ::memfd_create("octopus-page", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return nullptr;
  std::shared_ptr<const BodyFile> file(new BodyFile(fd, body.size()));
  for (size_t done = 0; done < body.size();) {
    const ssize_t n = ::write(fd, body.data() + done, body.size() - done);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return nullptr;
    }
    done += static_cast<size_t>(n);
  }
  // What is served can no longer change, whoever holds the descriptor.
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    return nullptr;
  }
  return file;
}

BodyFile::~BodyFile() { ::close(fd_); }

std::string WireHead(const Response& r) {
  auto unsafe = [](std::string_view s) { return s.find_first_of("\r\n\0"sv) != std::string_view::npos; };
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + std::string(ReasonPhrase(r.status)) +
                    "\r\nServer: octopus\r\n";
  if (!r.content_type.empty()) {
    if (unsafe(r.content_type)) return "";
    out += "Content-Type: " + r.content_type + "\r\n";
  }
  for (const auto& [name, value] : r.headers) {
    if (unsafe(name) || unsafe(value) || name.empty()) return "";
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  return out;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  std::optional<double> gzip, any;
  ForEachListItem(accept_encoding, [&](std::string_view item) {
    const size_t semi = item.find(';');
    const std::string coding = text::ToLowerAscii(text::Trim(item.substr(0, semi)));
    const double q = semi == std::string_view::npos ? 1 : QValue(item.substr(semi + 1));
    if (coding == "gzip" || coding == "x-gzip") gzip = std::max(gzip.value_or(0), q);
    if (coding == "*") any = std::max(any.value_or(0), q);
  });
  if (gzip) return *gzip > 0;
  return any && *any > 0;
}

bool NoneMatchNames(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    return tag.starts_with("W/") ? tag.substr(2) : tag;
  };
  if (etag.empty()) return false;
  bool named = false;
  ForEachListItem(if_none_match, [&](std::string_view item) {
    if (item == "*" || opaque(item) == opaque(etag)) named = true;
  });
  return named;
}

std::optional<std::string> Gzip(std::string_view body) {
  if (body.size() > std::numeric_limits<uInt>::max() / 2) return std::nullopt;
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&z, body.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string Response::Header(std::string_view name) const {
  const std::string key = text::ToLowerAscii(name);
  for (const auto& [k, v] : headers) {
    if (text::ToLowerAscii(k) == key) return v;
  }
  return "";
}

void AddCommonHeaders(Response& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  if (r.content_type.starts_with("text/html")) {
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'self'; img-src 'self'; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  }
  if (r.Header("Cache-Control").empty()) r.headers.emplace_back("Cache-Control", "no-cache");
}

std::string LoggedTarget(std::string_view target) {
  target = target.substr(0, target.find('#'));
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view query = target.substr(q + 1);
  for (;;) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    // Compared decoded, as the site reads it ("tok%65n" is "token"); a name
    // that does not decode is taken for a secret.
    auto decoded = Decode(pair.substr(0, eq), true);
    const std::string name = decoded ? text::ToLowerAscii(*decoded) : std::string("token");
    const bool secret = name == "token" || name == "csrf" || name == "password";
    if (eq != std::string_view::npos && secret) {
      out.append(pair.substr(0, eq + 1));
      out.push_back('-');
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) return out;
    out.push_back('&');
    query = query.substr(amp + 1);
  }
}

std::optional<std::string> Target::Param(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Result<Target> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return InvalidArgument("request target must start with '/'");
  }
  // A fragment is not part of a request-target; some clients send it anyway.
  target = target.substr(0, target.find('#'));
  const size_t q = target.find('?');
  Target out;
  auto path = Decode(target.substr(0, q), false);
  if (!path) return path.status();
  out.path = std::move(*path);
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    auto key = Decode(pair.substr(0, eq), true);
    if (!key) return key.status();
    auto value = Decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!value) return value.status();
    out.query.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out.push_back(c);
    } else if (c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kParseError:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kIoError:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 403: return "Forbidden";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

std::string SafeJsonText(std::string json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (char c : json_text) {
    // Outside strings JSON never holds these characters, so replacing them
    // everywhere only touches string contents.
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view listen) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument("--listen '" + std::string(listen) + "': " + std::string(why) +
                           " (expected HOST:PORT, e.g. 127.0.0.1:8080)");
  };
  std::string host;
  std::string_view port;
  if (!listen.empty() && listen.front() == '[') {
    const size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return bad("malformed IPv6 address");
    }
    host = std::string(listen.substr(1, close - 1));
    port = listen.substr(close + 2);
  } else {
    const size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    host = std::string(listen.substr(0, colon));
    port = listen.substr(colon + 1);
  }
  if (host.empty()) return bad("no host");
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
    return bad("port must be 1..65535");
  }
  return std::pair<std::string, uint16_t>(std::move(host), static_cast<uint16_t>(value));
}

}  // namespace octopus::web
