// Two runs side by side: for each series both have, every percentile with the absolute and the
// relative change, and the lost/error counts; a change for the worse beyond both thresholds is a
// regression and is highlighted.
// Threading: pure functions.
#pragma once

#include <string>

#include "tools/replay/run_result.h"

namespace perfectex::replay {

struct CompareOptions {
  double threshold_pct = 10;  ///< a slower percentile is a regression past this relative change ...
  double min_delta_ms = 0.05;  ///< ... and this absolute one (noise floor)
  bool color = false;          ///< ANSI colours (for a terminal)
};

struct Comparison {
  std::string text;
  std::size_t regressions = 0;
  std::size_t improvements = 0;
};

Comparison compare_runs(const RunResult& before, const RunResult& after,
                        const CompareOptions& options);

}  // namespace perfectex::replay
