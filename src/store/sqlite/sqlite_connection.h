#pragma once
/// SQLite implementation of store::Connection: a file on disk, WAL journal,
/// foreign keys on. A statement that finds the database locked by another
/// connection waits and is retried for up to 30 s in all before the error is
/// returned. Prepared statements are kept per SQL text and reused.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "store/driver.h"

struct sqlite3;
struct sqlite3_stmt;

namespace octopus::store {

/// Statements retried after finding the database locked, by every SQLite
/// connection of this process since it started.
int64_t SqliteBusyRetries();

class SqliteConnection : public Connection {
 public:
  /// Opens (creating if needed) the database file at `path`. A `read_only`
  /// connection refuses every statement that would write (query_only) and
  /// does not create the file.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                        bool read_only = false);

  /// Whether `sql` (one statement) only reads; IoError when it does not prepare.
  Result<bool> ReadOnly(std::string_view sql);
  /// Whether a transaction is open on this connection.
  bool InTransaction() const;

  Status ExecScript(std::string_view sql) override;
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override;
  Status Scan(std::string_view sql, const std::vector<Value>& params,
              const std::function<void(const Row&)>& each) override;
  Result<int64_t> Insert(std::string_view sql, const std::vector<Value>& params) override;
  Status Begin() override { return ExecScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  Status Rollback() override { return ExecScript("ROLLBACK"); }
  std::string_view backend() const override { return "sqlite"; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  struct StmtCloser {
    void operator()(sqlite3_stmt* s) const;
  };
  static constexpr size_t kMaxStatements = 256;

  explicit SqliteConnection(std::unique_ptr<sqlite3, Closer> db) : db_(std::move(db)) {}
  /// The cached statement for `sql`, reset, with `params` bound.
  Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& params);

  /// Steps `stmt` once, waiting out and retrying a lock held elsewhere.
  int StepRetryingBusy(sqlite3_stmt* stmt);

  std::unique_ptr<sqlite3, Closer> db_;
  /// Finalized before db_ is closed (declared after it).
  std::map<std::string, std::unique_ptr<sqlite3_stmt, StmtCloser>, std::less<>> statements_;
};

}  // namespace octopus::store
