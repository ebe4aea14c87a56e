// libFuzzer target: the reader of counts of a whole ("46 out of 47 member States …")
// must survive any sentence; what it reports must lie inside the sentence.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ingest/internal/subset_counts.h"

namespace in = octopus::ingest::internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string sentence(reinterpret_cast<const char*>(data), size);
  for (const in::SubsetCount& c : in::SubsetCountsIn(sentence)) {
    if (c.at >= sentence.size() || sentence.compare(c.at, c.count.size(), c.count) != 0) std::abort();
    if (c.whole.empty() || c.measure.rfind("subset_", 0) != 0) std::abort();
  }
  return 0;
}
