// Writes a database for the browser tests: the shipped reference data and the
// fixture documents (src/store/testing/record_fixtures.h), as AddDocument
// stores them. Usage: octopus_fixture_db PATH (PATH must not exist).
#include <cstdio>
#include <filesystem>

#include "service/registry.h"
#include "store/store.h"
#include "store/testing/record_fixtures.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: octopus_fixture_db PATH\n");
    return 2;
  }
  if (std::filesystem::exists(argv[1])) {
    std::fprintf(stderr, "octopus_fixture_db: %s exists already\n", argv[1]);
    return 1;
  }
  auto store = octopus::store::OpenStore(argv[1]);
  if (!store) {
    std::fprintf(stderr, "octopus_fixture_db: %s\n", store.status().message().c_str());
    return 1;
  }
  auto registry = octopus::service::Registry::Open(**store, octopus::service::FindDataDir());
  if (!registry) {
    std::fprintf(stderr, "octopus_fixture_db: %s\n", registry.status().message().c_str());
    return 1;
  }
  const octopus::Status st = octopus::test_support::AddRecordFixtures(**store);
  if (!st.ok()) {
    std::fprintf(stderr, "octopus_fixture_db: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}
