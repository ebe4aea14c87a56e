#include "auth/principal.h"

#include <array>
#include <utility>

namespace octopus::auth {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> kNames = {{
    {Role::kReader, "reader"},
    {Role::kPractitioner, "practitioner"},
    {Role::kEditor, "editor"},
    {Role::kReviewer, "reviewer"},
    {Role::kAdministrator, "administrator"},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kNames) {
    if (r == role) return name;
  }
  return "reader";
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (const auto& [r, n] : kNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

}  // namespace octopus::auth
