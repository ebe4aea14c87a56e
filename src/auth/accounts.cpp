#include "auth/accounts.h"

#include <ctime>

#include <fmt/format.h>

#include "core/text.h"

namespace octopus::auth {

namespace {

constexpr std::string_view kWrongCredentials = "the e-mail address or the password is wrong";
constexpr std::string_view kBadLink = "this link is unknown, used already or expired";

bool Https(const AccountOptions& options) { return options.base_url.starts_with("https://"); }

Result<Clock::time_point> ParseIsoUtc(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) {
    return InvalidArgument("not a UTC time: " + text);
  }
  return Clock::from_time_t(timegm(&tm));
}

}  // namespace

std::string IsoUtc(Clock::time_point t) {
  const std::time_t tt = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string SessionCookieName(const AccountOptions& options) {
  return Https(options) ? "__Host-octopus_session" : "octopus_session";
}

std::string SessionCookie(const AccountOptions& options, std::string_view session_id) {
  return SessionCookieName(options) + "=" + std::string(session_id) +
         "; Path=/; HttpOnly; SameSite=Lax" + (Https(options) ? "; Secure" : "");
}

std::string ExpiredSessionCookie(const AccountOptions& options) {
  return SessionCookieName(options) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (Https(options) ? "; Secure" : "");
}

std::string SessionIdFromCookies(const AccountOptions& options, std::string_view header) {
  const std::string name = SessionCookieName(options);
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return "";
}

std::string SessionLabel(const store::SessionRow& session) {
  return "session " + session.id_hash.substr(0, 8);
}

Accounts::Accounts(store::Store& store, const AccountOptions& options)
    : store_(store), options_(options) {}

Clock::time_point Accounts::Now() const {
  return options_.now ? options_.now() : Clock::now();
}

Result<store::User> Accounts::AddUser(const std::string& email, Role role) {
  const size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find_first_of(" \t\r\n<>\"") != std::string::npos) {
    return InvalidArgument("'" + email + "' is not an e-mail address");
  }
  store::User user;
  user.email = text::ToLowerAscii(email);
  user.role = std::string(RoleName(role));
  return store_.AddUser(user);
}

Result<std::string> Accounts::IssueLink(const store::User& user, const std::string& purpose) {
  const auto validity =
      purpose == "reset" ? options_.reset_validity : options_.set_password_validity;
  std::string token = RandomToken();
  store::AccountToken row;
  row.user_id = user.id;
  row.token_hash = TokenHash(token);
  row.purpose = purpose;
  row.created_at = IsoUtc(Now());
  row.expires_at = IsoUtc(Now() + validity);
  auto stored = store_.AddAccountToken(row);
  if (!stored) return stored.status();
  return token;
}

Result<store::User> Accounts::CheckLink(const std::string& token) {
  auto row = store_.AccountTokenByHash(TokenHash(token));
  if (!row) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound(std::string(kBadLink));
    return row.status();
  }
  auto expires = ParseIsoUtc(row->expires_at);
  if (row->used_at || !expires || Now() >= *expires) return NotFound(std::string(kBadLink));
  auto user = store_.UserById(row->user_id);
  if (!user) return user.status();
  if (user->disabled) return NotFound(std::string(kBadLink));
  return user;
}

Result<store::User> Accounts::SetPassword(const std::string& token, const std::string& password) {
  auto user = CheckLink(token);
  if (!user) return user.status();
  if (!options_.common_passwords) return IoError("the list of common passwords is not loaded");
  OCTOPUS_RETURN_IF_ERROR(CheckPasswordPolicy(password, *options_.common_passwords));
  auto hash = HashPassword(password);
  if (!hash) return hash.status();
  auto row = store_.AccountTokenByHash(TokenHash(token));
  if (!row) return row.status();
  auto used = store_.UseAccountToken(row->id, IsoUtc(Now()));
  if (!used) return used.status();
  if (!*used) return NotFound(std::string(kBadLink));
  user->password_hash = *hash;
  OCTOPUS_RETURN_IF_ERROR(store_.UpdateUser(*user));
  OCTOPUS_RETURN_IF_ERROR(store_.EndUserSessions(user->id, IsoUtc(Now())));
  return user;
}

Result<LoginOutcome> Accounts::Login(const std::string& email, const std::string& password,
                                     const std::string& totp_code, const std::string& address) {
  LoginOutcome out;
  const auto now = Now();
  std::vector<std::string> keys = {"account:" + text::ToLowerAscii(email)};
  if (!address.empty()) keys.push_back("address:" + address);
  for (const std::string& key : keys) {
    auto state = store_.LoginFailuresOf(key);
    if (!state) return state.status();
    if (state->failures == 0) continue;
    auto last = ParseIsoUtc(state->last_failure_at);
    if (!last) return last.status();
    const auto until = *last + BackoffDelay(state->failures);
    if (now < until) {
      out.retry_after = std::chrono::ceil<std::chrono::seconds>(until - now);
      out.error = fmt::format("too many failed logins; try again in {} s", out.retry_after.count());
      return out;
    }
  }
  auto fail = [&](std::string_view why) -> Result<LoginOutcome> {
    for (const std::string& key : keys) {
      auto st = store_.AddLoginFailure(key, IsoUtc(now));
      if (!st) return st.status();
    }
    out.error = std::string(why);
    return out;
  };
  auto user = store_.UserByEmail(text::ToLowerAscii(email));
  if (!user) {
    if (user.status().code() != StatusCode::kNotFound) return user.status();
    // The same work as for a known address, so that timing does not tell.
    static const std::string dummy = HashPassword(RandomToken()).value();
    (void)VerifyPassword(dummy, password);
    return fail(kWrongCredentials);
  }
  if (!VerifyPassword(user->password_hash, password) || user->disabled) {
    return fail(kWrongCredentials);
  }
  if (!user->totp_secret.empty()) {
    if (totp_code.empty()) {
      out.totp_required = true;
      out.error = "enter the code from your authenticator app";
      return out;
    }
    if (!VerifyTotp(user->totp_secret, totp_code, Clock::to_time_t(now))) {
      out.totp_required = true;
      return fail("the authenticator code is wrong");
    }
  }
  for (const std::string& key : keys) OCTOPUS_RETURN_IF_ERROR(store_.ClearLoginFailures(key));
  if (PasswordNeedsRehash(user->password_hash)) {
    auto hash = HashPassword(password);
    if (!hash) return hash.status();
    user->password_hash = *hash;
    OCTOPUS_RETURN_IF_ERROR(store_.UpdateUser(*user));
  }
  store::SessionRow session;
  out.session_id = RandomToken();
  session.id_hash = TokenHash(out.session_id);
  session.user_id = user->id;
  session.created_at = session.last_seen_at = IsoUtc(now);
  session.csrf_token = RandomToken();
  auto stored = store_.AddSession(session);
  if (!stored) return stored.status();
  out.signed_in = true;
  out.principal = Principal{user->id, user->email, RoleFromName(user->role).value_or(Role::kReader),
                            stored->csrf_token, SessionLabel(*stored)};
  return out;
}

Result<Principal> Accounts::Authenticate(std::string_view session_id) {
  if (session_id.size() != 64) return Principal{};
  auto session = store_.SessionByHash(TokenHash(session_id));
  if (!session) {
    if (session.status().code() == StatusCode::kNotFound) return Principal{};
    return session.status();
  }
  if (session->ended_at) return Principal{};
  const auto now = Now();
  auto created = ParseIsoUtc(session->created_at);
  auto seen = ParseIsoUtc(session->last_seen_at);
  if (!created || !seen) return Principal{};
  if (now - *created >= options_.absolute_timeout || now - *seen >= options_.idle_timeout) {
    OCTOPUS_RETURN_IF_ERROR(store_.EndSession(session->id, IsoUtc(now)));
    return Principal{};
  }
  auto user = store_.UserById(session->user_id);
  if (!user) return user.status();
  if (user->disabled) return Principal{};
  OCTOPUS_RETURN_IF_ERROR(store_.TouchSession(session->id, IsoUtc(now)));
  return Principal{user->id, user->email, RoleFromName(user->role).value_or(Role::kReader),
                   session->csrf_token, SessionLabel(*session)};
}

Status Accounts::Logout(std::string_view session_id) {
  if (session_id.empty()) return Status::Ok();
  auto session = store_.SessionByHash(TokenHash(session_id));
  if (!session) {
    return session.status().code() == StatusCode::kNotFound ? Status::Ok() : session.status();
  }
  return store_.EndSession(session->id, IsoUtc(Now()));
}

Status Accounts::SetRole(const std::string& email, Role role) {
  auto user = store_.UserByEmail(text::ToLowerAscii(email));
  if (!user) return user.status();
  user->role = std::string(RoleName(role));
  return store_.UpdateUser(*user);
}

Status Accounts::Disable(const std::string& email) {
  auto user = store_.UserByEmail(text::ToLowerAscii(email));
  if (!user) return user.status();
  user->disabled = true;
  OCTOPUS_RETURN_IF_ERROR(store_.UpdateUser(*user));
  return store_.EndUserSessions(user->id, IsoUtc(Now()));
}

Status Accounts::EnableTotp(int64_t user_id, const std::string& secret, const std::string& code) {
  if (!VerifyTotp(secret, code, Clock::to_time_t(Now()))) {
    return InvalidArgument("the code does not match; check the clock of the device and retry");
  }
  auto user = store_.UserById(user_id);
  if (!user) return user.status();
  user->totp_secret = secret;
  return store_.UpdateUser(*user);
}

}  // namespace octopus::auth
