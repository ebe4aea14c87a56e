// Writes a database for the browser and API tests: the shipped reference data
// and the fixture documents (src/web/testdata), ingested and turned into
// entities the way `octopus ingest` does. Usage: octopus_fixture_db PATH (PATH
// must not exist).
#include <cstdio>
#include <filesystem>
#include <string>

#include "service/ingest.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "store/store.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "octopus_fixture_db: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: octopus_fixture_db PATH\n");
    return 2;
  }
  if (std::filesystem::exists(argv[1])) return Fail(std::string(argv[1]) + " exists already");
  auto store = octopus::store::OpenStore(argv[1]);
  if (!store) return Fail(store.status().message());
  const std::string data_dir = octopus::service::FindDataDir();
  auto registry = octopus::service::Registry::Open(**store, data_dir);
  if (!registry) return Fail(registry.status().message());
  octopus::service::Ingestor ingestor(**registry);
  for (const char* name : {"news_2010_2011.txt", "update_2023q3.txt"}) {
    auto r = ingestor.IngestFile(std::string(OCTOPUS_FIXTURE_DIR) + "/" + name);
    if (!r) return Fail(r.status().message());
  }
  auto knowledge = octopus::service::Knowledge::Open(**store, data_dir);
  if (!knowledge) return Fail(knowledge.status().message());
  const octopus::Status built = (*knowledge)->Rebuild();
  if (!built.ok()) return Fail(built.message());
  return 0;
}
