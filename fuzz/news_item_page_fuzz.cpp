// libFuzzer target: the single news item page recogniser (see fuzz/layout_fuzz.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/layout_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return octopus::fuzz::FuzzLayout(data, size, octopus::ingest::internal::ExtractNewsItemPage);
}
