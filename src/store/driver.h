#pragma once
/// The SQL driver layer: one Connection per backend. Repositories are written
/// once against it; each backend supplies only its dialect and migrations.
/// SQL text uses '?' placeholders; a backend rewrites them for its dialect.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace octopus::store {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;
using Row = std::vector<Value>;

/// Column helpers: the empty string / 0 for NULL.
std::string AsText(const Value& v);
int64_t AsInt(const Value& v);
bool IsNull(const Value& v);

/// A database session. Not thread-safe: one per thread.
class Connection {
 public:
  virtual ~Connection() = default;
  /// Runs one or more statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  /// Runs a statement and returns every row.
  virtual Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  /// Runs a statement and hands each row to `each` as it is read, without
  /// holding them all (a long result: every match of a search). The default
  /// reads them all first.
  virtual Status Scan(std::string_view sql, const std::vector<Value>& params,
                      const std::function<void(const Row&)>& each) {
    auto rows = Query(sql, params);
    if (!rows) return rows.status();
    for (const Row& r : *rows) each(r);
    return Status::Ok();
  }
  /// Runs an INSERT and returns the new row's id.
  virtual Result<int64_t> Insert(std::string_view sql, const std::vector<Value>& params) = 0;
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  /// "sqlite" or "postgresql": picks the migrations folder.
  virtual std::string_view backend() const = 0;
};

/// Rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection& c) : conn_(c) { status_ = conn_.Begin(); }
  ~Transaction() {
    if (status_.ok() && !done_) (void)conn_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& status() const { return status_; }
  Status Commit() {
    done_ = true;
    Status st = conn_.Commit();
    if (!st.ok()) (void)conn_.Rollback();
    return st;
  }

 private:
  Connection& conn_;
  Status status_;
  bool done_ = false;
};

}  // namespace octopus::store
