#include "web/internal/rate_limit.h"

namespace octopus::web::internal {

bool RateLimiter::Allow(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (events_.size() >= max_keys_ && events_.find(key) == events_.end()) {
    for (auto it = events_.begin(); it != events_.end();) {
      it = (it->second.empty() || now - it->second.back() >= window_) ? events_.erase(it)
                                                                       : std::next(it);
    }
    if (events_.size() >= max_keys_) events_.clear();
  }
  auto& times = events_[key];
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
  if (static_cast<int>(times.size()) >= max_events_) return false;
  times.push_back(now);
  return true;
}

}  // namespace octopus::web::internal
