#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "service/registry.h"
#include "service/treaty_views.h"
#include "store/store.h"

namespace octopus::cli {

Result<Session> OpenSession(const Options& opts) {
  auto store = store::OpenStore(opts.db);
  if (!store) return store.status();
  const char* user = std::getenv("USER");
  (*store)->SetAuditOrigin(user && *user ? std::string("cli ") + user : std::string("cli"),
                           opts.command_line);
  auto registry = service::Registry::Open(**store, service::FindDataDir());
  if (!registry) return registry.status();
  return Session{std::move(*store), std::move(*registry)};
}

namespace {


// A session with one treaty analysed; the analysis refers to the session's gazetteer.
struct TreatyView {
  Session session;
  std::optional<treaty::Analysis> analysis;
};

Result<std::unique_ptr<TreatyView>> OpenTreaty(const Options& opts, const std::string& ref) {
  auto s = OpenSession(opts);
  if (!s) return s.status();
  auto view = std::make_unique<TreatyView>();
  view->session = std::move(*s);
  auto a = view->session.registry->Analyse(ref);
  if (!a) return a.status();
  view->analysis.emplace(std::move(*a));
  return view;
}

Result<domain::Date> AsOf(const std::string& text) {
  if (text.empty()) return service::Today();
  auto d = domain::Date::Parse(text);
  if (!d) return InvalidArgument("--as-of: " + d.status().message());
  return *d;
}

Status CheckFormat(const std::string& format, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (format == a) return Status::Ok();
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : "|") + std::string(a);
  return InvalidArgument("--format must be " + list + ", not '" + format + "'");
}

}  // namespace

void RegisterTreatyCommands(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* treaty = app.add_subcommand("treaty", "treaty registry: charts, status, counts");
  treaty->require_subcommand(1);

  // treaty list
  {
    CLI::App* sub = treaty->add_subcommand("list", "the treaties known, with today's counts");
    auto format = std::make_shared<std::string>("text");
    sub->add_option("--format", *format, "text|json")->capture_default_str();
    out.push_back({sub, [&opts, format](std::ostream& o) -> Status {
      OCTOPUS_RETURN_IF_ERROR(CheckFormat(*format, {"text", "json"}));
      auto s = OpenSession(opts);
      if (!s) return s.status();
      const domain::Date today = service::Today();
      nlohmann::json all = nlohmann::json::array();
      if (*format == "text") {
        o << fmt::format("{:<9} {:<52} {:<11} {:<23} {:>9} {:>9}\n", "Ref", "Title", "Opened",
                         "Entry into force", "Consents", "In force");
      }
      for (const auto& t : s->registry->catalog().all()) {
        auto a = s->registry->Analyse(t.ref);
        if (!a) return a.status();
        if (*format == "json") {
          all.push_back(service::TreatySummaryJson(*a, today));
          continue;
        }
        const auto& eif = a->entry_into_force();
        std::string title = t.short_title.empty() ? t.title : t.short_title;
        if (title.size() > 52) title = title.substr(0, 49) + "...";
        o << fmt::format("{:<9} {:<52} {:<11} {:<23} {:>9} {:>9}\n", t.ref, title,
                         t.opened.ToIso(), eif.date ? eif.date->ToString() : "not in force",
                         a->Consents(today).ToString(), a->InForce(today).ToString());
      }
      if (*format == "json") o << all.dump(2) << "\n";
      return Status::Ok();
    }});
  }

  // treaty import
  {
    CLI::App* sub = treaty->add_subcommand(
        "import", "import a chart (Treaty Office shape) or a facts file; all rows or none");
    auto file = std::make_shared<std::string>();
    auto ref = std::make_shared<std::string>();
    sub->add_option("CHART", *file, "CSV file")->required();
    sub->add_option("--treaty", *ref, "treaty reference, when the file's comments do not name it");
    out.push_back({sub, [&opts, file, ref](std::ostream& o) -> Status {
      auto s = OpenSession(opts);
      if (!s) return s.status();
      auto r = s->registry->ImportFile(*file, *ref);
      if (!r) return r.status();
      o << (r->stored ? "imported " : "already imported (same content): ") << r->origin << " — "
        << r->kind << (r->treaty.empty() ? "" : " for " + r->treaty) << ", " << r->rows << " rows, "
        << r->evidence << " dated statements, " << r->figures << " figures"
        << (r->as_of ? ", as of " + r->as_of->ToIso() : "")
        << (r->complete ? " (complete)" : " (partial)") << "\n";
      for (const auto& d : r->differences) {
        o << d.source.origin << ":" << d.source.line << ": " << d.state
          << " entry_into_force: chart " << d.stated << ", computed " << d.computed << "\n";
      }
      if (r->differences.empty() && !r->treaty.empty()) {
        o << "every printed entry into force agrees with the computation\n";
      }
      for (const auto& u : r->unused) o << "not used: " << u << "\n";
      return Status::Ok();
    }});
  }

  // treaty status
  {
    CLI::App* sub = treaty->add_subcommand("status", "the chart of a treaty as of a date");
    auto ref = std::make_shared<std::string>();
    auto as_of = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("text");
    sub->add_option("REF", *ref, "185, ETS 185, CETS 224, UNCC, …")->required();
    sub->add_option("--as-of", *as_of, "YYYY-MM-DD (default: today)");
    sub->add_option("--format", *format, "text|csv|json")->capture_default_str();
    out.push_back({sub, [&opts, ref, as_of, format](std::ostream& o) -> Status {
      OCTOPUS_RETURN_IF_ERROR(CheckFormat(*format, {"text", "csv", "json"}));
      auto on = AsOf(*as_of);
      if (!on) return on.status();
      auto v = OpenTreaty(opts, *ref);
      if (!v) return v.status();
      const treaty::Analysis& a = *(*v)->analysis;
      auto data = (*v)->session.registry->Data(*ref);
      if (!data) return data.status();
      const auto& g = (*v)->session.registry->gazetteer();
      if (*format == "csv") o << treaty::ChartCsv(a, g, *on);
      else if (*format == "json") o << service::StatusJson(a, g, *data, *on).dump(2) << "\n";
      else o << service::StatusText(a, g, *data, *on);
      return Status::Ok();
    }});
  }

  // treaty parties
  {
    CLI::App* sub = treaty->add_subcommand(
        "parties", "how many States had deposited their consent (or were bound) on a date");
    auto ref = std::make_shared<std::string>();
    auto as_of = std::make_shared<std::string>();
    auto in_force = std::make_shared<bool>(false);
    auto format = std::make_shared<std::string>("text");
    sub->add_option("REF", *ref, "treaty reference")->required();
    sub->add_option("--as-of", *as_of, "YYYY-MM-DD (default: today)");
    sub->add_flag("--in-force", *in_force, "count only States for which it is in force that day");
    sub->add_option("--format", *format, "text|json")->capture_default_str();
    out.push_back({sub, [&opts, ref, as_of, in_force, format](std::ostream& o) -> Status {
      OCTOPUS_RETURN_IF_ERROR(CheckFormat(*format, {"text", "json"}));
      auto on = AsOf(*as_of);
      if (!on) return on.status();
      auto v = OpenTreaty(opts, *ref);
      if (!v) return v.status();
      const treaty::Analysis& a = *(*v)->analysis;
      const treaty::Range r = *in_force ? a.InForce(*on) : a.Consents(*on);
      if (*format == "json") o << service::RangeJson(r).dump() << "\n";
      else o << r.ToString() << "\n";
      return Status::Ok();
    }});
  }

  // treaty timeline
  {
    CLI::App* sub = treaty->add_subcommand("timeline", "one row per date the counts change");
    auto ref = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("csv");
    sub->add_option("REF", *ref, "treaty reference")->required();
    sub->add_option("--format", *format, "csv|json")->capture_default_str();
    out.push_back({sub, [&opts, ref, format](std::ostream& o) -> Status {
      OCTOPUS_RETURN_IF_ERROR(CheckFormat(*format, {"csv", "json"}));
      auto v = OpenTreaty(opts, *ref);
      if (!v) return v.status();
      const treaty::Analysis& a = *(*v)->analysis;
      if (*format == "json") o << service::TimelineJson(a).dump(2) << "\n";
      else o << service::TimelineCsv(a);
      return Status::Ok();
    }});
  }
}

std::vector<Command> RegisterCommands(CLI::App& app, Options& opts) {
  std::vector<Command> out;
  RegisterTreatyCommands(app, opts, out);
  RegisterServeCommand(app, opts, out);
  RegisterIngestCommand(app, opts, out);
  RegisterUpdateCommand(app, opts, out);
  RegisterProfileCommand(app, opts, out);
  RegisterContactCommand(app, opts, out);
  RegisterUserCommand(app, opts, out);
  RegisterAuditCommand(app, opts, out);
  return out;
}

}  // namespace octopus::cli
