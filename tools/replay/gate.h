// The hard gate over a run: P99 and P99.9 of the gated series within the budget, no lost event, no
// error reply, no framing error, a clean server exit, the hedge rate under its ceiling (when the
// server reports hedges), and optionally no superseded edit. Every check is reported with its
// margin. Threading: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tools/replay/run_result.h"

namespace perfectex::replay {

struct GateOptions {
  std::optional<double> budget_ms;       ///< P99 budget (and P99.9 unless p999_budget_ms is set)
  std::optional<double> p999_budget_ms;  ///< P99.9 budget
  std::optional<double> max_hedge_rate;  ///< ceiling on hedges fired per analysis, 0..1
  std::vector<std::string> series{kEditSeries};  ///< series whose percentiles are gated
  bool every_version = false;  ///< fail when an edit was superseded instead of answered
};

enum class CheckStatus { Pass, Fail, Skip };

struct GateCheck {
  CheckStatus status = CheckStatus::Pass;
  std::string name;
  std::string detail;  ///< the measured value, the limit and the margin
};

struct GateResult {
  std::vector<GateCheck> checks;
  bool passed() const;
};

GateResult run_gate(const RunResult& run, const GateOptions& options);
std::string format_gate(const GateResult& result);

}  // namespace perfectex::replay
