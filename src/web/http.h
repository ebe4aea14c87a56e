#pragma once
/// HTTP as plain values: the request the server hands to the site and the
/// response the site gives back. No sockets and no Beast here, so everything
/// above the server is testable with ordinary function calls.

#include <cstdint>
#include <map>
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

/// A response. The server adds Content-Length, Date, Server and Connection.
struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  /// Extra headers (Cache-Control, Allow, Content-Disposition, …).
  std::vector<std::pair<std::string, std::string>> headers;

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

/// "host:port" or "[v6-address]:port" → host and port (1..65535).
/// InvalidArgument naming the text otherwise.
Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view listen);

}  // namespace octopus::web
