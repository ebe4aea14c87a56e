#pragma once
// The body every layout recogniser's libFuzzer target shares: the recogniser
// must survive any text, report items inside the document, and every string it
// reports must stay valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/context.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/recognisers.h"
#include "ingest/reader.h"

namespace octopus::fuzz {

using Recogniser = ingest::internal::LayoutResult (*)(const ingest::TextDocument&,
                                                       const ingest::internal::MentionFinder&);

inline int FuzzLayout(const uint8_t* data, size_t size, Recogniser recognise) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto doc = ingest::ReadDocument(text);
  if (!doc.ok()) return 0;
  const ingest::internal::MentionFinder finder(Ctx().gazetteer, Ctx().catalog, size % 2 == 1);
  const ingest::internal::LayoutResult r = recognise(*doc, finder);
  for (const auto& item : r.items) {
    if (item.first > item.end || item.end > doc->lines.size()) std::abort();
  }
  for (const auto& rec : r.extraction.records) (void)rec.fields.dump();  // throws on invalid UTF-8
  return 0;
}

}  // namespace octopus::fuzz
