#pragma once
/// Accounts on the site: sign in and out, set and reset a password, the
/// account page (second factor), and the administrators' pages (users, the
/// audit). Internal to the web module; the route table lists the handlers.
#include "auth/principal.h"
#include "web/internal/routes.h"

namespace octopus::web::internal {

/// The check every state-changing handler makes first: the request is a
/// POST, it comes from the site's own origin (Origin, or Referer when Origin
/// is absent; the base URL's origin, or the Host's when the site has no base
/// URL), and the form's `csrf` field equals the session's token (compared in
/// constant time). PermissionDenied (403) saying which check failed.
Status CheckStateChange(const Context& c, const Target& form);
/// The origin part of CheckStateChange alone, for the forms a visitor sends
/// before having a session (sign in, password reset, set password).
Status CheckSameOrigin(const Context& c);
/// Who may see a page: nullopt when the principal has `needed`; otherwise
/// the answer to give instead: a redirect to /login when not signed in, 403
/// when signed in without the role.
std::optional<Result<Response>> RequireRole(const Context& c, auth::Role needed);

/// GET: the form. POST (email, password, totp): a new session and its cookie,
/// then a redirect; 400 with one message for any wrong credential, 429 with
/// Retry-After while the back-off holds.
Result<Response> LoginPage(Context& c);
/// POST (csrf): ends the session server side and removes the cookie.
Result<Response> LogoutPage(Context& c);
/// ?token=: GET the form (the token is not used by showing it); POST
/// (token, password, confirm) sets the password. 404 for a bad token.
Result<Response> PasswordSetPage(Context& c);
/// POST (email): mails a single-use link valid 1 h when the address has an
/// account; the same answer whatever the address.
Result<Response> PasswordResetPage(Context& c);
/// Signed in: the account; enable a TOTP second factor (secret shown once).
Result<Response> AccountPage(Context& c);
/// Administrators: links to users and audit.
Result<Response> AdminPage(Context& c);
/// Administrators: users listed; POST (csrf, op = add|role|disable, email, role).
Result<Response> AdminUsersPage(Context& c);
/// Administrators: the audit with filters and paging; /admin/audit.csv exports it.
Result<Response> AdminAuditPage(Context& c);
Result<Response> AdminAuditCsv(Context& c);
/// Any other /admin/… path: refused as the admin pages are, 404 for administrators.
Result<Response> AdminOther(Context& c);

}  // namespace octopus::web::internal
