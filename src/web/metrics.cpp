#include "web/metrics.h"

#include <fmt/format.h>

namespace octopus::web {

namespace {

/// A label value as the format requires: backslash, quote and newline escaped.
std::string LabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

void Metrics::Record(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), status}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++buckets_[i];
      break;
    }
  }
  ++count_;
  sum_ += seconds;
}

std::string Metrics::Render(const std::vector<Gauge>& gauges) const {
  std::string out;
  {
    std::lock_guard lock(mu_);
    out += "# HELP octopus_http_requests_total Requests answered, by route and status.\n";
    out += "# TYPE octopus_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out += fmt::format("octopus_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                         LabelValue(key.first), key.second, n);
    }
    out += "# HELP octopus_http_request_duration_seconds Time from request read to response written.\n";
    out += "# TYPE octopus_http_request_duration_seconds histogram\n";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += buckets_[i];
      out += fmt::format("octopus_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                         kBuckets[i], cumulative);
    }
    out += fmt::format("octopus_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", count_);
    out += fmt::format("octopus_http_request_duration_seconds_sum {}\n", sum_);
    out += fmt::format("octopus_http_request_duration_seconds_count {}\n", count_);
  }
  for (const Gauge& g : gauges) {
    const bool counter = g.name.ends_with("_total");
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", g.name, g.help, g.name,
                       counter ? "counter" : "gauge", g.name, g.value);
  }
  return out;
}

}  // namespace octopus::web
