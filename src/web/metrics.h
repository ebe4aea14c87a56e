#pragma once
/// The server's counters in Prometheus' text exposition format (version
/// 0.0.4): requests by route and status, a latency histogram, and gauges the
/// caller reads at scrape time. Thread-safe.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace octopus::web {

class Metrics {
 public:
  /// Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  /// One answered request: its route label (never the raw target), status
  /// and time from the request read to the response written.
  void Record(std::string_view route, int status, double seconds);

  struct Gauge {
    std::string name;  ///< octopus_… ; a _total suffix makes it a counter
    std::string help;
    double value = 0;
  };
  /// The exposition text: the counters and histogram, then `gauges`.
  std::string Render(const std::vector<Gauge>& gauges) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kBuckets.size()> buckets_{};  // not cumulative
  uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace octopus::web
