#include "domain/treaty.h"

#include <cctype>

#include "core/text.h"

namespace octopus::domain {

Date Period::Apply(Date from) const {
  if (kind == Kind::kNthDayAfter) return from.AddDays(count);
  return from.AddMonths(count).FirstOfNextMonth();
}

std::string Period::Describe() const {
  if (kind == Kind::kNthDayAfter) return std::to_string(count) + "th day after";
  return "first day of the month following " + std::to_string(count) + " months after";
}

int ParseTreatyNumber(std::string_view input) {
  std::string key = text::ToLowerAscii(text::Trim(input));
  std::string_view rest = key;
  for (std::string_view prefix : {"cets", "ets", "stce", "ste"}) {
    if (text::StartsWith(rest, prefix)) {
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '-' || rest.front() == '_' ||
                           rest.front() == '.' || rest.substr(0, 3) == "no " ||
                           rest.substr(0, 3) == "no.")) {
    rest.remove_prefix(rest.substr(0, 3) == "no " || rest.substr(0, 3) == "no." ? 3 : 1);
  }
  if (rest.empty() || rest.size() > 4) return 0;
  int n = 0;
  for (char c : rest) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

namespace {
struct KindName {
  ActionKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {ActionKind::kSignature, "signature"},
    {ActionKind::kDefinitiveSignature, "definitive_signature"},
    {ActionKind::kRatification, "ratification"},
    {ActionKind::kAcceptance, "acceptance"},
    {ActionKind::kApproval, "approval"},
    {ActionKind::kAccession, "accession"},
    {ActionKind::kInvitation, "invitation"},
    {ActionKind::kDenunciation, "denunciation"},
    {ActionKind::kTerritorialExtension, "territorial_extension"},
    {ActionKind::kReservation, "reservation"},
    {ActionKind::kDeclaration, "declaration"},
    {ActionKind::kEntryIntoForce, "entry_into_force"},
};
}  // namespace

std::string_view ActionKindName(ActionKind k) {
  for (const auto& e : kKindNames) {
    if (e.kind == k) return e.name;
  }
  return "signature";
}

std::optional<ActionKind> ParseActionKind(std::string_view name) {
  for (const auto& e : kKindNames) {
    if (e.name == name) return e.kind;
  }
  if (name == "invitation_to_accede") return ActionKind::kInvitation;
  return std::nullopt;
}

bool IsConsent(ActionKind k) {
  return k == ActionKind::kRatification || k == ActionKind::kAcceptance ||
         k == ActionKind::kApproval || k == ActionKind::kAccession ||
         k == ActionKind::kDefinitiveSignature;
}

}  // namespace octopus::domain
