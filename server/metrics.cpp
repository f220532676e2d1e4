#include "server/metrics.h"

#include <cstdio>

#include "server/analyzer.h"
#include "server/process_info.h"

namespace perfectex::server {
namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

void counter(std::string& out, const std::string& name, const std::string& help, double value) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
         number(value) + "\n";
}

void gauge(std::string& out, const std::string& name, const std::string& help, double value) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " +
         number(value) + "\n";
}

void by_method(std::string& out, const std::string& name, const std::string& help,
               const std::map<std::string, std::size_t>& values) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n";
  for (const auto& [method, n] : values)
    out += name + "{method=\"" + method + "\"} " + number(double(n)) + "\n";
}

nlohmann::json summary_json(const LatencySummary& s) {
  return {{"count", s.count}, {"p50", s.p50},   {"p90", s.p90},
          {"p99", s.p99},     {"p999", s.p999}, {"max", s.max}};
}

}  // namespace

void LatencyHistogram::add(double ms) {
  ++count_;
  sum_ms_ += ms;
  for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
    if (ms <= kBucketsMs[i]) ++buckets_[i];
  }
  window_.add(ms);
}

void LatencyHistogram::append_prometheus(std::string& out, const std::string& name,
                                         const std::string& help) const {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
    out += name + "_bucket{le=\"" + number(kBucketsMs[i] / 1000) + "\"} " +
           number(double(buckets_[i])) + "\n";
  }
  out += name + "_bucket{le=\"+Inf\"} " + number(double(count_)) + "\n";
  out += name + "_sum " + number(sum_ms_ / 1000) + "\n" + name + "_count " +
         number(double(count_)) + "\n";
}

void Metrics::analysis(double ms, std::size_t growths, std::uint64_t hot_allocations,
                       bool resumed) {
  ++analyses_;
  if (resumed) ++analyses_resumed_;
  growths_ += growths;
  hot_allocations_ += hot_allocations;
  analysis_time.add(ms);
}

std::size_t Metrics::documents() const {
  std::size_t n = 0;
  for (const DocumentStore* store : stores_) n += store->size();
  return n;
}

std::size_t Metrics::resident_document_bytes() const {
  std::size_t n = 0;
  for (const DocumentStore* store : stores_) n += store->resident_bytes();
  return n;
}

std::size_t Metrics::total_errors() const {
  std::size_t n = 0;
  for (const auto& [method, count] : errors_) n += count;
  return n;
}

std::string Metrics::prometheus_text() const {
  std::string out;
  by_method(out, "perfectex_requests_total", "LSP requests received, by method.", requests_);
  by_method(out, "perfectex_errors_total", "Error replies and rejected messages, by method.",
            errors_);
  counter(out, "perfectex_edits_total", "didChange notifications applied.", double(edits_));
  counter(out, "perfectex_publishes_total", "publishDiagnostics notifications sent.",
          double(publishes_));
  counter(out, "perfectex_cancellations_total", "Requests answered RequestCancelled.",
          double(cancellations_));
  counter(out, "perfectex_analyses_total", "Analyses completed.", double(analyses_));
  counter(out, "perfectex_analyses_resumed_total",
          "Analyses whose rules resumed from the previous one after an edit.",
          double(analyses_resumed_));
  counter(out, "perfectex_hot_path_allocations_total",
          "Allocations inside the quiet-allocation guard (should stay 0).",
          double(hot_allocations_));
  counter(out, "perfectex_arena_growths_total", "Token or diagnostic arena growths.",
          double(growths_));
  edit_to_publish.append_prometheus(
      out, "perfectex_edit_to_publish_seconds",
      "From an edit's arrival to the publish of its diagnostics, handed to the transport.");
  analysis_time.append_prometheus(out, "perfectex_analysis_seconds",
                                  "Lex and rules time of one analysis.");
  gauge(out, "perfectex_open_documents", "Documents open in all sessions.", double(documents()));
  gauge(out, "perfectex_resident_document_bytes", "Bytes of open document text.",
        double(resident_document_bytes()));
  gauge(out, "perfectex_resident_memory_bytes", "Resident set size of the process.",
        double(resident_set_bytes()));
  if (hedges) {
    HedgeCounters h = hedges();
    counter(out, "perfectex_jobs_total", "Analysis jobs submitted.", double(h.jobs));
    counter(out, "perfectex_hedges_fired_total", "Jobs started again on the second worker.",
            double(h.hedges_fired));
    counter(out, "perfectex_hedges_won_total", "Hedged jobs the second worker finished first.",
            double(h.hedges_won));
    counter(out, "perfectex_follows_total",
            "Analyses that brought the idle worker to the latest version, ready to hedge.",
            double(h.follows));
    counter(out, "perfectex_superseded_jobs_total",
            "Jobs cancelled because a newer version arrived.", double(h.superseded));
    counter(out, "perfectex_faults_injected_total", "Stalls injected by PERFECTEX_FAULT_*.",
            double(h.faults_injected));
  }
  out +=
      "# HELP perfectex_info The lexer kernel in use.\n# TYPE perfectex_info "
      "gauge\nperfectex_info{kernel=\"" +
      std::string(lexer_kernel_name()) + "\"} 1\n";
  return out;
}

nlohmann::json Metrics::stats_json() const {
  std::size_t requests = 0;
  for (const auto& [method, n] : requests_) requests += n;
  nlohmann::json stats = {
      {"uptime_ms",
       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
           .count()},
      {"documents", documents()},
      {"resident_document_bytes", resident_document_bytes()},
      {"requests", requests},
      {"requests_by_method", requests_},
      {"errors", total_errors()},
      {"edits", edits_},
      {"publishes", publishes_},
      {"cancellations", cancellations_},
      {"analyses", analyses_},
      {"analyses_resumed", analyses_resumed_},
      {"arena_growths", growths_},
      {"hot_path_allocations", hot_allocations_},
      {"edit_to_publish_ms", summary_json(edit_to_publish.summary())},
      {"analysis_ms", summary_json(analysis_time.summary())},
      {"kernel", lexer_kernel_name()},
      {"rss_bytes", resident_set_bytes()},
  };
  if (hedges) {
    HedgeCounters h = hedges();
    stats["jobs"] = h.jobs;
    stats["hedges_fired"] = h.hedges_fired;
    stats["hedges_won"] = h.hedges_won;
    stats["follows"] = h.follows;
    stats["superseded_jobs"] = h.superseded;
    stats["faults_injected"] = h.faults_injected;
  }
  return stats;
}

}  // namespace perfectex::server
