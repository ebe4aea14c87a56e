#pragma once
/// SQLite implementation of store::Connection: a file on disk, WAL journal,
/// foreign keys on, a busy timeout.

#include <memory>
#include <string>

#include "store/driver.h"

struct sqlite3;

namespace octopus::store {

class SqliteConnection : public Connection {
 public:
  /// Opens (creating if needed) the database file at `path`.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);

  Status ExecScript(std::string_view sql) override;
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override;
  Result<int64_t> Insert(std::string_view sql, const std::vector<Value>& params) override;
  Status Begin() override { return ExecScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecScript("COMMIT"); }
  Status Rollback() override { return ExecScript("ROLLBACK"); }
  std::string_view backend() const override { return "sqlite"; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  explicit SqliteConnection(std::unique_ptr<sqlite3, Closer> db) : db_(std::move(db)) {}
  std::unique_ptr<sqlite3, Closer> db_;
};

}  // namespace octopus::store
