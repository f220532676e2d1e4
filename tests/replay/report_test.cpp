#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tools/replay/compare.h"
#include "tools/replay/gate.h"
#include "tools/replay/html_report.h"
#include "tools/replay/text_report.h"

namespace perfectex::replay {
namespace {

constexpr std::int64_t kMs = 1'000'000;

// A run whose edit latencies are 1..n ms, with one hover reply and the given lost/errors.
RunResult make_run(std::int64_t n, std::uint64_t lost = 0, std::uint64_t errors = 0) {
  Tally tally;
  SeriesTally& edit = tally.series[kEditSeries];
  for (std::int64_t i = 1; i <= n; ++i) edit.samples.push_back({i * kMs, i * 10 * kMs, i + 1, 0});
  edit.sent = static_cast<std::uint64_t>(n) + lost;
  edit.lost = lost;
  SeriesTally& hover = tally.series["textDocument/hover"];
  hover.samples.push_back({2 * kMs, 5 * kMs, 7, 0});
  hover.errors = errors;
  if (errors > 0) hover.error_codes[-32601] = errors;
  RunResult run;
  run.set_tally(std::move(tally));
  run.time = "2025-01-01T00:00:00Z";
  run.commit = "abc1234";
  run.corpus = "perf/doc.tex";
  run.bytes = 1234;
  run.pace = "fast";
  run.passes = 1;
  run.memory = ProcMemory{40u << 20, 50u << 20};
  run.rss = {{1.0, 40u << 20, 0}, {2.0, 42u << 20, 1}};
  run.server_exit = 0;
  return run;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a run survives its JSON form, with or without samples") {
  RunResult run = make_run(1000);
  run.server_stats =
      json{{"hedges_fired", 3}, {"hedges_won", 1}, {"analyses", 300}, {"tokens", 99}};
  for (bool with_samples : {true, false}) {
    const RunResult back = run_from_json(to_json(run, with_samples));
    const auto& e = back.series.at(kEditSeries);
    CHECK(e.summary.count == 1000);
    CHECK(e.summary.at("p50") == 500 * kMs);
    CHECK(e.summary.at("p99") == 990 * kMs);
    CHECK(e.summary.at("p99.9") == 999 * kMs);
    CHECK(e.summary.at("max") == 1000 * kMs);
    CHECK(e.tally.samples.size() == (with_samples ? 1000u : 0u));
    CHECK(back.memory->rss_bytes == 40u << 20);
    CHECK(back.rss_drift_bytes() == 2 << 20);
    CHECK(back.hedges()->fired == 3);
    CHECK(back.hedges()->rate() == doctest::Approx(0.01));
    CHECK(back.commit == "abc1234");
    CHECK(back.server_exit == 0);
  }
  CHECK_THROWS(run_from_json(json{{"format", "something else"}}));
}

TEST_CASE("the report files: run.json, metrics line, table, tail, raw latencies, html") {
  const RunResult run = make_run(250);
  const auto dir = std::filesystem::temp_directory_path() / "replay_report_test";
  std::filesystem::remove_all(dir);
  write_report_files(run, dir.string(), 20.0);
  append_metrics_line(run, (dir / "metrics.jsonl").string());
  append_metrics_line(make_run(10), (dir / "metrics.jsonl").string());
  CHECK(read_run(dir.string()).series.at(kEditSeries).tally.samples.size() == 250);
  // A metrics file: its last line is the run read.
  CHECK(read_run((dir / "metrics.jsonl").string()).series.at(kEditSeries).summary.count == 10);
  const std::string raw = read(dir / "latencies" / "edit.txt");
  CHECK(std::count(raw.begin(), raw.end(), '\n') == 250);
  CHECK(raw.rfind("1.000\n2.000\n", 0) == 0);
  CHECK(std::filesystem::exists(dir / "latencies" / "textDocument_hover.txt"));
  CHECK(read(dir / "report.txt").find("edit -> diagnostics") != std::string::npos);
  std::filesystem::remove_all(dir);
  CHECK_THROWS(read_run(dir.string()));
}

TEST_CASE("the table shows every series with its percentiles and the counts") {
  const std::string table = format_table(make_run(100, 2, 1));
  CHECK(table.find("edit -> diagnostics") != std::string::npos);
  CHECK(table.find("textDocument/hover") != std::string::npos);
  CHECK(table.find("99.000") != std::string::npos);  // P99 of 1..100 ms
  CHECK(table.find("lost: 2") != std::string::npos);
  CHECK(table.find("errors: 1") != std::string::npos);
  CHECK(table.find("nearest rank") != std::string::npos);
  CHECK(table.find("RSS 40.0 MB") != std::string::npos);
}

TEST_CASE("the tail lists the slowest events first with their timestamps") {
  const std::string tail = format_tail(make_run(300), 100);
  CHECK(std::count(tail.begin(), tail.end(), '\n') == 101);  // header + 100 rows
  const auto first_row = tail.substr(tail.find('\n') + 1);
  CHECK(first_row.find("300.000") != std::string::npos);   // latency
  CHECK(first_row.find("3000.000") != std::string::npos);  // start
  CHECK(first_row.find("3300.000") != std::string::npos);  // end
  CHECK(format_tail(make_run(3), 100).find("2.000") != std::string::npos);
}

TEST_CASE("the HTML page is self-contained, with a histogram and a CDF per series") {
  RunResult run = make_run(500);
  const std::string html = render_html(run, 20.0);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("histogram") != std::string::npos);
  CHECK(html.find("cumulative distribution") != std::string::npos);
  CHECK(html.find("<polyline") != std::string::npos);
  CHECK(html.find("budget 20") != std::string::npos);
  CHECK(html.find("server RSS") != std::string::npos);
  CHECK(std::count(html.begin(), html.end(), '<') > 100);
  CHECK(html_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  // Every latency lands in a bar: the counts in the bar titles add up to the samples.
  std::size_t total = 0;
  const auto hist_start = html.find("histogram");
  const auto hist_end = html.find("</svg>", hist_start);
  for (auto pos = html.find("</title>", hist_start); pos < hist_end;
       pos = html.find("</title>", pos + 1)) {
    const auto colon = html.rfind(": ", pos);
    total += std::stoul(html.substr(colon + 2, pos - colon - 2));
  }
  CHECK(total == 500);
}

TEST_CASE("the gate checks each limit and reports the margin") {
  GateOptions options;
  options.budget_ms = 995;
  auto result = run_gate(make_run(1000), options);
  CHECK_FALSE(result.passed());  // P99 = 990 passes, P99.9 = 999 fails
  const std::string text = format_gate(result);
  CHECK(text.find("PASS  edit -> diagnostics p99 ") != std::string::npos);
  CHECK(text.find("margin +5.000 ms") != std::string::npos);
  CHECK(text.find("FAIL  edit -> diagnostics p99.9") != std::string::npos);
  CHECK(text.find("margin -4.000 ms") != std::string::npos);
  CHECK(text.find("gate: FAILED") != std::string::npos);

  options.p999_budget_ms = 1000;
  CHECK(run_gate(make_run(1000), options).passed());
  CHECK_FALSE(run_gate(make_run(1000, 1), options).passed());     // a lost edit
  CHECK_FALSE(run_gate(make_run(1000, 0, 1), options).passed());  // an error reply
  RunResult crashed = make_run(1000);
  crashed.server_exit = 134;
  CHECK_FALSE(run_gate(crashed, options).passed());
  RunResult empty = make_run(0);
  CHECK_FALSE(run_gate(empty, GateOptions{}).passed());  // nothing measured is no pass

  RunResult coalesced = make_run(10);
  coalesced.series[kEditSeries].tally.superseded = 4;
  GateOptions strict;
  CHECK(run_gate(coalesced, strict).passed());
  strict.every_version = true;
  CHECK_FALSE(run_gate(coalesced, strict).passed());
}

TEST_CASE("the hedge ceiling is checked when the server reports hedges, skipped otherwise") {
  GateOptions options;
  options.max_hedge_rate = 0.05;
  RunResult run = make_run(10);
  auto result = run_gate(run, options);
  CHECK(result.passed());
  CHECK(format_gate(result).find("SKIP  hedge rate") != std::string::npos);
  run.server_stats = json{{"hedges_fired", 10}, {"hedges_won", 2}, {"analyses", 100}};
  result = run_gate(run, options);
  CHECK_FALSE(result.passed());
  CHECK(format_gate(result).find("0.1000 (10 of 100) vs ceiling 0.0500") != std::string::npos);
  run.server_stats["hedges_fired"] = 5;
  CHECK(run_gate(run, options).passed());
}

TEST_CASE("compare shows both runs per percentile and flags regressions") {
  RunResult before = make_run(1000);
  RunResult after = make_run(1000);
  CompareOptions options;
  CHECK(compare_runs(before, after, options).regressions == 0);
  // Make B's tail slower: the top 2% take 3x as long.
  for (auto& x : after.series[kEditSeries].tally.samples) {
    if (x.latency_ns > 980 * kMs) x.latency_ns *= 3;
  }
  Tally slower;
  slower.series[kEditSeries] = after.series[kEditSeries].tally;  // and no hover series
  after.set_tally(std::move(slower));
  const Comparison c = compare_runs(before, after, options);
  CHECK(c.regressions == 3);  // p99, p99.9, max; p50..p95 unchanged
  CHECK(c.text.find("REGRESSION") != std::string::npos);
  CHECK(c.text.find("+200.0%") != std::string::npos);
  CHECK(c.text.find("only in A") != std::string::npos);  // hover is gone from B
  CHECK(compare_runs(after, before, options).improvements == 3);
}

}  // namespace perfectex::replay
