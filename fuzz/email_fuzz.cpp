// libFuzzer target: the e-mail address a visitor types goes to a mail relay
// (RCPT TO). NormaliseEmail must survive any bytes, and what it accepts is
// plain ASCII with one '@', no control, space or bidirectional-override
// characters, and is a fixed point (normalising it again gives it back).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "update/mailing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto address = octopus::update::NormaliseEmail(input);
  if (!address) return 0;
  size_t ats = 0;
  for (const char c : *address) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) __builtin_trap();
    if (c == '<' || c == '>' || c == '|' || c == '"' || c == '\\') __builtin_trap();
    ats += c == '@';
  }
  if (ats != 1) __builtin_trap();
  const auto again = octopus::update::NormaliseEmail(*address);
  if (!again || *again != *address) __builtin_trap();
  return 0;
}
