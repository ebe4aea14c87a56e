// libFuzzer target: the statement pass (treaty actions and figures in prose)
// must survive any text read in any item layout, and every string it reports
// must stay valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/context.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/shapes.h"
#include "ingest/internal/statements.h"
#include "ingest/reader.h"

using octopus::fuzz::Ctx;
namespace in = octopus::ingest::internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  // The first bytes choose the items (their bounds may be out of range on purpose).
  const size_t first = data[0] % 16, end = data[1] % 32, heading = data[2] % 16;
  const int year = data[3] % 2 ? 2020 : 0;
  const std::string text(reinterpret_cast<const char*>(data + 4), size - 4);
  auto doc = octopus::ingest::ReadDocument(text);
  if (!doc.ok()) return 0;
  const in::MentionFinder finder(Ctx().gazetteer, Ctx().catalog, data[3] % 4 >= 2);
  const in::CleanLines lines(*doc);
  std::vector<in::ItemSpan> items(2);
  items[0] = {first, end, std::nullopt, year, {heading}};
  items[1] = {end / 2, end, in::PartialDate{2021, 3, 4}, 2021, {end / 2, heading}};
  std::vector<bool> used;
  for (const auto& r : in::ExtractStatements(*doc, lines, items, finder, in::ParseIsoDate(text.substr(0, 10)), &used)) {
    (void)r.fields.dump();  // throws on invalid UTF-8
  }
  return 0;
}
