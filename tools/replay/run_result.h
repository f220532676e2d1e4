// The result of one replay run: where and what was measured, every series' counts, percentiles and
// samples, memory, the server's own counters; and its JSON form (run.json holds the samples, the
// metrics line is the same object without them). report, compare and gate read it back.
// Threading: value types and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tools/replay/matcher.h"
#include "tools/replay/percentiles.h"
#include "tools/replay/proc_status.h"

namespace perfectex::replay {

using json = nlohmann::json;

inline constexpr std::string_view kRunFormat = "perfectex-replay-run";

struct SeriesResult {
  LatencySummary summary;
  SeriesTally tally;  ///< samples are empty when read from a metrics line
};

struct RssSample {
  double t_s = 0;  ///< seconds since the run started
  std::uint64_t rss_bytes = 0;
  std::uint32_t pass = 0;
};

struct HedgeCounts {
  std::uint64_t fired = 0;
  std::uint64_t won = 0;
  std::uint64_t analyses = 0;  ///< the denominator of the hedge rate (0 when unknown)
  double rate() const { return analyses == 0 ? 0.0 : static_cast<double>(fired) / analyses; }
};

struct RunResult {
  std::string time;                     ///< UTC, ISO 8601
  std::string commit;                   ///< of the code measured
  std::string session;                  ///< the session file replayed
  std::string corpus;                   ///< the document the session edits
  std::uint64_t bytes = 0;              ///< size of the opened document
  std::optional<std::uint64_t> tokens;  ///< from the server's counters, when it reports them
  json server = json::object();         ///< command or connect address, serverInfo
  std::string pace;
  double speed = 1;
  std::uint32_t warmup = 0;
  std::uint32_t passes = 0;  ///< measured passes over the session
  double wall_s = 0;

  std::map<std::string, SeriesResult> series;
  StreamTally stream;
  std::uint64_t warmup_lost = 0;
  std::uint64_t warmup_errors = 0;
  std::uint64_t frame_errors = 0;
  std::uint64_t unsent = 0;  ///< session messages never sent: the server went away first
  std::map<std::string, std::uint64_t> skipped_requests;  ///< not advertised by the server
  std::map<std::string, std::uint64_t> server_requests;   ///< requests the server sent us
  std::map<std::string, std::uint64_t> server_notifications;

  std::optional<ProcMemory> memory;  ///< at the end, for a local server
  std::vector<RssSample> rss;        ///< after each pass
  json server_stats;                 ///< perfectex/stats result; null when not offered
  std::optional<int> server_exit;    ///< exit status of a spawned server

  /// Fills series and stream from a measured tally, computing the percentiles.
  void set_tally(Tally tally);
  std::uint64_t total_lost() const;
  std::uint64_t total_errors() const;
  /// Hedge counters from server_stats (hedges_fired, hedges_won; analyses or edits as the base).
  std::optional<HedgeCounts> hedges() const;
  /// RSS growth from the first measured pass to the last, when there are two samples.
  std::optional<std::int64_t> rss_drift_bytes() const;
};

/// Display label of a series ("edit -> diagnostics" for edits, the method otherwise).
std::string series_label(const std::string& name);
/// The series in report order: edit, open, then requests by name.
std::vector<std::string> series_order(const RunResult& run);

json to_json(const RunResult& run, bool with_samples);
/// Reads a run back; throws std::runtime_error naming the problem.
RunResult run_from_json(const json& j);
/// Reads run.json, a directory holding run.json, or a metrics file (its last line).
RunResult read_run(const std::string& path);

}  // namespace perfectex::replay
