// libFuzzer target: MentionFinder (countries, treaties, explicit references, projects) must
// survive any text, English or French, and every mention must lie within the text it was
// found in, in order of appearance.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/context.h"
#include "ingest/internal/mentions.h"

using octopus::fuzz::Ctx;
using octopus::ingest::internal::Mention;
using octopus::ingest::internal::MentionFinder;

namespace {

void Check(const std::vector<Mention>& found, std::string_view text) {
  size_t last = 0;
  for (const Mention& m : found) {
    if (m.begin > m.end || m.end > text.size() || m.begin < last || m.id.empty()) __builtin_trap();
    last = m.begin;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const MentionFinder english(Ctx().gazetteer, Ctx().catalog, false);
  static const MentionFinder french(Ctx().gazetteer, Ctx().catalog, true);
  for (const MentionFinder* f : {&english, &french}) {
    Check(f->Countries(text), text);
    Check(f->Treaties(text), text);
    Check(f->Projects(text), text);
  }
  (void)MentionFinder::ProjectName(text.substr(0, 200));
  return 0;
}
