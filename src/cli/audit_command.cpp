// `octopus audit`: the audit as an operator reads it on the server, newest
// first. Read-only: nothing in the application changes it.
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "store/store.h"

namespace octopus::cli {

namespace {

std::string Shown(const std::optional<std::string>& v) { return v ? *v : std::string("—"); }

}  // namespace

void RegisterAuditCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* sub = app.add_subcommand("audit", "list the recorded changes, newest first");
  auto query = std::make_shared<store::AuditQuery>();
  sub->add_option("--actor", query->actor, "only changes by this actor (an e-mail, \"cli …\")");
  sub->add_option("--entity", query->entity,
                  "only this entity (\"project:cybereast\") or kind (\"project:\")");
  sub->add_option("--action", query->action, "only this action (ingest, import, edit, …)");
  sub->add_option("--from", query->from, "from this day (YYYY-MM-DD)");
  sub->add_option("--to", query->to, "to this day (YYYY-MM-DD)");
  sub->add_option("--limit", query->limit, "at most this many entries")->capture_default_str();
  out.push_back({sub, [&opts, query](std::ostream& o) -> Status {
    if (query->limit <= 0) return InvalidArgument("--limit must be a positive number");
    auto store = store::OpenStore(opts.db);
    if (!store) return store.status();
    auto entries = (*store)->Audit(*query);
    if (!entries) return entries.status();
    for (const store::AuditEntry& e : *entries) {
      o << e.at << "  " << e.actor << "  " << e.action << "  " << e.entity;
      if (!e.field.empty()) o << "  " << e.field;
      o << "\n    from: " << e.origin << "\n    before: " << Shown(e.before)
        << "\n    after: " << Shown(e.after) << "\n";
    }
    return Status::Ok();
  }});
}

}  // namespace octopus::cli
