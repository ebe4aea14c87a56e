// libFuzzer target: the reader of treaty charts pasted as text must survive
// any lines, and report valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/context.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/shapes.h"
#include "ingest/internal/treaty_chart.h"
#include "ingest/reader.h"

using octopus::fuzz::Ctx;
namespace in = octopus::ingest::internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)in::ParseDayMonthYear(text.substr(0, 16));
  auto doc = octopus::ingest::ReadDocument(text);
  if (!doc.ok()) return 0;
  const in::MentionFinder finder(Ctx().gazetteer, Ctx().catalog);
  const in::CleanLines lines(*doc);
  std::vector<bool> used(doc->lines.size(), false);
  for (const auto& r : in::ExtractChartRows(*doc, lines, finder, &used)) (void)r.fields.dump();  // throws on invalid UTF-8
  return 0;
}
