// Accounts on the site. Every state change is a POST that passes
// CheckStateChange (or, before a session exists, CheckSameOrigin) and is
// written to the audit; GET never changes anything.
#include <cctype>
#include <mutex>

#include <fmt/format.h>

#include "auth/accounts.h"
#include "auth/credentials.h"
#include "core/csv.h"
#include "core/text.h"
#include "web/accounts.h"
#include "web/internal/account_handlers.h"

namespace octopus::web::internal {

namespace {

using auth::Role;
using nlohmann::json;

/// "scheme://host[:port]" of an absolute URL, lower case; "" when it has none.
std::string OriginOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || scheme == 0) return "";
  const size_t end = url.find_first_of("/?#", scheme + 3);
  return text::ToLowerAscii(url.substr(0, end));
}

std::string Header(const Context& c, const std::string& name) {
  const auto it = c.headers.find(name);
  return it == c.headers.end() ? std::string() : it->second;
}

/// The site's own origin: the base URL's, or on a setup without one the
/// plain-http origin of the Host the request names.
std::string SiteOrigin(const Context& c) {
  if (!c.accounts.base_url.empty()) return OriginOf(c.accounts.base_url);
  const std::string host = Header(c, "host");
  return host.empty() ? std::string() : "http://" + text::ToLowerAscii(host);
}

/// Where links in messages and on the page start: the base URL, or the site origin.
std::string LinkBase(const Context& c) {
  std::string base = c.accounts.base_url.empty() ? SiteOrigin(c) : c.accounts.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

Response Redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  r.body = "See " + location + "\n";
  return r;
}

std::string Field(const Target& form, std::string_view name) {
  return form.Param(name).value_or("");
}

auth::Accounts AccountsOf(Context& c) { return auth::Accounts(c.registry.store(), c.accounts); }

std::string SessionIdOf(const Context& c) {
  return auth::SessionIdFromCookies(c.accounts, Header(c, "cookie"));
}

/// Appends one entry to the audit.
Status Audit(Context& c, std::string actor, std::string origin, std::string action,
             std::string entity, std::string field = "",
             std::optional<std::string> before = std::nullopt,
             std::optional<std::string> after = std::nullopt) {
  return c.registry.store()
      .AppendAudit(store::AuditEntry::Of(std::move(actor), std::move(origin), std::move(action),
                                         std::move(entity), std::move(field), std::move(before),
                                         std::move(after)))
      .status();
}

/// An entry made by the signed-in principal through its session.
Status AuditByPrincipal(Context& c, std::string action, std::string entity,
                        std::string field = "", std::optional<std::string> before = std::nullopt,
                        std::optional<std::string> after = std::nullopt) {
  return Audit(c, c.principal.email, c.principal.session_label, std::move(action),
               std::move(entity), std::move(field), std::move(before), std::move(after));
}

std::string ClientOrigin(const Context& c) {
  return c.peer.empty() ? std::string("web") : "web " + std::string(c.peer);
}

/// A path on this site to go to after signing in; "" for anything else.
std::string LocalPath(const std::string& next) {
  if (!next.starts_with('/') || next.starts_with("//") || next.find('\\') != std::string::npos ||
      next.find_first_of("\r\n") != std::string::npos) {
    return "";
  }
  return next;
}

/// Queues account mail in the outbox, which the server's worker delivers
/// (retried, never twice): the answer takes as long whatever the address and
/// however slow the relay. One message per link (the key holds the link
/// token's hash, never the token).
Status QueueAccountMail(Context& c, const std::string& to, std::string_view purpose,
                        const std::string& token, std::string_view subject,
                        std::string_view body) {
  auto queued = update::QueuePlainMessage(c.registry.store(), *c.mail, to, subject, body,
                                          "account",
                                          "account:" + std::string(purpose) + ":" +
                                              auth::TokenHash(token));
  if (!queued) return queued.status();
  if (*queued && c.mail_queued) c.mail_queued();
  return Status::Ok();
}

Result<Role> RoleField(const Target& form) {
  const std::string name = Field(form, "role");
  auto role = auth::RoleFromName(name);
  if (!role) return InvalidArgument("unknown role '" + name + "'");
  return *role;
}

json RoleOptions(Role selected) {
  json out = json::array();
  for (Role r : {Role::kReader, Role::kPractitioner, Role::kEditor, Role::kReviewer,
                 Role::kAdministrator}) {
    out.push_back({{"name", std::string(auth::RoleName(r))}, {"selected", r == selected}});
  }
  return out;
}

}  // namespace

Status CheckSameOrigin(const Context& c) {
  const std::string site = SiteOrigin(c);
  std::string from = Header(c, "origin");
  std::string which = "Origin";
  if (from.empty()) {
    from = OriginOf(Header(c, "referer"));
    which = "Referer";
  }
  if (from.empty()) {
    return PermissionDenied("refused: the request carries neither Origin nor Referer");
  }
  if (site.empty() || text::ToLowerAscii(from) != site) {
    return PermissionDenied("refused: the form was sent from another site (" + which + " " +
                            from + ")");
  }
  return Status::Ok();
}

Status CheckStateChange(const Context& c, const Target& form) {
  if (c.method != "POST") return PermissionDenied("refused: a change is made by POST only");
  OCTOPUS_RETURN_IF_ERROR(CheckSameOrigin(c));
  if (!c.principal.signed_in()) return PermissionDenied("refused: sign in first");
  const std::string token = Field(form, "csrf");
  if (token.empty() || !auth::ConstantTimeEquals(token, c.principal.csrf_token)) {
    return PermissionDenied(
        "refused: the form's security token is missing or stale; reload the page and retry");
  }
  return Status::Ok();
}

std::optional<Result<Response>> RequireRole(const Context& c, Role needed) {
  if (c.principal.signed_in() && auth::Allows(c.principal.role, needed)) return std::nullopt;
  if (!c.principal.signed_in()) return Redirect("/login?next=" + PercentEncode(c.target.path));
  return PermissionDenied("this page is for the role " + std::string(auth::RoleName(needed)) +
                          " and above; you are signed in as " +
                          std::string(auth::RoleName(c.principal.role)));
}

Result<Response> LoginPage(Context& c) {
  const std::string next = LocalPath(c.target.Param("next").value_or(""));
  json model = {{"title", "Sign in"}, {"next", next}};
  if (c.method != "POST") {
    if (c.principal.signed_in()) return Redirect(next.empty() ? "/account" : next);
    return c.Page("login", std::move(model));
  }
  OCTOPUS_RETURN_IF_ERROR(CheckSameOrigin(c));
  auto form = ParseForm(c.body);
  if (!form) return form.status();
  const std::string email = text::ToLowerAscii(Field(*form, "email"));
  const std::string totp = Field(*form, "totp");
  auth::Accounts accounts = AccountsOf(c);
  auto out = accounts.Login(email, Field(*form, "password"), totp, std::string(c.peer));
  if (!out) return out.status();
  model["email"] = email;
  if (!out->signed_in) {
    model["error"] = out->error;
    model["totp"] = out->totp_required;
    if (out->retry_after.count() > 0) {
      auto r = WithStatus(c.Page("login", std::move(model)), 429);
      if (r) r->headers.emplace_back("Retry-After", std::to_string(out->retry_after.count()));
      return r;
    }
    if (out->totp_required && totp.empty()) return c.Page("login", std::move(model));
    // What was typed is kept short: the audit is not a place for arbitrary text.
    OCTOPUS_RETURN_IF_ERROR(Audit(c, "anonymous", ClientOrigin(c), "login.failed",
                                  "user:" + email.substr(0, 254)));
    return WithStatus(c.Page("login", std::move(model)), 400);
  }
  OCTOPUS_RETURN_IF_ERROR(Audit(c, out->principal.email, out->principal.session_label, "login",
                                "user:" + out->principal.email, "", std::nullopt,
                                ClientOrigin(c)));
  // A session id the client held before is ended: the new id replaces it.
  OCTOPUS_RETURN_IF_ERROR(accounts.Logout(SessionIdOf(c)));
  Response r = Redirect(next.empty() ? "/account" : next);
  r.headers.emplace_back("Set-Cookie", auth::SessionCookie(c.accounts, out->session_id));
  return r;
}

Result<Response> LogoutPage(Context& c) {
  if (c.method != "POST") {
    if (!c.principal.signed_in()) return Redirect("/");
    return c.Page("logout", {{"title", "Sign out"}, {"csrf", c.principal.csrf_token}});
  }
  auto form = ParseForm(c.body);
  if (!form) return form.status();
  OCTOPUS_RETURN_IF_ERROR(CheckStateChange(c, *form));
  OCTOPUS_RETURN_IF_ERROR(AccountsOf(c).Logout(SessionIdOf(c)));
  OCTOPUS_RETURN_IF_ERROR(AuditByPrincipal(c, "logout", "user:" + c.principal.email));
  Response r = Redirect("/");
  r.headers.emplace_back("Set-Cookie", auth::ExpiredSessionCookie(c.accounts));
  return r;
}

Result<Response> PasswordSetPage(Context& c) {
  json model = {{"title", "Set your password"}, {"min_length", int{auth::kMinPasswordLength}}};
  auth::Accounts accounts = AccountsOf(c);
  if (c.method != "POST") {
    const std::string token = c.target.Param("token").value_or("");
    auto user = accounts.CheckLink(token);
    if (!user) return user.status();
    model["email"] = user->email;
    model["token"] = token;
    return c.Page("password_set", std::move(model));
  }
  OCTOPUS_RETURN_IF_ERROR(CheckSameOrigin(c));
  auto form = ParseForm(c.body);
  if (!form) return form.status();
  const std::string token = Field(*form, "token");
  auto user = accounts.CheckLink(token);
  if (!user) return user.status();
  model["email"] = user->email;
  model["token"] = token;
  const std::string password = Field(*form, "password");
  if (password != Field(*form, "confirm")) {
    model["error"] = "the two passwords differ";
    return WithStatus(c.Page("password_set", std::move(model)), 400);
  }
  auto set = accounts.SetPassword(token, password);
  if (!set) {
    if (set.status().code() != StatusCode::kInvalidArgument) return set.status();
    model["error"] = set.status().message();
    return WithStatus(c.Page("password_set", std::move(model)), 400);
  }
  OCTOPUS_RETURN_IF_ERROR(Audit(c, set->email, ClientOrigin(c), "user.password",
                                "user:" + set->email, "password"));
  model["done"] = true;
  return c.Page("password_set", std::move(model));
}

Result<Response> PasswordResetPage(Context& c) {
  json model = {{"title", "Reset your password"}, {"mail_configured", c.mail.has_value()}};
  if (c.method != "POST") return c.Page("password_reset", std::move(model));
  OCTOPUS_RETURN_IF_ERROR(CheckSameOrigin(c));
  auto form = ParseForm(c.body);
  if (!form) return form.status();
  const std::string email = text::ToLowerAscii(Field(*form, "email"));
  auto user = c.registry.store().UserByEmail(email);
  if (!user && user.status().code() != StatusCode::kNotFound) return user.status();
  if (user && !user->disabled && c.mail) {
    auto token = AccountsOf(c).IssueLink(*user, "reset");
    if (!token) return token.status();
    OCTOPUS_RETURN_IF_ERROR(
        Audit(c, user->email, ClientOrigin(c), "user.reset", "user:" + user->email));
    OCTOPUS_RETURN_IF_ERROR(QueueAccountMail(
        c, user->email, "reset", *token, "Reset your Octopus password",
        "Someone, probably you, asked to reset the password of the Octopus account " +
            user->email + ".\n\nTo choose a new password, open this link within an "
            "hour (it works once):\n" +
            LinkBase(c) + "/password/set?token=" + *token +
            "\n\nIf you did not ask for it, ignore this message: nothing changes.\n"));
  }
  model["requested"] = true;
  return c.Page("password_reset", std::move(model));
}

Result<Response> AccountPage(Context& c) {
  if (auto refused = RequireRole(c, Role::kReader)) return std::move(*refused);
  auto user = c.registry.store().UserById(c.principal.user_id);
  if (!user) return user.status();
  json model = {{"title", "Your account"},
                {"email", user->email},
                {"role", user->role},
                {"csrf", c.principal.csrf_token}};
  std::string secret = auth::NewTotpSecret();
  if (c.method == "POST") {
    auto form = ParseForm(c.body);
    if (!form) return form.status();
    OCTOPUS_RETURN_IF_ERROR(CheckStateChange(c, *form));
    secret = Field(*form, "secret");
    const Status st = AccountsOf(c).EnableTotp(user->id, secret, Field(*form, "code"));
    if (st.ok()) {
      OCTOPUS_RETURN_IF_ERROR(
          AuditByPrincipal(c, "user.totp", "user:" + user->email, "totp", "off", "on"));
      user->totp_secret = secret;
      model["totp_enabled_now"] = true;
    } else if (st.code() == StatusCode::kInvalidArgument) {
      model["error"] = st.message();
    } else {
      return st;
    }
  }
  model["totp_enabled"] = !user->totp_secret.empty();
  if (user->totp_secret.empty()) {
    model["secret"] = secret;
    model["otpauth_uri"] = auth::OtpauthUri("Octopus", user->email, secret);
  }
  return WithStatus(c.Page("account", std::move(model)), model.contains("error") ? 400 : 200);
}

Result<Response> AdminPage(Context& c) {
  if (auto refused = RequireRole(c, Role::kAdministrator)) return std::move(*refused);
  return c.Page("admin", {{"title", "Administration"}});
}

Result<Response> AdminUsersPage(Context& c) {
  if (auto refused = RequireRole(c, Role::kAdministrator)) return std::move(*refused);
  json model = {{"title", "Users"}, {"csrf", c.principal.csrf_token},
                {"roles", RoleOptions(Role::kEditor)}};
  int status = 200;
  if (c.method == "POST") {
    auto form = ParseForm(c.body);
    if (!form) return form.status();
    OCTOPUS_RETURN_IF_ERROR(CheckStateChange(c, *form));
    const std::string op = Field(*form, "op");
    const std::string email = text::ToLowerAscii(Field(*form, "email"));
    auth::Accounts accounts = AccountsOf(c);
    Status st;
    if (op == "add") {
      auto role = RoleField(*form);
      auto user = role ? accounts.AddUser(email, *role) : Result<store::User>(role.status());
      if (user) {
        OCTOPUS_RETURN_IF_ERROR(AuditByPrincipal(c, "user.add", "user:" + user->email, "role",
                                                 std::nullopt, user->role));
        auto token = accounts.IssueLink(*user, "set-password");
        if (!token) return token.status();
        const std::string link = LinkBase(c) + "/password/set?token=" + *token;
        model["link"] = link;
        model["link_email"] = user->email;
        if (c.mail) {
          OCTOPUS_RETURN_IF_ERROR(QueueAccountMail(
              c, user->email, "set-password", *token, "Your Octopus account",
              "An account was made for you on Octopus (role: " + user->role +
                  ").\n\nTo set your password, open this link:\n" + link + "\n"));
        }
      }
      st = user.status();
    } else if (op == "role") {
      auto role = RoleField(*form);
      auto before = c.registry.store().UserByEmail(email);
      st = !role ? role.status() : !before ? before.status() : accounts.SetRole(email, *role);
      if (st.ok()) {
        OCTOPUS_RETURN_IF_ERROR(AuditByPrincipal(c, "user.role", "user:" + email, "role",
                                                 before->role,
                                                 std::string(auth::RoleName(*role))));
      }
    } else if (op == "disable") {
      st = accounts.Disable(email);
      if (st.ok()) {
        OCTOPUS_RETURN_IF_ERROR(AuditByPrincipal(c, "user.disable", "user:" + email, "disabled",
                                                 "false", "true"));
      }
    } else {
      st = InvalidArgument("unknown operation '" + op + "'");
    }
    if (!st.ok()) {
      if (st.code() == StatusCode::kIoError || st.code() == StatusCode::kInternal) return st;
      model["error"] = st.message();
      status = HttpStatusFor(st.code());
    }
  }
  auto users = c.registry.store().Users();
  if (!users) return users.status();
  json rows = json::array();
  for (const store::User& u : *users) {
    rows.push_back({{"email", u.email},
                    {"role", u.role},
                    {"disabled", u.disabled},
                    {"password_set", !u.password_hash.empty()},
                    {"totp", !u.totp_secret.empty()},
                    {"created_at", u.created_at},
                    {"roles", RoleOptions(auth::RoleFromName(u.role).value_or(Role::kReader))}});
  }
  model["users"] = std::move(rows);
  return WithStatus(c.Page("admin_users", std::move(model)), status);
}

namespace {

/// The audit query of ?actor= &entity= &action= &from= &to= &before=.
Result<store::AuditQuery> AuditQueryOf(const Context& c) {
  store::AuditQuery q;
  q.actor = c.target.Param("actor").value_or("");
  q.entity = c.target.Param("entity").value_or("");
  q.action = c.target.Param("action").value_or("");
  for (auto [name, field] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    *field = c.target.Param(name).value_or("");
    if (!field->empty() && !domain::Date::Parse(*field)) {
      return InvalidArgument(std::string("?") + name + "= must be a date (YYYY-MM-DD), not '" +
                             *field + "'");
    }
  }
  const std::string before = c.target.Param("before").value_or("");
  if (!before.empty()) {
    if (before.find_first_not_of("0123456789") != std::string::npos || before.size() > 18) {
      return InvalidArgument("?before= must be an entry number, not '" + before + "'");
    }
    q.before_id = std::stoll(before);
  }
  return q;
}


}  // namespace

Result<Response> AdminAuditPage(Context& c) {
  if (auto refused = RequireRole(c, Role::kAdministrator)) return std::move(*refused);
  auto q = AuditQueryOf(c);
  if (!q) return q.status();
  q->limit = 50;
  auto entries = c.registry.store().Audit(*q);
  if (!entries) return entries.status();
  json rows = json::array();
  for (const store::AuditEntry& e : *entries) {
    rows.push_back({{"id", std::to_string(e.id)}, {"at", e.at}, {"actor", e.actor},
                    {"origin", e.origin}, {"action", e.action}, {"entity", e.entity},
                    {"field", e.field}, {"before", e.before.value_or("")},
                    {"after", e.after.value_or("")}});
  }
  std::string filters;
  for (const char* name : {"actor", "entity", "action", "from", "to"}) {
    const std::string v = c.target.Param(name).value_or("");
    if (!v.empty()) filters += std::string(filters.empty() ? "" : "&") + name + "=" + PercentEncode(v);
  }
  json model = {{"title", "Audit"},
                {"entries", std::move(rows)},
                {"actor", q->actor},
                {"entity", q->entity},
                {"action", q->action},
                {"from", q->from},
                {"to", q->to},
                {"csv_href", "/admin/audit.csv" + (filters.empty() ? "" : "?" + filters)}};
  if (static_cast<int>(entries->size()) == q->limit) {
    model["older_href"] = "/admin/audit?" + filters + (filters.empty() ? "" : "&") +
                          "before=" + std::to_string(entries->back().id);
  }
  return c.Page("admin_audit", std::move(model));
}

Result<Response> AdminAuditCsv(Context& c) {
  if (auto refused = RequireRole(c, Role::kAdministrator)) return std::move(*refused);
  auto q = AuditQueryOf(c);
  if (!q) return q.status();
  q->limit = 1000000;
  auto entries = c.registry.store().Audit(*q);
  if (!entries) return entries.status();
  std::string table =
      csv::Record({"id", "at", "actor", "origin", "action", "entity", "field", "before", "after"});
  for (const store::AuditEntry& e : *entries) {
    table += csv::Record({std::to_string(e.id), e.at, e.actor, e.origin, e.action, e.entity, e.field,
                        e.before.value_or(""), e.after.value_or("")});
  }
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(table);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"audit.csv\"");
  return r;
}

Result<Response> AdminOther(Context& c) {
  if (auto refused = RequireRole(c, Role::kAdministrator)) return std::move(*refused);
  return NotFound("no page at " + c.target.path);
}

}  // namespace octopus::web::internal

namespace octopus::web {

std::function<auth::Principal(const Request&)> SessionAuthenticator(
    std::shared_ptr<store::Store> store, auth::AccountOptions options,
    std::function<void(std::string_view)> log) {
  struct State {
    std::mutex mu;
    std::shared_ptr<store::Store> store;
    auth::AccountOptions options;
    std::function<void(std::string_view)> log;
  };
  auto state = std::make_shared<State>();
  state->store = std::move(store);
  state->options = std::move(options);
  state->log = std::move(log);
  return [state](const Request& request) -> auth::Principal {
    const auto cookie = request.headers.find("cookie");
    if (cookie == request.headers.end()) return {};
    const std::string id = auth::SessionIdFromCookies(state->options, cookie->second);
    if (id.empty()) return {};
    std::lock_guard lock(state->mu);
    auto principal = auth::Accounts(*state->store, state->options).Authenticate(id);
    if (!principal) {
      if (state->log) state->log("error: session lookup: " + principal.status().message());
      return {};
    }
    return *principal;
  };
}

}  // namespace octopus::web
