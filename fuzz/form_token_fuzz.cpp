// libFuzzer target: a form token sent back by a client is untrusted bytes.
// Checking it must survive anything, and only a token this process issued
// for the same form and client, in time, is accepted.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/internal/rate_limit.h"

using octopus::web::internal::FormTokens;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const FormTokens tokens;
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  const auto now = FormTokens::Clock::now();
  const std::string issued = tokens.Issue("subscribe", "127.0.0.1", now);
  if (!tokens.Check(issued, "subscribe", "127.0.0.1", now)) __builtin_trap();
  if (tokens.Check(token, "subscribe", "127.0.0.1", now) && token != issued) {
    // Another spelling of the same token may be accepted only if it is the
    // same seconds and MAC; anything else accepted is a forgery.
    const auto dot = token.find('.');
    if (dot == std::string_view::npos || token.substr(dot) != std::string_view(issued).substr(issued.find('.'))) {
      __builtin_trap();
    }
  }
  if (tokens.Check(issued, "subscribe", "127.0.0.2", now)) __builtin_trap();
  if (tokens.Check(issued, "login", "127.0.0.1", now)) __builtin_trap();
  return 0;
}
