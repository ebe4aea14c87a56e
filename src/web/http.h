#pragma once
/// HTTP as plain values: the request the server hands to the site and the
/// response the site gives back. No sockets and no Beast here, so everything
/// above the server is testable with ordinary function calls.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace octopus::web {

/// A request as the server received it. `target` is the raw request-target
/// ("/treaties/185?as_of=2011-06-01"), still percent-encoded.
struct Request {
  std::string method = "GET";
  std::string target = "/";
  /// Header names in lower case. Only the headers the site reads are kept.
  std::map<std::string, std::string> headers;
  /// The body of a POST (a form, application/x-www-form-urlencoded); "" otherwise.
  std::string body;
  /// The client's address as the server saw it; "" when not over a socket.
  std::string peer;
};

/// A body kept, besides in memory, in an anonymous sealed file (memfd), so
/// that the server can hand its pages to the kernel (sendfile) rather than
/// copy them into every socket. Closed with the last response holding it.
class BodyFile {
 public:
  /// nullptr when no such file can be made (no descriptors left, say): the
  /// body is then written from memory.
  static std::shared_ptr<const BodyFile> Of(std::string_view body);
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  int fd() const { return fd_; }
  size_t size() const { return size_; }

 private:
  BodyFile(int fd, size_t size) : fd_(fd), size_(size) {}
  const int fd_;
  const size_t size_;
};

/// A response. The server adds Content-Length, Date, Server and Connection.
struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  /// Extra headers (Cache-Control, Allow, Content-Disposition, …).
  std::vector<std::pair<std::string, std::string>> headers;
  /// The same response with its body compressed by gzip (a Content-Encoding
  /// header and an ETag of its own), made once when a page enters the cache;
  /// nullptr when the body is small or does not compress.
  std::shared_ptr<const Response> gzipped;
  /// The status line and headers as the server writes them for an HTTP/1.1
  /// keep-alive answer (WireHead), made once for a cached page so that serving
  /// it is one write of these bytes and the body; "" to let the server build them.
  std::string wire_head;
  /// The body in a file as well, for the large cached pages; nullptr otherwise.
  std::shared_ptr<const BodyFile> body_file;

  /// The value of an extra header, or "" (names compared case-insensitively).
  std::string Header(std::string_view name) const;
};

/// A request-target split into its decoded path and query parameters.
struct Target {
  std::string path;  ///< percent-decoded; always starts with '/'
  std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order

  /// The value of a parameter given once; nullopt when absent.
  std::optional<std::string> Param(std::string_view name) const;
};

/// Adds the headers every response carries, error replies of the server
/// included: nosniff, the referrer policy, for HTML a strict
/// Content-Security-Policy, and Cache-Control: no-cache unless one is set.
void AddCommonHeaders(Response& r);

/// The request-target as the access log writes it: the values of the query
/// parameters that carry secrets ("token", "csrf", "password", their names
/// compared once decoded and case-folded) replaced by "-"; no fragment.
std::string LoggedTarget(std::string_view target);

/// Parses a request-target in origin form; a "#fragment" sent along is
/// ignored. InvalidArgument when it does not
/// start with '/', holds a malformed percent escape, or decodes to bytes that
/// are not UTF-8 or hold a NUL.
Result<Target> ParseTarget(std::string_view target);

/// Percent-encodes every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~),
/// for a path segment or a query value: "GLACY+" → "GLACY%2B".
std::string PercentEncode(std::string_view s);

/// The one mapping from a Status code to an HTTP status: kInvalidArgument and
/// kParseError → 400, kNotFound → 404, kConflict → 409, kPermissionDenied → 403, kIoError → 503,
/// kInternal → 500 (and kOk → 200).
int HttpStatusFor(StatusCode code);

/// The standard reason phrase ("Not Found"); "Unknown" for codes not used here.
std::string_view ReasonPhrase(int status);

/// JSON text safe to embed anywhere: '<', '>' and '&' are written as \u003c,
/// \u003e and \u0026 so that no response ever carries a literal "<script".
std::string SafeJsonText(std::string json_text);

/// The status line and header block of `r` for HTTP/1.1 on a connection kept
/// alive: "Server: octopus", Content-Type, the extra headers, Content-Length,
/// the blank line. "" when a header name or value holds CR, LF or NUL (which
/// must never reach the wire).
std::string WireHead(const Response& r);

/// Whether an Accept-Encoding value accepts gzip (RFC 9110 §12.5.3):
/// "gzip", "x-gzip" or "*" with a q-value above 0. "gzip;q=0" refuses it even
/// beside "*"; an absent or empty header accepts only the identity.
bool AcceptsGzip(std::string_view accept_encoding);

/// Whether an If-None-Match value names `etag` by the weak comparison of RFC
/// 9110 §13.1.2: "*", or a comma-separated list of entity tags, "W/" ignored.
bool NoneMatchNames(std::string_view if_none_match, std::string_view etag);

/// `body` as one gzip member (zlib, best compression); nullopt when zlib fails.
std::optional<std::string> Gzip(std::string_view body);

/// "host:port" or "[v6-address]:port" → host and port (1..65535).
/// InvalidArgument naming the text otherwise.
Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view listen);

}  // namespace octopus::web
