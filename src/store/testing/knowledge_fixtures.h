#pragma once
/// Test support: a knowledge base over the record fixtures (record_fixtures.h)
/// as stored, made by hand so that the store's and the search module's tests
/// do not depend on the resolution rules: each news item, activity and project
/// record is one entity with one claim per field, sourced to its record; a
/// project is named by its slug; the funders of the projects are
/// organisations.

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "kb/knowledge.h"
#include "store/store.h"

namespace octopus::test_support {

/// The ids the fixture gives the projects the records name.
inline std::string FixtureProjectId(const std::string& name) {
  static const std::map<std::string, std::string> kIds = {
      {"GLACY+", "glacy-plus"},
      {"iPROCEEDS-2", "iproceeds-2"},
      {"CyberEast", "cybereast"},
      {"Octopus", "octopus-project"},
      {"Global Project on Cybercrime", "global-project-on-cybercrime"},
      {"European Union", "european-union"},
      {"Council of Europe", "council-of-europe"}};
  auto it = kIds.find(name);
  return it == kIds.end() ? name : it->second;
}

/// The knowledge base of every stored news item, activity and project record,
/// with Derive applied, ordered by kind and id.
inline Result<kb::KnowledgeBase> FixtureKnowledge(store::Store& store) {
  auto docs = store.Documents();
  if (!docs) return docs.status();
  kb::KnowledgeBase out;
  std::map<std::string, kb::Entity> organisations;
  for (const store::DocumentRow& d : *docs) {
    auto records = store.DocumentRecords(d.id);
    if (!records) return records.status();
    for (const store::RecordRow& r : *records) {
      const auto kind = kb::KindFromName(r.kind);
      if (!kind) continue;
      const nlohmann::json fields = nlohmann::json::parse(r.fields_json);
      kb::Entity e;
      e.kind = *kind;
      e.id = *kind == kb::Kind::kProject ? FixtureProjectId(fields.value("name", ""))
                                         : r.kind + "-" + std::to_string(r.line);
      kb::Source source;
      source.document_id = d.id;
      source.record_id = r.id;
      source.line = r.line;
      source.quote = fields.value("title", fields.value("name", ""));
      source.stated_on = fields.contains("date") && fields["date"].is_string()
                             ? fields["date"].get<std::string>()
                             : d.period_end.value_or("");
      source.section = *kind == kb::Kind::kActivity ? "inventory" : "";
      source.document_label = d.path;
      auto claim = [&](const std::string& field, const std::string& value) {
        e.claims.push_back({0, e.id, field, value, source, "new entity"});
      };
      for (const auto& [field, value] : fields.items()) {
        if (value.is_string()) {
          claim(field, value.get<std::string>());
        } else if (value.is_number_integer()) {
          claim(field, std::to_string(value.get<int64_t>()));
        } else if (value.is_array()) {
          for (const auto& v : value) {
            if (!v.is_string()) continue;
            const bool relation = field == "projects" || field == "funders";
            claim(field, relation ? FixtureProjectId(v.get<std::string>()) : v.get<std::string>());
            if (field == "funders") {
              kb::Entity& org = organisations[FixtureProjectId(v.get<std::string>())];
              org.id = FixtureProjectId(v.get<std::string>());
              org.kind = kb::Kind::kOrganisation;
              if (org.claims.empty()) {
                org.claims.push_back({0, org.id, "name", v.get<std::string>(), source, "new entity"});
              }
            }
          }
        }
      }
      out.entities.push_back(std::move(e));
    }
  }
  for (auto& [id, org] : organisations) out.entities.push_back(std::move(org));
  for (kb::Entity& e : out.entities) kb::Derive(e);
  std::sort(out.entities.begin(), out.entities.end(), [](const kb::Entity& a, const kb::Entity& b) {
    return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
  });
  return out;
}

}  // namespace octopus::test_support
