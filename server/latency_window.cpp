#include "server/latency_window.h"

#include <algorithm>
#include <cmath>

namespace perfectex::server {

double nearest_rank(const std::vector<double>& sorted, double percentile) {
  if (sorted.empty()) return 0;
  auto rank =
      static_cast<std::size_t>(std::ceil(percentile / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void LatencyWindow::add(double ms) {
  ++total_;
  if (samples_.size() < capacity_) {
    samples_.push_back(ms);
    return;
  }
  samples_[next_] = ms;
  next_ = (next_ + 1) % capacity_;
}

LatencySummary LatencyWindow::summary() const {
  std::vector<double> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  LatencySummary s;
  s.count = total_;
  s.p50 = nearest_rank(sorted, 50);
  s.p90 = nearest_rank(sorted, 90);
  s.p95 = nearest_rank(sorted, 95);
  s.p99 = nearest_rank(sorted, 99);
  s.p999 = nearest_rank(sorted, 99.9);
  s.max = sorted.empty() ? 0 : sorted.back();
  return s;
}

}  // namespace perfectex::server
