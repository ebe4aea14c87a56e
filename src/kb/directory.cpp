#include <set>

#include "core/csv.h"
#include "core/text.h"
#include "kb/internal/names.h"
#include "kb/knowledge.h"

namespace octopus::kb {

namespace {

Result<std::vector<Directory::Name>> ParseTable(std::string_view csv_text, std::string_view file) {
  auto rows = csv::Parse(csv_text, file);
  if (!rows.ok()) return rows.status();
  std::vector<Directory::Name> names;
  std::set<std::string> ids, keys;
  bool header = true;
  for (const csv::Row& row : *rows) {
    const std::string where = std::string(file) + ":" + std::to_string(row.line) + ": ";
    if (header) {
      header = false;
      if (row.fields.size() == 4 && text::Trim(row.fields[0]) == "id" && text::Trim(row.fields[1]) == "name") {
        continue;
      }
      return InvalidArgument(where + "header must be id,name,acronym,aliases");
    }
    if (row.fields.size() != 4) {
      return InvalidArgument(where + "expected 4 fields (id,name,acronym,aliases), got " +
                             std::to_string(row.fields.size()));
    }
    Directory::Name n;
    n.id = std::string(text::Trim(row.fields[0]));
    n.name = std::string(text::Trim(row.fields[1]));
    n.acronym = std::string(text::Trim(row.fields[2]));
    if (n.id.empty() || internal::Slug(n.id) != n.id) {
      return InvalidArgument(where + "field id: '" + n.id + "' is not a slug (lower-case words joined by '-')");
    }
    if (!ids.insert(n.id).second) return InvalidArgument(where + "field id: '" + n.id + "' is listed twice");
    if (internal::NameKey(n.name).empty()) return InvalidArgument(where + "field name: empty");
    for (const std::string& a : text::Split(row.fields[3], '|')) {
      std::string alias(text::Trim(a));
      if (!alias.empty()) n.aliases.push_back(std::move(alias));
    }
    std::vector<std::string> spellings = n.aliases;
    spellings.push_back(n.name);
    if (!n.acronym.empty()) spellings.push_back(n.acronym);
    std::set<std::string> own;
    for (const std::string& s : spellings) {
      const std::string key = internal::NameKey(s);
      if (key.empty()) return InvalidArgument(where + "field aliases: '" + s + "' has no letter or digit");
      if (own.insert(key).second && !keys.insert(key).second) {
        return InvalidArgument(where + "field aliases: '" + s + "' already names another row");
      }
    }
    names.push_back(std::move(n));
  }
  return names;
}

const Directory::Name* Lookup(const std::vector<Directory::Name>& names, std::string_view name) {
  const std::string key = internal::NameKey(name);
  if (key.empty()) return nullptr;
  for (const Directory::Name& n : names) {
    if (internal::NameKey(n.name) == key || (!n.acronym.empty() && internal::NameKey(n.acronym) == key)) return &n;
    for (const std::string& a : n.aliases) {
      if (internal::NameKey(a) == key) return &n;
    }
  }
  return nullptr;
}

}  // namespace

Result<Directory> Directory::Parse(std::string_view projects_csv, std::string_view organisations_csv) {
  auto projects = ParseTable(projects_csv, "projects.csv");
  if (!projects.ok()) return projects.status();
  auto organisations = ParseTable(organisations_csv, "organisations.csv");
  if (!organisations.ok()) return organisations.status();
  Directory d;
  d.projects_ = std::move(projects).value();
  d.organisations_ = std::move(organisations).value();
  return d;
}

const Directory::Name* Directory::Project(std::string_view name) const { return Lookup(projects_, name); }

const Directory::Name* Directory::Organisation(std::string_view name) const {
  return Lookup(organisations_, name);
}

}  // namespace octopus::kb
