// Latency percentiles by nearest rank, the definition the original system's harness used.
// For N ascending samples and a percentile p (0 < p <= 100): rank = ceil(p/100 * N) (1-based, at
// least 1) and the value is sorted[rank - 1]; P100 is the maximum. Computed in integers, so exact.
// Threading: pure functions and value types; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace perfectex::replay {

/// A percentile in units of 1/1000 of a percent: P50 = 50'000, P99.9 = 99'900, P100 = 100'000.
struct Percentile {
  std::uint32_t milli_percent = 0;
  std::string_view name;  ///< for people: "p50", "p99.9", "max"
  std::string_view key;   ///< for JSON keys and file names: "p50", "p999", "max"
};

inline constexpr std::array<Percentile, 6> kReportedPercentiles{{{50'000, "p50", "p50"},
                                                                 {90'000, "p90", "p90"},
                                                                 {95'000, "p95", "p95"},
                                                                 {99'000, "p99", "p99"},
                                                                 {99'900, "p99.9", "p999"},
                                                                 {100'000, "max", "max"}}};

/// Nearest-rank index (0-based) into n ascending samples; n must be at least 1.
std::size_t nearest_rank_index(std::size_t n, std::uint32_t milli_percent);

/// Nearest-rank value of an ascending, non-empty sample.
std::int64_t nearest_rank(std::span<const std::int64_t> sorted, std::uint32_t milli_percent);

/// Count, mean and the reported percentiles of a set of latencies (nanoseconds).
struct LatencySummary {
  std::size_t count = 0;
  std::int64_t min = 0;
  double mean = 0;
  std::array<std::int64_t, kReportedPercentiles.size()> values{};  ///< per kReportedPercentiles

  /// The value for a reported percentile by name or key ("p99.9" or "p999"); 0 when absent or
  /// when count is 0.
  std::int64_t at(std::string_view name) const;
};

/// Summarises unsorted samples (copied and sorted; the input is left as it is).
LatencySummary summarize(std::span<const std::int64_t> samples);

/// Summarises samples already in ascending order.
LatencySummary summarize_sorted(std::span<const std::int64_t> sorted);

}  // namespace perfectex::replay
