// Process-wide metrics: requests and errors by method, edit -> publish and analysis-time
// histograms with rolling percentiles, and counters; rendered as Prometheus text and as the JSON of
// `perfectex/stats`, so both show the same figures. Threading: updated and read on T0 only.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/document_store.h"
#include "server/hedged_executor.h"
#include "server/latency_window.h"

namespace perfectex::server {

/// A cumulative histogram with fixed millisecond buckets, plus a rolling window for percentiles.
class LatencyHistogram {
 public:
  static constexpr std::array<double, 13> kBucketsMs = {0.1, 0.25, 0.5, 1,   2,   3,   5,
                                                        10,  20,   50,  100, 250, 1000};
  void add(double ms);
  LatencySummary summary() const { return window_.summary(); }
  std::size_t count() const { return count_; }
  /// Appends the Prometheus lines of a histogram in seconds named name.
  void append_prometheus(std::string& out, const std::string& name, const std::string& help) const;

 private:
  std::array<std::size_t, kBucketsMs.size()> buckets_{};
  std::size_t count_ = 0;
  double sum_ms_ = 0;
  LatencyWindow window_;
};

class Metrics {
 public:
  void request(const std::string& method) { ++requests_[method]; }
  void error(const std::string& method) { ++errors_[method]; }
  void edit() { ++edits_; }
  void publish() { ++publishes_; }
  void cancellation() { ++cancellations_; }
  void analysis(double ms, std::size_t growths, std::uint64_t hot_allocations, bool resumed);

  LatencyHistogram edit_to_publish;
  LatencyHistogram analysis_time;

  /// The document stores of the live sessions, summed for the document gauges.
  void add_store(const DocumentStore* store) { stores_.insert(store); }
  void remove_store(const DocumentStore* store) { stores_.erase(store); }
  std::size_t documents() const;
  std::size_t resident_document_bytes() const;

  /// The executor's hedging counters, when it hedges.
  std::function<HedgeCounters()> hedges;

  std::string prometheus_text() const;
  nlohmann::json stats_json() const;
  std::size_t total_errors() const;

 private:
  std::set<const DocumentStore*> stores_;
  std::map<std::string, std::size_t> requests_;
  std::map<std::string, std::size_t> errors_;
  std::size_t edits_ = 0, publishes_ = 0, cancellations_ = 0, analyses_ = 0, growths_ = 0;
  std::size_t analyses_resumed_ = 0;
  std::uint64_t hot_allocations_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace perfectex::server
