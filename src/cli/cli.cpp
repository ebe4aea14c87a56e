#include "cli/cli.h"

#include <cstdlib>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace octopus::cli {

int Run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"Octopus: treaties, projects, activities and news of international cooperation "
               "against cybercrime"};
  app.require_subcommand(1);
  Options opts;
  const char* env_db = std::getenv("OCTOPUS_DB");
  opts.db = env_db && *env_db ? env_db : "octopus.db";
  app.add_option("--db", opts.db,
                 "database: a file path (SQLite, created on first use) or postgresql://…")
      ->envname("OCTOPUS_DB")
      ->capture_default_str();
  app.set_version_flag("--version", "octopus 0.1.0");

  std::vector<Command> commands = RegisterCommands(app, opts);
  opts.command_line = "octopus";
  for (int i = 1; i < argc; ++i) {
    opts.command_line += ' ';
    opts.command_line += argv[i];
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    out << "octopus 0.1.0\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    // Sub-command help goes through the same path.
    if (e.get_exit_code() == 0) {
      std::ostringstream help;
      app.exit(e, help, help);
      out << help.str();
      return 0;
    }
    err << "octopus: " << e.what() << "\n";
    return 2;
  }
  for (auto& c : commands) {
    if (c.sub->parsed()) {
      try {
        Status st = c.run(out);
        if (!st.ok()) {
          err << "octopus: error: " << st.message() << "\n";
          return 1;
        }
        return 0;
      } catch (const std::exception& e) {
        err << "octopus: internal error: " << e.what() << "\n";
        return 1;
      }
    }
  }
  err << "octopus: no command given (see --help)\n";
  return 2;
}

}  // namespace octopus::cli
