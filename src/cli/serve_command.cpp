#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "store/store.h"
#include "update/mailing.h"
#include "web/accounts.h"
#include "web/serve.h"

namespace octopus::cli {

namespace {

/// DB.pdf-cache beside a database file; "" for a database that is no file.
std::string DefaultPdfCacheDir(const std::string& db) {
  if (db.empty() || db == ":memory:" || db.find("://") != std::string::npos ||
      db.starts_with("file:")) {
    return "";
  }
  return db + ".pdf-cache";
}

}  // namespace

void RegisterServeCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* sub = app.add_subcommand(
      "serve", "serve the site and the JSON API over HTTP until SIGINT or SIGTERM");
  auto serve = std::make_shared<web::ServeOptions>();
  sub->add_option("--listen", serve->listen, "HOST:PORT to listen on")
      ->envname("OCTOPUS_LISTEN")
      ->capture_default_str();
  sub->add_option("--threads", serve->threads, "worker threads for the handlers (0: one per core)")
      ->capture_default_str();
  sub->add_option("--handler-budget", serve->handler_budget_seconds,
                  "seconds a request may wait for its handler before a 503 with Retry-After")
      ->capture_default_str();
  sub->add_option("--render-budget", serve->render_budget_seconds,
                  "the same for a PDF issue, which waits for its render on threads of its own")
      ->capture_default_str();
  sub->add_option("--max-connections-per-client", serve->max_connections_per_client,
                  "connections one client address may hold open")
      ->capture_default_str();
  sub->add_option("--pdf-cache", serve->pdf_cache_dir,
                  "directory where rendered PDF issues are kept, one file per content "
                  "(default: beside the database, DB.pdf-cache; 'none' keeps none)");
  sub->add_option("--templates", serve->template_dir,
                  "page templates directory (default: $OCTOPUS_TEMPLATE_DIR or templates/)");
  sub->add_option("--static", serve->static_dir,
                  "static files directory (default: $OCTOPUS_STATIC_DIR or static/)");
  sub->add_option("--smtp", serve->mail.smtp,
                  "SMTP relay for subscription confirmations: HOST:PORT or smtps://HOST:PORT "
                  "(none: subscriptions are stored, nothing is mailed)")
      ->envname("OCTOPUS_SMTP");
  sub->add_option("--from", serve->mail.from, "sender address of the confirmation messages")
      ->envname("OCTOPUS_MAIL_FROM");
  sub->add_option("--base-url", serve->mail.base_url,
                  "the site's public address, for the links in messages (https://…)")
      ->envname("OCTOPUS_BASE_URL");
  out.push_back({sub, [&opts, serve](std::ostream&) -> Status {
    if (!serve->mail.smtp.empty()) {
      // The relay login comes from the environment only, never the command line.
      if (const char* user = std::getenv("OCTOPUS_SMTP_USER")) serve->mail.username = user;
      if (const char* password = std::getenv("OCTOPUS_SMTP_PASSWORD")) {
        serve->mail.password = password;
      }
      OCTOPUS_RETURN_IF_ERROR(update::CheckMailSettings(serve->mail));
    }
    if (serve->pdf_cache_dir == "none") {
      serve->pdf_cache_dir.clear();
    } else if (serve->pdf_cache_dir.empty()) {
      serve->pdf_cache_dir = DefaultPdfCacheDir(opts.db);
    }
    auto session = OpenSession(opts);
    if (!session) return session.status();
    // The entity pages, the API and the update pages read the knowledge base; a
    // database from before entities gets them on the first request.
    auto knowledge = service::Knowledge::Open(*session->store, service::FindDataDir());
    if (!knowledge) return knowledge.status();
    serve->knowledge = [k = knowledge->get()](kb::Visibility v) { return k->Current(v); };
    // Sessions are looked up outside the site's lock, on a connection of their own.
    auto common = auth::CommonPasswords::Load(service::FindDataDir() + "/common-passwords.txt");
    if (!common) return common.status();
    serve->accounts.base_url = serve->mail.base_url;
    serve->accounts.common_passwords =
        std::make_shared<const auth::CommonPasswords>(std::move(*common));
    auto sessions = store::OpenStore(opts.db);
    if (!sessions) return sessions.status();
    serve->authenticate = web::SessionAuthenticator(
        std::shared_ptr<store::Store>(std::move(*sessions)), serve->accounts,
        [](std::string_view line) {
          std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
        });
    return web::Serve(*serve, *session->registry);
  }});
}

}  // namespace octopus::cli
