#pragma once
/// A sliding-window rate limit by key (a client address, an e-mail address),
/// thread-safe, bounded in memory: when it tracks `max_keys` keys it forgets
/// those whose window has passed, and if none has, starts over.

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
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

/// The anti-forgery token of a form that anonymous readers send: the time it
/// was issued and an HMAC-SHA-256, under a key drawn at random when the
/// process starts, of that time, the form's name and the client's address.
/// No state per reader: a token checks out while it is younger than
/// `lifetime` (and not from the future), for the same form and client, in
/// the same process. A page fetched by another site's server carries a token
/// for that server's address, not the reader's.
class FormTokens {
 public:
  using Clock = std::chrono::system_clock;
  explicit FormTokens(std::chrono::seconds lifetime = std::chrono::hours(2));

  /// "SECONDS.HEX": safe in an HTML attribute and a form body as is.
  std::string Issue(std::string_view form, std::string_view client,
                    Clock::time_point now = Clock::now()) const;
  /// Whether `token` is one Issue gave for this form and client, in time.
  bool Check(std::string_view token, std::string_view form, std::string_view client,
             Clock::time_point now = Clock::now()) const;

 private:
  std::string Mac(int64_t seconds, std::string_view form, std::string_view client) const;
  const std::chrono::seconds lifetime_;
  std::array<unsigned char, 32> key_{};
};

/// The limits and checks on asking for a subscription.
struct SubscribeLimits {
  RateLimiter per_client{10, std::chrono::minutes(10)};
  RateLimiter per_address{3, std::chrono::hours(1)};
  FormTokens form_tokens;
};

}  // namespace octopus::web::internal
