#pragma once
/// Accounts over the store: users and roles, one-time links, logins with
/// back-off and an optional second factor, sessions with idle and absolute
/// timeouts, and the session cookie. Every operation reads the clock of
/// AccountOptions, so tests move time at will.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "auth/credentials.h"
#include "auth/principal.h"
#include "core/result.h"
#include "store/store.h"

namespace octopus::auth {

using Clock = std::chrono::system_clock;

struct AccountOptions {
  /// The site's public address. https://…: the session cookie is Secure and
  /// named with the __Host- prefix; "" or http://…: a plain local setup.
  /// Also the origin a state-changing request must come from (when empty,
  /// the origin of the request's Host).
  std::string base_url;
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 3600};
  std::chrono::seconds set_password_validity{7 * 24 * 3600};
  std::chrono::seconds reset_validity{3600};
  /// Passwords refused as too common; empty: setting a password fails
  /// with IoError (the list was not found).
  std::shared_ptr<const CommonPasswords> common_passwords;
  /// The time now; empty: the system clock.
  std::function<Clock::time_point()> now;
};

/// "2024-06-01T12:00:00Z" for a time point (whole seconds, UTC).
std::string IsoUtc(Clock::time_point t);

/// The session cookie's name: "__Host-octopus_session" over https, else
/// "octopus_session".
std::string SessionCookieName(const AccountOptions& options);
/// A Set-Cookie value carrying `session_id`: HttpOnly, SameSite=Lax, Path=/,
/// and Secure over https.
std::string SessionCookie(const AccountOptions& options, std::string_view session_id);
/// A Set-Cookie value that removes the session cookie.
std::string ExpiredSessionCookie(const AccountOptions& options);
/// The session id in a Cookie header; "" when it carries none.
std::string SessionIdFromCookies(const AccountOptions& options, std::string_view cookie_header);

/// What a login attempt gave.
struct LoginOutcome {
  bool signed_in = false;
  std::string session_id;  ///< the new session's id, for the cookie (signed_in only)
  Principal principal;     ///< signed_in only
  /// Why not: the same words for an unknown address, a wrong password and a
  /// disabled account.
  std::string error;
  std::chrono::seconds retry_after{0};  ///< > 0: refused by the back-off, unchecked
  bool totp_required = false;           ///< the account has a second factor and no code came
};

class Accounts {
 public:
  /// `store` and `options` must outlive this object.
  Accounts(store::Store& store, const AccountOptions& options);

  /// A new account without a password. InvalidArgument for an address
  /// without '@', Conflict when it has an account already.
  Result<store::User> AddUser(const std::string& email, Role role);
  /// A fresh one-time link token for `user` ("set-password" or "reset"),
  /// valid for the options' validity of that purpose; only its hash is stored.
  Result<std::string> IssueLink(const store::User& user, const std::string& purpose);
  /// The account a link token is for, without using it. NotFound for an
  /// unknown, used or expired token (one message for all three).
  Result<store::User> CheckLink(const std::string& token);
  /// Uses the link token and sets the password (policy checked first, the
  /// token is kept when the password is refused); ends the account's open
  /// sessions. InvalidArgument for a refused password, NotFound as CheckLink.
  Result<store::User> SetPassword(const std::string& token, const std::string& password);

  /// Checks back-off, password and (when the account has one) the TOTP code;
  /// on success opens a new session and forgets the failures. `address` is
  /// the client's address ("" when unknown: only the account is counted).
  Result<LoginOutcome> Login(const std::string& email, const std::string& password,
                             const std::string& totp_code, const std::string& address);
  /// The principal of a session id from the cookie: a reader for an unknown,
  /// ended, idle (last seen longer than idle_timeout ago) or too old
  /// (absolute_timeout) session, or a disabled account. Touches the session.
  Result<Principal> Authenticate(std::string_view session_id);
  /// Ends the session server side; unknown ids are ignored.
  Status Logout(std::string_view session_id);

  Status SetRole(const std::string& email, Role role);
  /// Disables the account and ends its sessions.
  Status Disable(const std::string& email);
  /// Stores `secret` as the account's second factor when `code` is its
  /// current code. InvalidArgument for a wrong code.
  Status EnableTotp(int64_t user_id, const std::string& secret, const std::string& code);

  Clock::time_point Now() const;

 private:
  store::Store& store_;
  const AccountOptions& options_;
};

/// "session 3f9a0c1b": a short, non-secret label for the audit.
std::string SessionLabel(const store::SessionRow& session);

}  // namespace octopus::auth
