#include "store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>

namespace octopus::store {
namespace {

// Each wait inside SQLite is short so that a retry is counted and the total
// stays bounded by kBusyBudget.
constexpr int kBusyWaitMillis = 1000;
constexpr auto kBusyBudget = std::chrono::seconds(30);

std::atomic<int64_t> busy_retries{0};

bool IsBusy(int rc) { return (rc & 0xff) == SQLITE_BUSY; }

Status Error(sqlite3* db, std::string_view what) {
  return IoError(std::string(what) + ": " + sqlite3_errmsg(db));
}

Status Bind(sqlite3* db, sqlite3_stmt* raw, const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const int idx = static_cast<int>(i + 1);
    const Value& v = params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(v)) rc = sqlite3_bind_null(raw, idx);
    else if (auto* n = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(raw, idx, *n);
    else if (auto* d = std::get_if<double>(&v)) rc = sqlite3_bind_double(raw, idx, *d);
    else {
      const std::string& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(raw, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) return Error(db, "bind");
  }
  return Status::Ok();
}

// Resets a statement taken from the cache when its use ends, so that it holds
// no lock and no bound text between uses.
struct Lease {
  sqlite3_stmt* stmt;
  ~Lease() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

}  // namespace

int64_t SqliteBusyRetries() { return busy_retries.load(); }

int SqliteConnection::StepRetryingBusy(sqlite3_stmt* stmt) {
  const auto deadline = std::chrono::steady_clock::now() + kBusyBudget;
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (!IsBusy(rc) || std::chrono::steady_clock::now() >= deadline) return rc;
    ++busy_retries;
    sqlite3_reset(stmt);
  }
}

Result<bool> SqliteConnection::ReadOnly(std::string_view sql) {
  auto stmt = Prepare(sql, {});
  if (!stmt) return stmt.status();
  const Lease lease{*stmt};
  return sqlite3_stmt_readonly(*stmt) != 0;
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

void SqliteConnection::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void SqliteConnection::StmtCloser::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

Result<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql, const std::vector<Value>& params) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    // Repositories use a bounded set of statements; text built per call
    // (IN lists) would grow the cache without end, so it starts over.
    if (statements_.size() >= kMaxStatements) statements_.clear();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK) {
      sqlite3_finalize(raw);
      return Error(db_.get(), "prepare");
    }
    it = statements_.emplace(std::string(sql), std::unique_ptr<sqlite3_stmt, StmtCloser>(raw)).first;
  }
  sqlite3_stmt* stmt = it->second.get();
  if (Status st = Bind(db_.get(), stmt, params); !st.ok()) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
  }
  return stmt;
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                bool read_only) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (read_only ? 0 : SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, Closer> db(raw);
  if (rc != SQLITE_OK) {
    return IoError("cannot open database " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(db.get(), kBusyWaitMillis);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(std::move(db)));
  OCTOPUS_RETURN_IF_ERROR(conn->ExecScript(
      read_only ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
                : "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"));
  return conn;
}

Status SqliteConnection::ExecScript(std::string_view sql) {
  char* err = nullptr;
  const std::string text(sql);
  const auto deadline = std::chrono::steady_clock::now() + kBusyBudget;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
  // Retried only outside a transaction: the scripts run there are BEGIN and
  // pragmas, which a second run does not repeat the effect of.
  while (IsBusy(rc) && !InTransaction() && std::chrono::steady_clock::now() < deadline) {
    sqlite3_free(err);
    err = nullptr;
    ++busy_retries;
    rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
  }
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_.get());
    sqlite3_free(err);
    return IoError("sqlite: " + msg);
  }
  return Status::Ok();
}

Result<std::vector<Row>> SqliteConnection::Query(std::string_view sql,
                                                 const std::vector<Value>& params) {
  std::vector<Row> rows;
  Status st = Scan(sql, params, [&rows](const Row& r) { rows.push_back(r); });
  if (!st.ok()) return st;
  return rows;
}

Status SqliteConnection::Scan(std::string_view sql, const std::vector<Value>& params,
                              const std::function<void(const Row&)>& each) {
  auto stmt = Prepare(sql, params);
  if (!stmt) return stmt.status();
  const Lease lease{*stmt};
  sqlite3_stmt* s = *stmt;
  const int ncol = sqlite3_column_count(s);
  Row row;
  for (bool first = true;; first = false) {
    const int rc = first ? StepRetryingBusy(s) : sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Error(db_.get(), "query");
    row.clear();
    row.reserve(static_cast<size_t>(ncol));
    for (int c = 0; c < ncol; ++c) {
      switch (sqlite3_column_type(s, c)) {
        case SQLITE_NULL: row.emplace_back(nullptr); break;
        case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(s, c))); break;
        case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(s, c)); break;
        default: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
          row.emplace_back(std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, c))));
        }
      }
    }
    each(row);
  }
  return Status::Ok();
}

Result<int64_t> SqliteConnection::Insert(std::string_view sql, const std::vector<Value>& params) {
  auto stmt = Prepare(sql, params);
  if (!stmt) return stmt.status();
  const Lease lease{*stmt};
  const int rc = StepRetryingBusy(*stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error(db_.get(), "insert");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
}

}  // namespace octopus::store
