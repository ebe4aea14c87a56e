#include "core/text.h"
#include "store/sqlite/sqlite_pool.h"
#include "store/store.h"

namespace octopus::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) {
  if (text::StartsWith(db, "postgresql://") || text::StartsWith(db, "postgres://")) {
    return InvalidArgument("PostgreSQL store not built into this binary (configure with -DOCTOPUS_WITH_POSTGRES=ON)");
  }
  if (db.empty()) return InvalidArgument("empty --db path");
  auto conn = SqlitePool::Open(db);
  if (!conn) return conn.status();
  auto store = MakeSqlStore(std::move(*conn));
  auto version = store->Migrate();
  if (!version) return version.status();
  return store;
}

int64_t StoreBusyRetries() { return SqliteBusyRetries(); }

}  // namespace octopus::store
