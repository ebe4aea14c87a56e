#pragma once
/// The `octopus` command line: parses arguments, runs one subcommand, prints
/// its result on stdout and errors as one line on stderr.

#include <iosfwd>

namespace octopus::cli {

/// Runs the program; returns the exit status (0 ok, 1 error, 2 usage).
int Run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace octopus::cli
