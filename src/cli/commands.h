#pragma once
/// Subcommands registered on the CLI11 app. Each returns a Status; the
/// caller prints the error line and picks the exit code.

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/result.h"
#include "service/registry.h"
#include "store/store.h"

namespace octopus::cli {

struct Options {
  std::string db;
  /// The command as typed ("octopus ingest news.html"), the origin of the
  /// audit entries of the changes it makes.
  std::string command_line;
};

struct Command {
  CLI::App* sub;
  std::function<Status(std::ostream&)> run;
};

/// The store named by --db and the registry over it, for one command.
struct Session {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<service::Registry> registry;
};
Result<Session> OpenSession(const Options& opts);

std::vector<Command> RegisterCommands(CLI::App& app, Options& opts);
void RegisterTreatyCommands(CLI::App& app, Options& opts, std::vector<Command>& out);
void RegisterServeCommand(CLI::App& app, Options& opts, std::vector<Command>& out);
void RegisterIngestCommand(CLI::App& app, Options& opts, std::vector<Command>& out);
void RegisterUpdateCommand(CLI::App& app, Options& opts, std::vector<Command>& out);
void RegisterProfileCommand(CLI::App& app, Options& opts, std::vector<Command>& out);
void RegisterUserCommand(CLI::App& app, Options& opts, std::vector<Command>& out);
void RegisterAuditCommand(CLI::App& app, Options& opts, std::vector<Command>& out);
void RegisterContactCommand(CLI::App& app, Options& opts, std::vector<Command>& out);

}  // namespace octopus::cli
