// A rolling window of the most recent latency samples with nearest-rank percentiles
// (rank = ceil(p/100 * N), 1-based, over the samples in the window).
// Threading: owned by T0; not synchronised.
#pragma once

#include <cstddef>
#include <vector>

namespace perfectex::server {

struct LatencySummary {
  std::size_t count = 0;  ///< samples ever added
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0;
};

class LatencyWindow {
 public:
  explicit LatencyWindow(std::size_t capacity = 4096) : capacity_(capacity) {
    samples_.reserve(capacity);
  }
  void add(double ms);
  /// Percentiles over the window; count is the number of samples ever added.
  LatencySummary summary() const;
  std::size_t total() const { return total_; }

 private:
  std::size_t capacity_;
  std::vector<double> samples_;
  std::size_t next_ = 0;
  std::size_t total_ = 0;
};

/// Nearest-rank percentile of sorted values; 0 when empty.
double nearest_rank(const std::vector<double>& sorted, double percentile);

}  // namespace perfectex::server
