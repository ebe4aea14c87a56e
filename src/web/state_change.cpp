#include "web/internal/state_change.h"

#include <string>
#include <string_view>

namespace octopus::web::internal {

namespace {

// "https://example.org:8080/path" → "example.org:8080".
std::string_view Authority(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  url.remove_prefix(scheme + 3);
  return url.substr(0, url.find('/'));
}

// Equal without a timing difference that depends on where they differ.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string_view Header(const Context& c, const std::string& name) {
  auto it = c.headers.find(name);
  return it == c.headers.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace

Status CheckStateChange(const Context& c, const Target& form) {
  if (!c.principal.signed_in() || c.principal.csrf_token.empty()) {
    return InvalidArgument("sign in to change anything");
  }
  const std::string token = form.Param("csrf").value_or("");
  if (!SameSecret(token, c.principal.csrf_token)) {
    return InvalidArgument("the form's security token is missing or stale: reload the page and try again");
  }
  std::string_view from = Header(c, "origin");
  if (from.empty() || from == "null") from = Header(c, "referer");
  const std::string_view host = Header(c, "host");
  if (from.empty() || host.empty() || Authority(from) != host) {
    return InvalidArgument("the request does not come from this site's own pages");
  }
  return Status::Ok();
}

}  // namespace octopus::web::internal
