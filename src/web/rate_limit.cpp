#include "web/internal/rate_limit.h"

#include <sodium.h>

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

#include "auth/credentials.h"

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

FormTokens::FormTokens(std::chrono::seconds lifetime) : lifetime_(lifetime) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  randombytes_buf(key_.data(), key_.size());
}

std::string FormTokens::Mac(int64_t seconds, std::string_view form, std::string_view client) const {
  // Lengths first: no two (form, client) pairs give the same message.
  const std::string message =
      fmt::format("{}\n{}:{}\n{}:{}", seconds, form.size(), form, client.size(), client);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), key_.data());
  std::string hex(mac.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.pop_back();
  return hex;
}

std::string FormTokens::Issue(std::string_view form, std::string_view client,
                              Clock::time_point now) const {
  const int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return std::to_string(seconds) + "." + Mac(seconds, form, client);
}

bool FormTokens::Check(std::string_view token, std::string_view form, std::string_view client,
                       Clock::time_point now) const {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 20) return false;
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + dot, seconds);
  if (ec != std::errc() || end != token.data() + dot) return false;
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // A minute of slack for a clock stepped back; none past the lifetime.
  if (seconds > now_s + 60 || now_s - seconds > lifetime_.count()) return false;
  return auth::ConstantTimeEquals(token.substr(dot + 1), Mac(seconds, form, client));
}

}  // namespace octopus::web::internal
