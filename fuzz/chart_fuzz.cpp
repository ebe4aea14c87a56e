// libFuzzer target: the chart, facts and conflict-list parsers, the CSV reader and the
// interval parser must survive any bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/csv.h"
#include "domain/country.h"
#include "fuzz/context.h"
#include "treaty/catalog.h"
#include "treaty/chart.h"

using octopus::fuzz::Ctx;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)octopus::csv::Parse(text, "fuzz");
  (void)octopus::treaty::ParseInterval(text.substr(0, 40));
  auto chart = octopus::treaty::ParseChart(text, "fuzz", Ctx().catalog, Ctx().gazetteer, "185");
  if (chart.ok()) {
    // A chart that parses must also analyse without trouble.
    octopus::treaty::Analysis a(*Ctx().catalog.Resolve("185"), chart->evidence, chart->snapshots,
                                Ctx().gazetteer);
    (void)a.Timeline();
  }
  (void)octopus::treaty::ParseFacts(text, "fuzz", Ctx().catalog, Ctx().gazetteer);
  (void)octopus::treaty::ParseConflictList(text, "fuzz", Ctx().catalog, Ctx().gazetteer);
  (void)octopus::domain::Gazetteer::FromCsv(text, "fuzz");
  (void)octopus::treaty::Catalog::FromJson(text, "fuzz");
  return 0;
}
