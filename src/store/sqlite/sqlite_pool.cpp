#include "store/sqlite/sqlite_pool.h"

namespace octopus::store {

Result<std::unique_ptr<SqlitePool>> SqlitePool::Open(const std::string& path, int readers) {
  auto writer = SqliteConnection::Open(path);
  if (!writer) return writer.status();
  return std::unique_ptr<SqlitePool>(new SqlitePool(path, std::move(*writer), readers));
}

void SqlitePool::LockWriter() {
  writer_mu_.lock();
  owner_.store(std::this_thread::get_id());
}

void SqlitePool::ReleaseWriterIfIdle() {
  if (!OwnsWriter() || writer_->InTransaction()) return;
  owner_.store(std::thread::id());
  writer_mu_.unlock();
}

template <typename Op>
auto SqlitePool::OnWriter(Op op) -> decltype(op(std::declval<SqliteConnection&>())) {
  if (OwnsWriter()) return op(*writer_);
  LockWriter();
  auto result = op(*writer_);
  ReleaseWriterIfIdle();
  return result;
}

Result<std::unique_ptr<SqliteConnection>> SqlitePool::TakeReader() {
  std::unique_lock lock(readers_mu_);
  reader_freed_.wait(lock, [&] { return !idle_readers_.empty() || open_readers_ < max_readers_; });
  if (!idle_readers_.empty()) {
    auto reader = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return reader;
  }
  ++open_readers_;
  lock.unlock();
  auto reader = SqliteConnection::Open(path_, /*read_only=*/true);
  if (!reader) {
    lock.lock();
    --open_readers_;
    reader_freed_.notify_one();
    return reader.status();
  }
  return std::move(*reader);
}

void SqlitePool::GiveBack(std::unique_ptr<SqliteConnection> reader) {
  std::lock_guard lock(readers_mu_);
  idle_readers_.push_back(std::move(reader));
  reader_freed_.notify_one();
}

Status SqlitePool::ExecScript(std::string_view sql) {
  return OnWriter([&](SqliteConnection& c) { return c.ExecScript(sql); });
}

Result<int64_t> SqlitePool::Insert(std::string_view sql, const std::vector<Value>& params) {
  return OnWriter([&](SqliteConnection& c) { return c.Insert(sql, params); });
}

Result<std::vector<Row>> SqlitePool::Query(std::string_view sql, const std::vector<Value>& params) {
  if (OwnsWriter()) return writer_->Query(sql, params);
  auto reader = TakeReader();
  if (!reader) return reader.status();
  auto read_only = (*reader)->ReadOnly(sql);
  Result<std::vector<Row>> rows = read_only.status();
  if (read_only && *read_only) rows = (*reader)->Query(sql, params);
  GiveBack(std::move(*reader));
  if (read_only && !*read_only) {
    return OnWriter([&](SqliteConnection& c) { return c.Query(sql, params); });
  }
  return rows;
}

Status SqlitePool::Scan(std::string_view sql, const std::vector<Value>& params,
                        const std::function<void(const Row&)>& each) {
  if (OwnsWriter()) return writer_->Scan(sql, params, each);
  auto reader = TakeReader();
  if (!reader) return reader.status();
  auto read_only = (*reader)->ReadOnly(sql);
  Status st = read_only.status();
  if (read_only && *read_only) st = (*reader)->Scan(sql, params, each);
  GiveBack(std::move(*reader));
  if (read_only && !*read_only) {
    return OnWriter([&](SqliteConnection& c) { return c.Scan(sql, params, each); });
  }
  return st;
}

Status SqlitePool::Begin() {
  if (!OwnsWriter()) LockWriter();
  Status st = writer_->Begin();
  ReleaseWriterIfIdle();
  return st;
}

Status SqlitePool::Commit() {
  if (!OwnsWriter()) return IoError("sqlite: COMMIT outside the thread's transaction");
  Status st = writer_->Commit();
  ReleaseWriterIfIdle();
  return st;
}

Status SqlitePool::Rollback() {
  if (!OwnsWriter()) return IoError("sqlite: ROLLBACK outside the thread's transaction");
  Status st = writer_->Rollback();
  ReleaseWriterIfIdle();
  return st;
}

}  // namespace octopus::store
