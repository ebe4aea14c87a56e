#include <cstdlib>
#include <fstream>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "store/store.h"
#include "update/mailing.h"
#include "update/update.h"

namespace octopus::cli {

namespace {

/// The knowledge base of the session's store, rebuilt first if the stored
/// entities are older than the stored documents.
Result<std::shared_ptr<const kb::KnowledgeBase>> CurrentKnowledge(Session& session) {
  auto knowledge = service::Knowledge::Open(*session.store, service::FindDataDir());
  if (!knowledge) return knowledge.status();
  // The quarterly update is public: it never holds a restricted record.
  return (*knowledge)->Current(kb::Visibility::kPublic);
}

// --smtp, --from and --base-url (default $OCTOPUS_BASE_URL, else the local site).
void AddMailOptions(CLI::App* sub, update::MailSettings& mail, bool required) {
  auto* smtp =
      sub->add_option("--smtp", mail.smtp, "SMTP relay, HOST:PORT")->envname("OCTOPUS_SMTP");
  auto* from = sub->add_option("--from", mail.from, "sender address")->envname("OCTOPUS_MAIL_FROM");
  if (required) {
    smtp->required();
    from->required();
  }
  // The relay's login comes from the environment only, never from a flag
  // that `ps` would show.
  if (const char* user = std::getenv("OCTOPUS_SMTP_USER")) mail.username = user;
  if (const char* password = std::getenv("OCTOPUS_SMTP_PASSWORD")) mail.password = password;
  sub->add_option("--base-url", mail.base_url, "the site's public address, for links")
      ->envname("OCTOPUS_BASE_URL")
      ->capture_default_str();
}

}  // namespace

void RegisterUpdateCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* update = app.add_subcommand("update", "the quarterly Cybercrime@CoE Update");
  update->require_subcommand(1);

  // update compose
  CLI::App* sub = update->add_subcommand(
      "compose",
      "compose the issue of a quarter from the database (treaty figures as of its last day)");
  auto quarter = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("html");
  auto output = std::make_shared<std::string>();
  auto highlights = std::make_shared<std::vector<std::string>>();
  sub->add_option("--quarter", *quarter, "the quarter, e.g. 2023Q3")->required();
  sub->add_option("--format", *format, "html|md|text|pdf|json")->capture_default_str();
  sub->add_option("-o,--output", *output, "write to FILE instead of standard output");
  sub->add_option("--highlight", *highlights,
                  "a highlight line, in order (repeat; replaces the default highlights)");
  out.push_back({sub, [&opts, quarter, format, output, highlights](std::ostream& o) -> Status {
    auto q = update::Quarter::Parse(*quarter);
    if (!q) return q.status();
    auto f = update::ParseFormat(*format);
    if (!f) return f.status();
    auto session = OpenSession(opts);
    if (!session) return session.status();
    update::ComposeOptions options;
    options.highlights = *highlights;
    auto knowledge = CurrentKnowledge(*session);
    if (!knowledge) return knowledge.status();
    auto bytes = update::ComposeUpdate(*session->registry, **knowledge, *q, *f, options);
    if (!bytes) return bytes.status();
    if (output->empty()) {
      o << *bytes;
      return Status::Ok();
    }
    std::ofstream file(*output, std::ios::binary | std::ios::trunc);
    file.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    file.close();
    if (!file) return IoError("cannot write " + *output);
    return Status::Ok();
  }});

  const std::string kLocalSite = "http://127.0.0.1:8080";

  // update send
  {
    CLI::App* send = update->add_subcommand(
        "send", "mail the issue of a quarter to every confirmed subscriber over SMTP");
    auto q_text = std::make_shared<std::string>();
    auto mail = std::make_shared<update::MailSettings>();
    mail->base_url = kLocalSite;
    auto lines = std::make_shared<std::vector<std::string>>();
    send->add_option("--quarter", *q_text, "the quarter, e.g. 2023Q3")->required();
    send->add_option("--highlight", *lines, "a highlight line (repeat; replaces the defaults)");
    AddMailOptions(send, *mail, true);
    out.push_back({send, [&opts, q_text, mail, lines](std::ostream& o) -> Status {
      auto q = update::Quarter::Parse(*q_text);
      if (!q) return q.status();
      auto session = OpenSession(opts);
      if (!session) return session.status();
      update::ComposeOptions options;
      options.highlights = *lines;
      auto knowledge = CurrentKnowledge(*session);
      if (!knowledge) return knowledge.status();
      auto report = update::SendIssue(*session->registry, **knowledge, *q, *mail, options);
      if (!report) return report.status();
      o << "sent " << report->sent << " message" << (report->sent == 1 ? "" : "s") << "\n";
      for (const auto& f : report->failed) o << "not sent: " << f << "\n";
      if (!report->failed.empty()) {
        return IoError(std::to_string(report->failed.size()) + " message(s) not sent");
      }
      return Status::Ok();
    }});
  }

  // update subscribe
  {
    CLI::App* sub = update->add_subcommand(
        "subscribe",
        "add a pending subscriber; mails the confirmation link with --smtp, else prints it");
    auto email = std::make_shared<std::string>();
    auto mail = std::make_shared<update::MailSettings>();
    mail->base_url = kLocalSite;
    sub->add_option("EMAIL", *email, "the subscriber's address")->required();
    AddMailOptions(sub, *mail, false);
    out.push_back({sub, [&opts, email, mail](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      auto s = update::RequestSubscription(*session->store, *email);
      if (!s) return s.status();
      if (s->status == "confirmed") {
        o << s->email << " is subscribed already\n";
        return Status::Ok();
      }
      if (mail->smtp.empty()) {
        o << s->email << ": pending; confirmation link: " << update::ConfirmUrl(*mail, s->token)
          << "\n" << s->email << ": unsubscribe link: "
          << update::UnsubscribeUrl(*mail, s->unsubscribe_token) << "\n";
        return Status::Ok();
      }
      OCTOPUS_RETURN_IF_ERROR(update::SendConfirmation(*s, *mail));
      o << s->email << ": pending; confirmation link mailed\n";
      return Status::Ok();
    }});
  }

  // update confirm / update unsubscribe
  for (const bool confirm : {true, false}) {
    CLI::App* sub = update->add_subcommand(
        confirm ? "confirm" : "unsubscribe",
        confirm ? "confirm a subscription by its token" : "end a subscription by its token");
    auto token = std::make_shared<std::string>();
    sub->add_option("TOKEN", *token, "the token of the link")->required();
    out.push_back({sub, [&opts, token, confirm](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      auto s = confirm ? update::ConfirmSubscription(*session->store, *token)
                       : update::Unsubscribe(*session->store, *token);
      if (!s) return s.status();
      o << s->email << ": " << s->status << "\n";
      return Status::Ok();
    }});
  }

  // update subscribers
  {
    CLI::App* sub = update->add_subcommand("subscribers", "list the subscribers");
    auto status = std::make_shared<std::string>();
    sub->add_option("--status", *status, "pending|confirmed|unsubscribed (default: all)");
    out.push_back({sub, [&opts, status](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      auto list = session->store->Subscribers(*status);
      if (!list) return list.status();
      for (const auto& s : *list) {
        o << s.email << "\t" << s.status << "\t" << s.created_at << "\n";
      }
      return Status::Ok();
    }});
  }
}

}  // namespace octopus::cli
