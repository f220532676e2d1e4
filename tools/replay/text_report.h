// The plain-text outputs of a run: the human table, the slowest events with their timestamps, the
// raw latencies of a series (one number per line), and writing all outputs of a run into a folder.
// Threading: pure functions, except write_report_files which writes files.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "tools/replay/run_result.h"

namespace perfectex::replay {

/// The table of every series (count, percentiles, errors, lost, superseded) and the run's counters,
/// memory and server counters.
std::string format_table(const RunResult& run);

/// The n slowest events across all series, slowest first, with start and end in ms since the run
/// started.
std::string format_tail(const RunResult& run, std::size_t n = 100);

/// The latencies of a series in milliseconds (three decimals), one per line, in the order measured.
std::string format_raw(const SeriesResult& series);

/// A file-name-safe form of a series name ("textDocument/codeAction" -> "textDocument_codeAction").
std::string series_slug(const std::string& name);

/// Writes run.json, report.txt, tail.txt, report.html and latencies/<series>.txt into dir (created
/// when missing). budget_ms, when given, is drawn on the charts.
void write_report_files(const RunResult& run, const std::string& dir,
                        std::optional<double> budget_ms);

/// Appends the run's metrics line (run.json without samples) to path.
void append_metrics_line(const RunResult& run, const std::string& path);

}  // namespace perfectex::replay
