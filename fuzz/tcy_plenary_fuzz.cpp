// libFuzzer target: the T-CY plenary reader must survive any paragraph, with
// or without a year to complete dates, and report valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/internal/tcy_plenary.h"
#include "ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The reader reads what a reader gives it: lines of valid UTF-8.
  auto doc = octopus::ingest::ReadDocument(std::string(reinterpret_cast<const char*>(data), size));
  if (!doc.ok()) return 0;
  octopus::ingest::internal::TcyPlenaries plenaries;
  int line = 1;
  for (const std::string& text : doc->lines) {
    plenaries.Paragraph(text, line, line % 2 ? 2020 : 0);
    ++line;
  }
  for (const auto& r : plenaries.Records()) (void)r.fields.dump();  // throws on invalid UTF-8
  return 0;
}
