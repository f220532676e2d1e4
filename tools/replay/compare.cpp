#include "tools/replay/compare.h"

#include <cmath>
#include <tuple>

#include "tools/replay/text_format.h"

namespace perfectex::replay {
namespace {

constexpr const char* kRed = "\033[1;31m";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kReset = "\033[0m";

enum class Verdict { Same, Better, Worse };

Verdict judge(double before, double after, const CompareOptions& options) {
  const double delta = after - before;
  const double pct = before > 0 ? delta / before * 100 : (delta > 0 ? INFINITY : 0);
  if (std::abs(delta) < options.min_delta_ms || std::abs(pct) < options.threshold_pct)
    return Verdict::Same;
  return delta > 0 ? Verdict::Worse : Verdict::Better;
}

}  // namespace

Comparison compare_runs(const RunResult& before, const RunResult& after,
                        const CompareOptions& options) {
  Comparison result;
  std::string& out = result.text;
  out += strprintf("A: %s  commit %s  %s\nB: %s  commit %s  %s\n\n", before.corpus.c_str(),
                   before.commit.c_str(), before.time.c_str(), after.corpus.c_str(),
                   after.commit.c_str(), after.time.c_str());
  out += strprintf("%-30s %-6s %10s %10s %10s %9s\n", "series", "", "A ms", "B ms", "delta ms",
                   "delta %");
  auto mark = [&](Verdict v, std::string line) {
    if (v == Verdict::Worse) {
      ++result.regressions;
      line += "  REGRESSION";
      if (options.color) line = kRed + line + kReset;
    } else if (v == Verdict::Better) {
      ++result.improvements;
      line += "  better";
      if (options.color) line = kGreen + line + kReset;
    }
    out += line + "\n";
  };
  for (const auto& name : series_order(before)) {
    auto it = after.series.find(name);
    if (it == after.series.end()) {
      out += strprintf("%-30s only in A\n", series_label(name).c_str());
      continue;
    }
    const SeriesResult& a = before.series.at(name);
    const SeriesResult& b = it->second;
    out += strprintf("%-30s %-6s %10zu %10zu\n", series_label(name).c_str(), "count",
                     a.summary.count, b.summary.count);
    if (a.summary.count == 0 || b.summary.count == 0) continue;
    for (std::size_t i = 0; i < kReportedPercentiles.size(); ++i) {
      const double va = static_cast<double>(a.summary.values[i]) / 1e6;
      const double vb = static_cast<double>(b.summary.values[i]) / 1e6;
      const double pct = va > 0 ? (vb - va) / va * 100 : 0;
      mark(judge(va, vb, options),
           strprintf("%-30s %-6s %10.3f %10.3f %+10.3f %+8.1f%%", "",
                     std::string(kReportedPercentiles[i].name).c_str(), va, vb, vb - va, pct));
    }
    for (auto [label, va, vb] : {std::tuple{"lost", a.tally.lost, b.tally.lost},
                                 std::tuple{"errors", a.tally.errors, b.tally.errors}}) {
      if (va == 0 && vb == 0) continue;
      const Verdict v = vb > va ? Verdict::Worse : vb < va ? Verdict::Better : Verdict::Same;
      mark(v, strprintf("%-30s %-6s %10llu %10llu %+10lld", "", label,
                        static_cast<unsigned long long>(va), static_cast<unsigned long long>(vb),
                        static_cast<long long>(vb) - static_cast<long long>(va)));
    }
  }
  for (const auto& [name, s] : after.series) {
    if (before.series.count(name) == 0)
      out += strprintf("%-30s only in B\n", series_label(name).c_str());
  }
  if (before.memory && after.memory) {
    const double ra = static_cast<double>(before.memory->rss_bytes) / (1024.0 * 1024.0);
    const double rb = static_cast<double>(after.memory->rss_bytes) / (1024.0 * 1024.0);
    const double pct = ra > 0 ? (rb - ra) / ra * 100 : 0;
    const Verdict v = std::abs(pct) < options.threshold_pct || std::abs(rb - ra) < 1 ? Verdict::Same
                      : rb > ra ? Verdict::Worse
                                : Verdict::Better;
    mark(v, strprintf("%-30s %-6s %10.1f %10.1f %+10.1f %+8.1f%%", "server RSS (MB)", "", ra, rb,
                      rb - ra, pct));
  }
  out += strprintf("\n%zu regression(s), %zu improvement(s) (thresholds: %g%% and %g ms)\n",
                   result.regressions, result.improvements, options.threshold_pct,
                   options.min_delta_ms);
  return result;
}

}  // namespace perfectex::replay
