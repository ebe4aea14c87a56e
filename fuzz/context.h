#pragma once
// The reference data every fuzz target resolves names against, loaded once.
#include <string>

#include "domain/country.h"
#include "treaty/catalog.h"

namespace octopus::fuzz {

struct Context {
  domain::Gazetteer gazetteer;
  treaty::Catalog catalog;
};

inline const Context& Ctx() {
  static const Context c = [] {
    const std::string dir = OCTOPUS_FUZZ_DATA_DIR;
    Context ctx;
    auto g = domain::Gazetteer::LoadFile(dir + "/countries.csv");
    auto cat = treaty::Catalog::LoadFile(dir + "/treaties.json");
    if (!g || !cat) __builtin_trap();
    ctx.gazetteer = std::move(*g);
    ctx.catalog = std::move(*cat);
    return ctx;
  }();
  return c;
}

}  // namespace octopus::fuzz
