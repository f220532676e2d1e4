// The self-contained HTML page of a run: for every series, a histogram of latencies on a log scale
// and their cumulative distribution, with P50/P99/P99.9 and the budget marked; the RSS after each
// pass; the text table. Inline SVG and CSS only: no scripts, no fonts, no external files.
// Threading: pure functions.
#pragma once

#include <optional>
#include <string>

#include "tools/replay/run_result.h"

namespace perfectex::replay {

std::string render_html(const RunResult& run, std::optional<double> budget_ms);

/// Text escaped for HTML element content and attribute values.
std::string html_escape(const std::string& text);

}  // namespace perfectex::replay
