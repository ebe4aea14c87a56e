#pragma once
/// Numbered SQL migrations per backend, compiled in from
/// src/store/migrations/<backend>/NNN_name.sql.

#include <string_view>
#include <vector>

namespace octopus::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

/// Ascending by version; empty for an unknown backend.
const std::vector<Migration>& Migrations(std::string_view backend);

}  // namespace octopus::store
