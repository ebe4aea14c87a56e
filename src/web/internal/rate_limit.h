#pragma once
/// A sliding-window rate limit by key (a client address, an e-mail address),
/// thread-safe, bounded in memory: when it tracks `max_keys` keys it forgets
/// those whose window has passed, and if none has, starts over.

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace octopus::web::internal {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(int max_events, std::chrono::seconds window, size_t max_keys = 100000)
      : max_events_(max_events), window_(window), max_keys_(max_keys) {}

  /// Counts an event for `key` at `now`; false (not counted) when `key` had
  /// max_events already within the window before `now`.
  bool Allow(const std::string& key, Clock::time_point now = Clock::now());

 private:
  const int max_events_;
  const std::chrono::seconds window_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> events_;
};

/// The limits on asking for a subscription.
struct SubscribeLimits {
  RateLimiter per_client{10, std::chrono::minutes(10)};
  RateLimiter per_address{3, std::chrono::hours(1)};
};

}  // namespace octopus::web::internal
