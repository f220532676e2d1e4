#include "tools/replay/percentiles.h"

#include <algorithm>
#include <stdexcept>

namespace perfectex::replay {

std::size_t nearest_rank_index(std::size_t n, std::uint32_t milli_percent) {
  if (n == 0) throw std::invalid_argument("nearest rank of an empty sample");
  if (milli_percent == 0 || milli_percent > 100'000) {
    throw std::invalid_argument("percentile must be in (0, 100]");
  }
  // rank = ceil(p * n / 100'000) in exact integer arithmetic (p <= 1e5, so no overflow
  // below 1.8e14).
  const std::uint64_t product = static_cast<std::uint64_t>(milli_percent) * n;
  std::uint64_t rank = (product + 99'999) / 100'000;
  if (rank < 1) rank = 1;
  return static_cast<std::size_t>(rank - 1);
}

std::int64_t nearest_rank(std::span<const std::int64_t> sorted, std::uint32_t milli_percent) {
  return sorted[nearest_rank_index(sorted.size(), milli_percent)];
}

std::int64_t LatencySummary::at(std::string_view name) const {
  if (count == 0) return 0;
  for (std::size_t i = 0; i < kReportedPercentiles.size(); ++i) {
    if (kReportedPercentiles[i].name == name || kReportedPercentiles[i].key == name) {
      return values[i];
    }
  }
  return 0;
}

LatencySummary summarize_sorted(std::span<const std::int64_t> sorted) {
  LatencySummary summary;
  summary.count = sorted.size();
  if (sorted.empty()) return summary;
  summary.min = sorted.front();
  long double total = 0;
  for (std::int64_t v : sorted) total += static_cast<long double>(v);
  summary.mean = static_cast<double>(total / static_cast<long double>(sorted.size()));
  for (std::size_t i = 0; i < kReportedPercentiles.size(); ++i) {
    summary.values[i] = nearest_rank(sorted, kReportedPercentiles[i].milli_percent);
  }
  return summary;
}

LatencySummary summarize(std::span<const std::int64_t> samples) {
  std::vector<std::int64_t> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  return summarize_sorted(sorted);
}

}  // namespace perfectex::replay
