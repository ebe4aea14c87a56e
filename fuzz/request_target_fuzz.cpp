// libFuzzer target: the request-target parser (which also reads form bodies,
// as "/?" + body), the access log's redaction and the readers of the
// Accept-Encoding and If-None-Match headers must survive any bytes. A
// parsed path starts with '/' and holds no NUL; the logged target, read back,
// gives "-" for the value of every secret parameter.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.h"
#include "web/http.h"

namespace {

bool IsSecret(std::string name) {
  name = octopus::text::ToLowerAscii(name);
  return name == "token" || name == "csrf" || name == "password";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto t = octopus::web::ParseTarget(input)) {
    if (t->path.empty() || t->path[0] != '/') __builtin_trap();
    if (t->path.find('\0') != std::string::npos) __builtin_trap();
    // Read back, the logged target holds "-" for the value of every secret parameter.
    if (auto logged = octopus::web::ParseTarget(octopus::web::LoggedTarget(input))) {
      for (const auto& [name, value] : logged->query) {
        if (IsSecret(name) && !value.empty() && value != "-") __builtin_trap();
      }
    }
  }
  // A form body is read as the query of "/?" + body (web::internal::ParseForm).
  if (auto form = octopus::web::ParseTarget("/?" + std::string(input))) {
    for (const auto& [name, value] : form->query) {
      if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) __builtin_trap();
    }
  }
  // Header values: any bytes read without a crash; "*" names every tag.
  (void)octopus::web::AcceptsGzip(input);
  if (!octopus::web::NoneMatchNames("*", input.empty() ? "\"x\"" : input)) __builtin_trap();
  (void)octopus::web::NoneMatchNames(input, "\"0123abcd-gzip\"");
  return 0;
}
