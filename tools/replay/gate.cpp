#include "tools/replay/gate.h"

#include "tools/replay/text_format.h"

namespace perfectex::replay {
namespace {

GateCheck count_check(const std::string& name, std::uint64_t n, const std::string& detail) {
  return {n == 0 ? CheckStatus::Pass : CheckStatus::Fail, name,
          strprintf("%llu (limit 0)", static_cast<unsigned long long>(n)) +
              (detail.empty() ? "" : "; " + detail)};
}

GateCheck budget_check(const std::string& series, const SeriesResult& s, const char* percentile,
                       double budget_ms) {
  const double value = static_cast<double>(s.summary.at(percentile)) / 1e6;
  const double margin = budget_ms - value;
  return {value <= budget_ms ? CheckStatus::Pass : CheckStatus::Fail,
          series_label(series) + " " + percentile,
          strprintf("%.3f ms vs budget %.3f ms, margin %+.3f ms (%zu samples)", value, budget_ms,
                    margin, s.summary.count)};
}

}  // namespace

bool GateResult::passed() const {
  for (const auto& c : checks) {
    if (c.status == CheckStatus::Fail) return false;
  }
  return true;
}

GateResult run_gate(const RunResult& run, const GateOptions& options) {
  GateResult result;
  auto& checks = result.checks;
  for (const auto& name : options.series) {
    auto it = run.series.find(name);
    if (it == run.series.end() || it->second.summary.count == 0) {
      checks.push_back(
          {CheckStatus::Fail, series_label(name) + " samples", "none measured: nothing to gate"});
      continue;
    }
    checks.push_back({CheckStatus::Pass, series_label(name) + " samples",
                      strprintf("%zu measured", it->second.summary.count)});
    if (options.budget_ms)
      checks.push_back(budget_check(name, it->second, "p99", *options.budget_ms));
    if (auto b = options.p999_budget_ms ? options.p999_budget_ms : options.budget_ms) {
      checks.push_back(budget_check(name, it->second, "p99.9", *b));
    }
  }

  std::uint64_t unanswered = 0;
  std::uint64_t superseded = 0;
  std::string error_detail;
  for (const auto& [name, s] : run.series) {
    unanswered += s.tally.lost;
    if (name == kEditSeries || name == kOpenSeries) superseded += s.tally.superseded;
    for (const auto& [code, n] : s.tally.error_codes) {
      error_detail +=
          strprintf("%s%s: %llu x %d", error_detail.empty() ? "" : ", ", series_label(name).c_str(),
                    static_cast<unsigned long long>(n), code);
    }
  }
  checks.push_back(
      count_check("lost", run.total_lost(),
                  strprintf("unanswered %llu, publishes for unsent versions %llu, replies to "
                            "unknown ids %llu, warmup %llu",
                            static_cast<unsigned long long>(unanswered),
                            static_cast<unsigned long long>(run.stream.future_publishes),
                            static_cast<unsigned long long>(run.stream.unmatched_replies),
                            static_cast<unsigned long long>(run.warmup_lost))));
  checks.push_back(count_check("errors", run.total_errors(), error_detail));
  checks.push_back(count_check("frame errors", run.frame_errors, ""));
  checks.push_back(count_check("messages not sent", run.unsent,
                               "the server went away before the session ended"));
  if (options.every_version) {
    checks.push_back(
        count_check("superseded edits", superseded, "every version must get its own publish"));
  }
  if (run.server_exit) {
    checks.push_back({*run.server_exit == 0 ? CheckStatus::Pass : CheckStatus::Fail, "server exit",
                      strprintf("status %d (expected 0)", *run.server_exit)});
  }
  if (options.max_hedge_rate) {
    auto h = run.hedges();
    if (!h || h->analyses == 0) {
      checks.push_back({CheckStatus::Skip, "hedge rate", "the server reports no hedge counters"});
    } else {
      const double rate = h->rate();
      checks.push_back({rate <= *options.max_hedge_rate ? CheckStatus::Pass : CheckStatus::Fail,
                        "hedge rate",
                        strprintf("%.4f (%llu of %llu) vs ceiling %.4f, margin %+.4f", rate,
                                  static_cast<unsigned long long>(h->fired),
                                  static_cast<unsigned long long>(h->analyses),
                                  *options.max_hedge_rate, *options.max_hedge_rate - rate)});
    }
  }
  return result;
}

std::string format_gate(const GateResult& result) {
  std::string out;
  for (const auto& c : result.checks) {
    const char* status = c.status == CheckStatus::Pass   ? "PASS"
                         : c.status == CheckStatus::Fail ? "FAIL"
                                                         : "SKIP";
    out += strprintf("%s  %-34s %s\n", status, c.name.c_str(), c.detail.c_str());
  }
  out += result.passed() ? "gate: passed\n" : "gate: FAILED\n";
  return out;
}

}  // namespace perfectex::replay
