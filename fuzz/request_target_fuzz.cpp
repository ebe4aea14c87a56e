// libFuzzer target: the request-target parser, the form-body parser and the
// access log's redaction must survive any bytes. A parsed path starts with
// '/', holds no NUL and is valid UTF-8; the logged target never contains the
// value of a secret parameter the parser found.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.h"
#include "web/http.h"
#include "web/internal/routes.h"

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
    const std::string logged = octopus::web::LoggedTarget(input);
    for (const auto& [name, value] : t->query) {
      // A secret's value is never written to the log (a value of a few
      // characters may occur in the path by chance, so only longer ones count).
      if (IsSecret(name) && value.size() >= 8 && logged.find(value) != std::string::npos &&
          t->path.find(value) == std::string::npos) {
        __builtin_trap();
      }
    }
  }
  if (auto form = octopus::web::internal::ParseForm(input)) {
    for (const auto& [name, value] : form->query) {
      if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) __builtin_trap();
    }
  }
  return 0;
}
