#include "web/internal/page_cache.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace octopus::web::internal {

namespace {

/// What an entry costs besides its body: headers, key and bookkeeping.
size_t CostOf(const std::string& key, const Response& r) {
  size_t bytes = key.size() + r.body.size() + r.content_type.size() + 128;
  for (const auto& [name, value] : r.headers) bytes += name.size() + value.size() + 32;
  if (r.body_file) bytes += r.body_file->size();
  if (r.gzipped) bytes += CostOf(key, *r.gzipped);
  return bytes;
}

}  // namespace

PageCache::Lookup PageCache::Find(const std::string& key) {
  std::lock_guard lock(mu_);
  Lookup out;
  out.epoch = epoch_;
  if (auto it = index_.find(key); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    out.hit = it->second->response;
    ++hits_;
  } else {
    ++misses_;
  }
  return out;
}

void PageCache::Put(const std::string& key, std::shared_ptr<const Response> response,
                    uint64_t epoch) {
  const size_t bytes = CostOf(key, *response);
  if (bytes > max_bytes_) return;
  std::lock_guard lock(mu_);
  if (epoch != epoch_) return;
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->bytes;
    const auto entry = it->second;
    index_.erase(it);  // before the entry whose key it views
    lru_.erase(entry);
  }
  while (!lru_.empty() && bytes_ + bytes > max_bytes_) {
    const Entry& last = lru_.back();
    bytes_ -= last.bytes;
    index_.erase(last.key);
    lru_.pop_back();
  }
  lru_.push_front(Entry{key, std::move(response), bytes});
  index_.emplace(lru_.front().key, lru_.begin());
  bytes_ += bytes;
}

void PageCache::Clear() {
  std::lock_guard lock(mu_);
  index_.clear();
  lru_.clear();
  bytes_ = 0;
  ++epoch_;
}

PageCache::Stats PageCache::stats() const {
  std::lock_guard lock(mu_);
  return Stats{lru_.size(), bytes_, hits_, misses_, shared_flights_};
}

void PageCache::Flight::Finish(std::shared_ptr<const Response> r) {
  {
    std::lock_guard lock(mu);
    if (done) return;
    response = std::move(r);
    done = true;
  }
  done_cv.notify_all();
}

PageCache::Ticket PageCache::Board(const std::string& key, uint64_t epoch) {
  std::lock_guard lock(mu_);
  auto [it, fresh] = flights_.try_emplace({key, epoch});
  if (fresh) {
    it->second = std::make_shared<Flight>();
    return Ticket{it->second, true};
  }
  ++shared_flights_;
  return Ticket{it->second, false};
}

std::shared_ptr<const Response> PageCache::Await(Flight& flight) {
  std::unique_lock lock(flight.mu);
  flight.done_cv.wait(lock, [&] { return flight.done; });
  return flight.response;
}

void PageCache::Land(const std::string& key, uint64_t epoch, const std::shared_ptr<Flight>& flight,
                     std::shared_ptr<const Response> response) {
  {
    std::lock_guard lock(mu_);
    if (auto it = flights_.find({key, epoch}); it != flights_.end() && it->second == flight) {
      flights_.erase(it);
    }
  }
  flight->Finish(std::move(response));
}

std::string CacheKey(const Target& target, std::string_view day, std::string_view variant) {
  std::vector<std::pair<std::string, std::string>> query = target.query;
  std::sort(query.begin(), query.end());
  std::string key = PercentEncode(target.path);
  char sep = '?';
  for (const auto& [name, value] : query) {
    key += sep;
    key += PercentEncode(name);
    key += '=';
    key += PercentEncode(value);
    sep = '&';
  }
  key += '\n';
  key += day;
  key += '\n';
  key += variant;
  return key;
}

}  // namespace octopus::web::internal
