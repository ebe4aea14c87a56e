// The composition root: everything starts here.
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return octopus::cli::Run(argc, argv, std::cout, std::cerr);
}
