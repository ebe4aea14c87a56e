#pragma once
/// A store::Connection over one SQLite file for many threads at once: reads
/// run on a small pool of read connections (WAL lets them proceed while a
/// write is in progress), writes on one writer connection taken by one thread
/// at a time. A transaction belongs to the thread that began it: every call
/// that thread makes until Commit or Rollback runs on the writer, so it reads
/// its own writes; other threads read the last committed state meanwhile.
/// A lock held by another process is waited for (busy timeout) and the
/// statement retried, so callers do not see "database is locked" for locks
/// shorter than kBusyBudget.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/driver.h"
#include "store/sqlite/sqlite_connection.h"

namespace octopus::store {

class SqlitePool : public Connection {
 public:
  /// How long a statement waits for another connection's lock in total.
  static constexpr std::chrono::seconds kBusyBudget{30};

  /// Opens the writer on `path` (creating the file) and up to `readers` read
  /// connections on demand.
  static Result<std::unique_ptr<SqlitePool>> Open(const std::string& path, int readers = 16);

  Status ExecScript(std::string_view sql) override;
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override;
  Status Scan(std::string_view sql, const std::vector<Value>& params,
              const std::function<void(const Row&)>& each) override;
  Result<int64_t> Insert(std::string_view sql, const std::vector<Value>& params) override;
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  std::string_view backend() const override { return "sqlite"; }

  /// Statements retried after a busy lock, since the start.
  int64_t busy_retries() const { return busy_retries_.load(); }

 private:
  SqlitePool(std::string path, std::unique_ptr<SqliteConnection> writer, int readers)
      : path_(std::move(path)), writer_(std::move(writer)), max_readers_(readers) {}

  bool OwnsWriter() const { return owner_.load() == std::this_thread::get_id(); }
  /// Takes the writer for the calling thread (waiting for another's transaction).
  void LockWriter();
  /// Gives the writer back when no transaction is open on it.
  void ReleaseWriterIfIdle();

  /// A read connection, opened on demand; waits while all are in use.
  Result<std::unique_ptr<SqliteConnection>> TakeReader();
  void GiveBack(std::unique_ptr<SqliteConnection> reader);

  /// Runs `op` on the writer for a caller without a transaction.
  template <typename Op>
  auto OnWriter(Op op) -> decltype(op(std::declval<SqliteConnection&>()));

  const std::string path_;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex writer_mu_;  // held by the thread in owner_
  std::atomic<std::thread::id> owner_{};

  const int max_readers_;
  std::mutex readers_mu_;
  std::condition_variable reader_freed_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  int open_readers_ = 0;

  std::atomic<int64_t> busy_retries_{0};
};

}  // namespace octopus::store
