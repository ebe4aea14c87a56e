// libFuzzer target: the news item page recogniser must survive any text, report
// items inside the document, and every string it reports must stay valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/context.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/recognisers.h"
#include "ingest/reader.h"

using octopus::fuzz::Ctx;
namespace in = octopus::ingest::internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto doc = octopus::ingest::ReadDocument(text);
  if (!doc.ok()) return 0;
  const in::MentionFinder finder(Ctx().gazetteer, Ctx().catalog, size % 2 == 1);
  const in::LayoutResult r = in::ExtractNewsItemPage(*doc, finder);
  for (const auto& item : r.items) {
    if (item.first > item.end || item.end > doc->lines.size()) std::abort();
  }
  for (const auto& rec : r.extraction.records) (void)rec.fields.dump();  // throws on invalid UTF-8
  return 0;
}
