// libFuzzer target: the sentence-level extractors of events, project basics
// and contributions must survive any text read in any item layout (item
// bounds out of range on purpose), and every string they report must stay valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/context.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/recognisers.h"
#include "ingest/reader.h"

using octopus::fuzz::Ctx;
namespace in = octopus::ingest::internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const size_t first = data[0] % 16, end = data[1] % 32;
  const int year = data[2] % 2 ? 2020 : 0;
  const std::string text(reinterpret_cast<const char*>(data + 3), size - 3);
  auto doc = octopus::ingest::ReadDocument(text);
  if (!doc.ok()) return 0;
  const in::MentionFinder finder(Ctx().gazetteer, Ctx().catalog, data[2] % 4 >= 2);
  std::vector<in::ItemSpan> items(1);
  items[0] = {first, end, std::nullopt, year, {first, end}};
  octopus::ingest::Extraction so_far;
  if (data[2] % 3 == 0) so_far.document.date = text.substr(0, 10);
  for (const auto& r : in::NonTreatyStatements(*doc, finder, items, so_far)) (void)r.fields.dump();
  (void)in::EventPhrase(text.substr(0, 500));
  (void)in::WithoutEventSuffix(text.substr(0, 200));
  return 0;
}
