#pragma once
/// Who is asking: the role a request is answered for. A request without a
/// valid session is a reader's. Roles are ordered: each may do everything the
/// roles before it may (a reviewer also edits, an administrator also reviews).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace octopus::auth {

enum class Role {
  kReader,         ///< anonymous: published, unrestricted content only
  kPractitioner,   ///< may see restricted records (24/7 contacts, restricted resources)
  kEditor,         ///< creates and edits (drafts)
  kReviewer,       ///< approves others' drafts
  kAdministrator,  ///< users and roles, the audit
};

/// "reader", "practitioner", "editor", "reviewer", "administrator".
std::string_view RoleName(Role role);
/// The inverse of RoleName; nullopt for any other text.
std::optional<Role> RoleFromName(std::string_view name);

/// True when `role` may do what `needed` may.
constexpr bool Allows(Role role, Role needed) { return role >= needed; }
constexpr bool MaySeeRestricted(Role role) { return Allows(role, Role::kPractitioner); }

/// The principal of one request.
struct Principal {
  int64_t user_id = 0;  ///< 0: not signed in (a reader)
  std::string email;
  Role role = Role::kReader;
  /// The session's CSRF token, to embed in forms; "" when not signed in.
  std::string csrf_token;
  /// A short, non-secret label of the session for the audit ("session 3f9a…").
  std::string session_label;

  bool signed_in() const { return user_id != 0; }
};

}  // namespace octopus::auth
