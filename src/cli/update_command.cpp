#include <fstream>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "service/registry.h"
#include "store/store.h"
#include "update/update.h"

namespace octopus::cli {

void RegisterUpdateCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* update = app.add_subcommand("update", "the quarterly Cybercrime@CoE Update");
  update->require_subcommand(1);

  // update compose
  CLI::App* sub = update->add_subcommand(
      "compose", "compose the issue of a quarter from the database (treaty figures as of its last day)");
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
    auto store = store::OpenStore(opts.db);
    if (!store) return store.status();
    auto registry = service::Registry::Open(**store, service::FindDataDir());
    if (!registry) return registry.status();
    update::ComposeOptions options;
    options.highlights = *highlights;
    auto bytes = update::ComposeUpdate(**registry, *q, *f, options);
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
}

}  // namespace octopus::cli
