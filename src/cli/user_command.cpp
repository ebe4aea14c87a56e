// `octopus user add|list|role|disable|link`: accounts from the command line,
// where the first administrator is made. Every change goes to the audit with
// the actor "cli" and the command line as its origin.
#include <cstdlib>
#include <memory>
#include <ostream>

#include "auth/accounts.h"
#include "cli/commands.h"
#include "core/text.h"
#include "store/store.h"
#include "auth/credentials.h"
#include "update/mailing.h"

namespace octopus::cli {

namespace {

struct UserArgs {
  std::string email;
  std::string role;
  std::string base_url;
};

Result<auth::Role> ParseRole(const std::string& name) {
  auto role = auth::RoleFromName(name);
  if (!role) {
    return InvalidArgument("unknown role '" + name +
                           "' (reader, practitioner, editor, reviewer, administrator)");
  }
  return *role;
}

Status AuditCli(store::Store& store, const std::string& command_line, std::string action,
                std::string entity, std::string field, std::optional<std::string> before,
                std::optional<std::string> after) {
  return store
      .AppendAudit(store::AuditEntry::Of("cli", command_line, std::move(action), std::move(entity),
                                         std::move(field), std::move(before), std::move(after)))
      .status();
}

/// The mail settings of the environment (as `serve` reads them); nullopt
/// when no relay is configured.
std::optional<update::MailSettings> MailFromEnvironment(const std::string& base_url) {
  const char* smtp = std::getenv("OCTOPUS_SMTP");
  if (smtp == nullptr || *smtp == '\0') return std::nullopt;
  update::MailSettings mail;
  mail.smtp = smtp;
  mail.base_url = base_url;
  if (const char* from = std::getenv("OCTOPUS_MAIL_FROM")) mail.from = from;
  if (const char* user = std::getenv("OCTOPUS_SMTP_USER")) mail.username = user;
  if (const char* password = std::getenv("OCTOPUS_SMTP_PASSWORD")) mail.password = password;
  return mail;
}

/// Issues a set-password link for `user`, prints it, and mails it when mail
/// is configured.
Status GiveLink(store::Store& store, const store::User& user, const UserArgs& args,
                std::ostream& o) {
  auth::AccountOptions options;
  options.base_url = args.base_url;
  auto token = auth::Accounts(store, options).IssueLink(user, "set-password");
  if (!token) return token.status();
  std::string base = args.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string link = base + "/password/set?token=" + *token;
  o << "one-time link to set the password of " << user.email << " (valid 7 days):\n"
    << link << "\n";
  if (auto mail = MailFromEnvironment(args.base_url)) {
    // Through the outbox, as the site's mail goes: stored first, then sent
    // (by this command now, or retried by `serve`'s outbox worker).
    auto queued = update::QueuePlainMessage(
        store, *mail, user.email, "Your Octopus account",
        "An account on Octopus is ready for you (role: " + user.role +
            ").\n\nTo set your password, open this link:\n" + link + "\n",
        "account", "account:set-password:" + auth::TokenHash(*token));
    if (!queued) return IoError("the link was not queued for mailing: " + queued.status().message());
    auto delivered = update::DeliverDueMail(store, *mail, 100);
    if (!delivered) return IoError("the link was not mailed: " + delivered.status().message());
    const std::string prefix = user.email + ": ";
    for (const std::string& failure : delivered->failed) {
      if (failure.starts_with(prefix)) {
        o << "not mailed yet (" << failure.substr(prefix.size())
          << "); the message stays in the outbox and `octopus serve` retries it\n";
        return Status::Ok();
      }
    }
    o << "mailed to " << user.email << "\n";
  }
  return Status::Ok();
}

}  // namespace

void RegisterUserCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* user = app.add_subcommand("user", "accounts: add, list, change roles, disable");
  user->require_subcommand(1);
  auto args = std::make_shared<UserArgs>();
  args->base_url = "http://127.0.0.1:8080";

  auto base_url_option = [args](CLI::App* sub) {
    sub->add_option("--base-url", args->base_url, "the site's public address, for the link")
        ->envname("OCTOPUS_BASE_URL")
        ->capture_default_str();
  };

  {
    CLI::App* add = user->add_subcommand("add", "add an account; prints a one-time link to set its password");
    add->add_option("EMAIL", args->email, "the user's e-mail address")->required();
    add->add_option("--role", args->role, "reader, practitioner, editor, reviewer or administrator")
        ->required();
    base_url_option(add);
    out.push_back({add, [&opts, args](std::ostream& o) -> Status {
      auto role = ParseRole(args->role);
      if (!role) return role.status();
      auto store = store::OpenStore(opts.db);
      if (!store) return store.status();
      auth::AccountOptions options;
      auto added = auth::Accounts(**store, options).AddUser(args->email, *role);
      if (!added) return added.status();
      OCTOPUS_RETURN_IF_ERROR(AuditCli(**store, opts.command_line,
                                       "user.add", "user:" + added->email, "role", std::nullopt,
                                       added->role));
      o << "added " << added->email << " (" << added->role << ")\n";
      return GiveLink(**store, *added, *args, o);
    }});
  }
  {
    CLI::App* list = user->add_subcommand("list", "list the accounts");
    out.push_back({list, [&opts](std::ostream& o) -> Status {
      auto store = store::OpenStore(opts.db);
      if (!store) return store.status();
      auto users = (*store)->Users();
      if (!users) return users.status();
      for (const store::User& u : *users) {
        o << u.email << "\t" << u.role << "\t"
          << (u.disabled ? "disabled" : u.password_hash.empty() ? "no password yet" : "active")
          << (u.totp_secret.empty() ? "" : "\ttotp") << "\t" << u.created_at << "\n";
      }
      return Status::Ok();
    }});
  }
  {
    CLI::App* role = user->add_subcommand("role", "change the role of an account");
    role->add_option("EMAIL", args->email, "the user's e-mail address")->required();
    role->add_option("ROLE", args->role, "the new role")->required();
    out.push_back({role, [&opts, args](std::ostream& o) -> Status {
      auto new_role = ParseRole(args->role);
      if (!new_role) return new_role.status();
      auto store = store::OpenStore(opts.db);
      if (!store) return store.status();
      auto before = (*store)->UserByEmail(text::ToLowerAscii(args->email));
      if (!before) return before.status();
      auth::AccountOptions options;
      OCTOPUS_RETURN_IF_ERROR(auth::Accounts(**store, options).SetRole(args->email, *new_role));
      const std::string after(auth::RoleName(*new_role));
      OCTOPUS_RETURN_IF_ERROR(AuditCli(**store, opts.command_line,
                                       "user.role", "user:" + before->email, "role",
                                       before->role, after));
      o << before->email << ": " << before->role << " → " << after << "\n";
      return Status::Ok();
    }});
  }
  {
    CLI::App* disable = user->add_subcommand("disable", "disable an account and end its sessions");
    disable->add_option("EMAIL", args->email, "the user's e-mail address")->required();
    out.push_back({disable, [&opts, args](std::ostream& o) -> Status {
      auto store = store::OpenStore(opts.db);
      if (!store) return store.status();
      auth::AccountOptions options;
      const std::string email = text::ToLowerAscii(args->email);
      OCTOPUS_RETURN_IF_ERROR(auth::Accounts(**store, options).Disable(email));
      OCTOPUS_RETURN_IF_ERROR(AuditCli(**store, opts.command_line, "user.disable",
                                       "user:" + email, "disabled", "false", "true"));
      o << email << ": disabled\n";
      return Status::Ok();
    }});
  }
  {
    CLI::App* link = user->add_subcommand("link", "a fresh one-time link to set the password");
    link->add_option("EMAIL", args->email, "the user's e-mail address")->required();
    base_url_option(link);
    out.push_back({link, [&opts, args](std::ostream& o) -> Status {
      auto store = store::OpenStore(opts.db);
      if (!store) return store.status();
      auto found = (*store)->UserByEmail(text::ToLowerAscii(args->email));
      if (!found) return found.status();
      if (found->disabled) return InvalidArgument(found->email + " is disabled");
      OCTOPUS_RETURN_IF_ERROR(AuditCli(**store, opts.command_line, "user.link",
                                       "user:" + found->email, "", std::nullopt, std::nullopt));
      return GiveLink(**store, *found, *args, o);
    }});
  }
}

}  // namespace octopus::cli
