#pragma once
/// The site's cache of rendered responses: bounded in bytes, least recently
/// used first out, safe to use from several threads (its own mutex). An
/// entry is stored only if the cache was not cleared since the caller looked
/// it up, so a response rendered from data older than a Clear() is never kept.

#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
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

  /// Single flight: of the requests that miss `key` in one epoch at the same
  /// time, the first renders and the others wait for its response instead
  /// of rendering it again. A request after a Clear() never waits for one
  /// begun before it.
  class Flight {
   public:
    /// The leader's response for the others; nullptr: render it yourself
    /// (the leader failed or gave up).
    void Finish(std::shared_ptr<const Response> response);

   private:
    friend class PageCache;
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    std::shared_ptr<const Response> response;
  };
  struct Ticket {
    std::shared_ptr<Flight> flight;
    bool leader = false;  ///< true: render, then Land()
  };
  /// Joins the flight for `key` in `epoch`, starting it when there is none.
  Ticket Board(const std::string& key, uint64_t epoch);
  /// Waits for a flight the caller did not lead; its response, or nullptr.
  static std::shared_ptr<const Response> Await(Flight& flight);
  /// Ends the leader's flight: hands `response` to the waiters and forgets
  /// the flight, so that the next miss starts a new one.
  void Land(const std::string& key, uint64_t epoch, const std::shared_ptr<Flight>& flight,
            std::shared_ptr<const Response> response);

  struct Stats {
    size_t entries = 0;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t shared_flights = 0;  ///< misses answered by another request's render
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
  uint64_t hits_ = 0, misses_ = 0, shared_flights_ = 0;
  std::map<std::pair<std::string, uint64_t>, std::shared_ptr<Flight>> flights_;  // under mu_
};

/// The cache key of a request: its decoded path, its query parameters decoded
/// and sorted (so every spelling of one URL is one key), the day it is
/// rendered for and a variant (who the page is rendered for; "" for anyone).
std::string CacheKey(const Target& target, std::string_view day, std::string_view variant);

}  // namespace octopus::web::internal
