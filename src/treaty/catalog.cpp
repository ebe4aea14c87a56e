#include "treaty/catalog.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "domain/treaty_json.h"

namespace octopus::treaty {

using nlohmann::json;
using domain::Date;

Result<Catalog> Catalog::FromJson(std::string_view text, std::string_view source) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return ParseError(std::string(source) + ": invalid JSON");
  if (!j.contains("treaties") || !j["treaties"].is_array()) {
    return ParseError(std::string(source) + ": missing \"treaties\" array");
  }
  std::vector<domain::Treaty> out;
  for (size_t i = 0; i < j["treaties"].size(); ++i) {
    const json& t = j["treaties"][i];
    auto treaty = domain::TreatyFromJson(t.dump());
    if (!treaty) {
      return ParseError(std::string(source) + ": treaty #" + std::to_string(i + 1) + " (" +
                        t.value("ref", std::string("?")) + "): " + treaty.status().message());
    }
    out.push_back(std::move(*treaty));
  }
  return Catalog(std::move(out));
}

Result<Catalog> Catalog::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return FromJson(ss.str(), path);
}

const domain::Treaty* Catalog::Resolve(std::string_view ref) const {
  const int number = domain::ParseTreatyNumber(ref);
  if (number > 0) {
    for (const auto& t : treaties_) {
      if (t.number == number) return &t;
    }
    return nullptr;
  }
  const std::string key = text::FoldKey(ref);
  if (key.empty()) return nullptr;
  for (const auto& t : treaties_) {
    if (text::FoldKey(t.ref) == key || text::FoldKey(t.title) == key ||
        text::FoldKey(t.short_title) == key) {
      return &t;
    }
    for (const auto& a : t.aliases) {
      if (text::FoldKey(a) == key) return &t;
    }
  }
  return nullptr;
}

Result<const domain::Treaty*> Catalog::Require(std::string_view ref) const {
  if (const auto* t = Resolve(ref)) return t;
  std::string known;
  for (const auto& t : treaties_) known += (known.empty() ? "" : ", ") + t.ref;
  return NotFound("unknown treaty '" + std::string(ref) + "' (known: " + known + ")");
}

}  // namespace octopus::treaty
