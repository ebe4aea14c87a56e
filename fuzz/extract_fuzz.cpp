// libFuzzer target: the extractors (shape detection, news page, quarterly
// update, date phrases, treaty prose) must survive any text, and every string
// they report must stay valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/country.h"
#include "fuzz/context.h"
#include "ingest/extract.h"
#include "ingest/internal/dates.h"
#include "ingest/reader.h"
#include "treaty/catalog.h"

using octopus::fuzz::Ctx;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)octopus::ingest::internal::ParseDatePhrase(text.substr(0, 80), 2023);
  (void)octopus::ingest::internal::DatesIn(text.substr(0, 400), 2023);
  // The extractors read what a reader gives them: lines of valid UTF-8.
  auto doc = octopus::ingest::ReadDocument(text);
  if (!doc.ok()) return 0;
  const auto e = octopus::ingest::Extract(*doc, {Ctx().gazetteer, Ctx().catalog});
  // Every string in the report must be valid UTF-8: dump() throws otherwise.
  (void)octopus::ingest::ToJson(e).dump();
  return 0;
}
