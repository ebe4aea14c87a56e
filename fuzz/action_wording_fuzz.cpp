// libFuzzer target: the wording of a treaty action must survive any clause and
// any code, and the action, qualifiers and reference point it reports must stay
// valid UTF-8; the start of a noun's qualifiers must stay within the text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.h"
#include "ingest/internal/action_wording.h"

namespace in = octopus::ingest::internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static constexpr std::string_view kCodes[] = {"signature", "ratification", "accession", "ratification_or_accession",
                                                "invitation", "entry_into_force", "denunciation", "approval"};
  const std::string_view code = kCodes[data[0] % std::size(kCodes)];
  const std::string clause(reinterpret_cast<const char*>(data + 2), size - 2);
  const in::ActionWording w = in::WordAction(code, clause);
  bool valid = octopus::text::IsValidUtf8(w.action) && octopus::text::IsValidUtf8(w.since);
  for (const std::string& q : w.qualifiers) valid = valid && octopus::text::IsValidUtf8(q);
  if (octopus::text::IsValidUtf8(clause) && !valid) std::abort();
  const size_t at = data[1] % (clause.size() + 1);
  const size_t floor = at / 2;
  const size_t start = in::ModifierStart(clause, at, floor);
  if (start > at || start < floor) std::abort();
  return 0;
}
