// libFuzzer target: the document readers (format detection, text, HTML through gumbo, PDF
// through poppler) must survive any bytes, and whatever they return must be lines of valid
// UTF-8 or an error that says something.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.h"
#include "ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  octopus::ingest::ReadOptions opts;
  opts.max_bytes = size_t{1} << 20;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto doc = octopus::ingest::ReadDocument(bytes, opts);
  if (!doc.ok()) {
    if (doc.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (const std::string& line : doc->lines) {
    if (!octopus::text::IsValidUtf8(line) || line.find('\n') != std::string::npos) {
      __builtin_trap();
    }
  }
  return 0;
}
