#pragma once
/// The site's cache of rendered responses: bounded in bytes, least recently
/// used first out, safe to use from several threads (its own mutex). An
/// entry is stored only if the cache was not cleared since the caller looked
/// it up, so a response rendered from data older than a Clear() is never kept.

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "web/http.h"

namespace octopus::web::internal {

class PageCache {
 public:
  explicit PageCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  struct Lookup {
    std::shared_ptr<const Response> hit;  ///< nullptr on a miss
    uint64_t epoch = 0;                   ///< to hand back to Put
  };
  Lookup Find(const std::string& key);
  /// Keeps `response` under `key` unless the cache was cleared after the
  /// Find that gave `epoch`, or the response alone exceeds the bound.
  void Put(const std::string& key, std::shared_ptr<const Response> response, uint64_t epoch);
  void Clear();

  struct Stats {
    size_t entries = 0;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Response> response;
    size_t bytes = 0;
  };
  using List = std::list<Entry>;

  const size_t max_bytes_;
  mutable std::mutex mu_;
  List lru_;  // most recently used first
  std::unordered_map<std::string_view, List::iterator> index_;  // views into lru_ keys
  size_t bytes_ = 0;
  uint64_t epoch_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
};

/// The cache key of a request: its decoded path, its query parameters decoded
/// and sorted (so every spelling of one URL is one key), the day it is
/// rendered for and a variant (who the page is rendered for; "" for anyone).
std::string CacheKey(const Target& target, std::string_view day, std::string_view variant);

}  // namespace octopus::web::internal
