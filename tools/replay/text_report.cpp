#include "tools/replay/text_report.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "protocol/jsonrpc.h"
#include "tools/replay/html_report.h"
#include "tools/replay/text_format.h"

namespace perfectex::replay {
namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write '" + path.string() + "'");
}

// "edit_to_publish_ms": {"p50": .., ...} and plain numbers, as one line each.
std::string format_stats(const json& stats) {
  std::string out;
  for (const auto& [key, value] : stats.items()) {
    if (value.is_object()) {
      std::string line = "  " + key + ":";
      for (const auto& [k, v] : value.items()) line += " " + k + "=" + protocol::dump_json(v);
      out += line + "\n";
    } else {
      out += "  " + key + ": " + protocol::dump_json(value) + "\n";
    }
  }
  return out;
}

}  // namespace

std::string series_slug(const std::string& name) {
  std::string slug;
  for (char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.';
    slug += safe ? c : '_';
  }
  return slug;
}

std::string format_table(const RunResult& run) {
  std::string out;
  const std::string server = run.server.value("name", "") + " " + run.server.value("version", "");
  out += strprintf("corpus %s (%llu bytes), pace %s", run.corpus.c_str(),
                   static_cast<unsigned long long>(run.bytes), run.pace.c_str());
  if (run.pace == "recorded" && run.speed != 1.0) out += strprintf(" x%.2f", run.speed);
  out += strprintf(", %u measured pass%s (+%u warmup), %.1f s", run.passes,
                   run.passes == 1 ? "" : "es", run.warmup, run.wall_s);
  if (server != " ") out += ", server " + server;
  out += "\n\n";
  out += strprintf("%-30s %7s", "series (ms)", "count");
  for (const auto& p : kReportedPercentiles) out += strprintf(" %9s", std::string(p.name).c_str());
  out += strprintf(" %6s %5s %6s\n", "errors", "lost", "supers");
  for (const auto& name : series_order(run)) {
    const SeriesResult& s = run.series.at(name);
    out += strprintf("%-30s %7zu", series_label(name).c_str(), s.summary.count);
    for (std::size_t i = 0; i < kReportedPercentiles.size(); ++i) {
      out += strprintf(" %9s", s.summary.count == 0 ? "-" : ms_text(s.summary.values[i]).c_str());
    }
    out += strprintf(" %6llu %5llu %6llu\n", static_cast<unsigned long long>(s.tally.errors),
                     static_cast<unsigned long long>(s.tally.lost),
                     static_cast<unsigned long long>(s.tally.superseded));
  }
  out +=
      "\npercentiles by nearest rank: rank = ceil(p/100 * N), value = sorted[rank-1]; "
      "from the first byte written to the last byte of the answer read\n";

  const StreamTally& st = run.stream;
  std::uint64_t unanswered = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t late = 0;
  for (const auto& [name, s] : run.series) {
    unanswered += s.tally.lost;
    abandoned += s.tally.abandoned;
    cancelled += s.tally.cancelled;
    late += s.tally.late;
  }
  out += strprintf(
      "lost: %llu (unanswered %llu, publishes for unsent versions %llu, replies to unknown "
      "ids %llu, in warmup %llu)\n",
      static_cast<unsigned long long>(run.total_lost()),
      static_cast<unsigned long long>(unanswered),
      static_cast<unsigned long long>(st.future_publishes),
      static_cast<unsigned long long>(st.unmatched_replies),
      static_cast<unsigned long long>(run.warmup_lost));
  out += strprintf(
      "errors: %llu (in warmup %llu); cancelled %llu; late answers %llu; closed before "
      "publish %llu; frame errors %llu\n",
      static_cast<unsigned long long>(run.total_errors()),
      static_cast<unsigned long long>(run.warmup_errors),
      static_cast<unsigned long long>(cancelled), static_cast<unsigned long long>(late),
      static_cast<unsigned long long>(abandoned),
      static_cast<unsigned long long>(run.frame_errors));
  out += strprintf(
      "publishes: %llu (republished %llu, unversioned matched %llu / ignored %llu, other "
      "documents %llu)\n",
      static_cast<unsigned long long>(st.publishes),
      static_cast<unsigned long long>(st.republishes),
      static_cast<unsigned long long>(st.unversioned_matched),
      static_cast<unsigned long long>(st.unversioned_ignored),
      static_cast<unsigned long long>(st.unknown_documents));
  for (const auto& [name, s] : run.series) {
    for (const auto& message : s.tally.error_messages) {
      out += "  error " + series_label(name) + ": " + message + "\n";
    }
  }
  if (!run.skipped_requests.empty()) {
    out += "skipped (the server does not advertise them):";
    for (const auto& [method, n] : run.skipped_requests) {
      out += strprintf(" %s %llu", method.c_str(), static_cast<unsigned long long>(n));
    }
    out += "\n";
  }
  if (run.unsent > 0) {
    out += strprintf("the server went away: %llu session messages were never sent\n",
                     static_cast<unsigned long long>(run.unsent));
  }
  if (run.memory) {
    out += "server memory: RSS " + mb_text(run.memory->rss_bytes) + ", peak " +
           mb_text(run.memory->peak_rss_bytes);
    if (auto drift = run.rss_drift_bytes()) {
      out += strprintf(", drift %+.1f MB over %zu passes",
                       static_cast<double>(*drift) / (1024.0 * 1024.0), run.rss.size());
    }
    out += "\n";
  } else {
    out += "server memory: not read (not a local process, or it had exited)\n";
  }
  if (auto h = run.hedges()) {
    out += strprintf("hedges: fired %llu, won %llu", static_cast<unsigned long long>(h->fired),
                     static_cast<unsigned long long>(h->won));
    if (h->analyses > 0)
      out += strprintf(" (rate %.2f%% of %llu)", h->rate() * 100,
                       static_cast<unsigned long long>(h->analyses));
    out += "\n";
  }
  if (run.server_stats.is_object()) {
    out += "server counters (perfectex/stats):\n" + format_stats(run.server_stats);
  } else {
    out += "server counters: not offered (no perfectex/stats)\n";
  }
  if (run.server_exit) out += strprintf("server exit status: %d\n", *run.server_exit);
  return out;
}

std::string format_tail(const RunResult& run, std::size_t n) {
  struct Row {
    const std::string* series;
    const Sample* sample;
  };
  std::vector<Row> rows;
  for (const auto& [name, s] : run.series) {
    for (const Sample& x : s.tally.samples) rows.push_back({&name, &x});
  }
  const std::size_t keep = std::min(n, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(),
                    [](const Row& a, const Row& b) {
                      return a.sample->latency_ns != b.sample->latency_ns
                                 ? a.sample->latency_ns > b.sample->latency_ns
                                 : a.sample->start_ns < b.sample->start_ns;
                    });
  std::string out = strprintf("%4s %12s %-30s %14s %14s %10s %5s\n", "rank", "latency_ms", "series",
                              "start_ms", "end_ms", "id/version", "pass");
  for (std::size_t i = 0; i < keep; ++i) {
    const Sample& x = *rows[i].sample;
    out += strprintf("%4zu %12s %-30s %14s %14s %10lld %5u\n", i + 1, ms_text(x.latency_ns).c_str(),
                     series_label(*rows[i].series).c_str(), ms_text(x.start_ns).c_str(),
                     ms_text(x.start_ns + x.latency_ns).c_str(), static_cast<long long>(x.ref),
                     x.pass);
  }
  return out;
}

std::string format_raw(const SeriesResult& series) {
  std::string out;
  out.reserve(series.tally.samples.size() * 8);
  for (const Sample& x : series.tally.samples) out += ms_text(x.latency_ns) + "\n";
  return out;
}

void write_report_files(const RunResult& run, const std::string& dir,
                        std::optional<double> budget_ms) {
  const std::filesystem::path root(dir);
  std::filesystem::create_directories(root / "latencies");
  write_file(root / "run.json", protocol::dump_json(to_json(run, /*with_samples=*/true)) + "\n");
  write_file(root / "report.txt", format_table(run));
  write_file(root / "tail.txt", format_tail(run));
  write_file(root / "report.html", render_html(run, budget_ms));
  for (const auto& [name, s] : run.series) {
    if (!s.tally.samples.empty())
      write_file(root / "latencies" / (series_slug(name) + ".txt"), format_raw(s));
  }
}

void append_metrics_line(const RunResult& run, const std::string& path) {
  if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent);
  }
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << protocol::dump_json(to_json(run, /*with_samples=*/false)) << '\n';
  if (!out) throw std::runtime_error("cannot append to '" + path + "'");
}

}  // namespace perfectex::replay
