// perfectex-replay: record, synthesize, replay, report, compare and gate LSP latency sessions.
// See tools/replay/README.md. Exit status: 0 success, 1 a failed gate (or a regression with
// --fail-on-regression), 2 a usage or input error; record exits with the server's status.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "tools/replay/child_process.h"
#include "tools/replay/compare.h"
#include "tools/replay/gate.h"
#include "tools/replay/record_proxy.h"
#include "tools/replay/replayer.h"
#include "tools/replay/synthesizer.h"
#include "tools/replay/text_format.h"
#include "tools/replay/text_report.h"

namespace replay = perfectex::replay;

namespace {

// The commit measured: PERFECTEX_COMMIT, else `git rev-parse --short HEAD` here, else "unknown".
std::string detect_commit() {
  if (const char* env = std::getenv("PERFECTEX_COMMIT"); env != nullptr && *env != '\0') return env;
  try {
    auto git = replay::ChildProcess::spawn(
        {{"git", "rev-parse", "--short", "HEAD"}, false, true, "/dev/null"});
    std::string out;
    char buf[256];
    for (ssize_t n; (n = ::read(git.stdout_fd(), buf, sizeof buf)) > 0;)
      out.append(buf, static_cast<std::size_t>(n));
    if (git.wait() == 0) {
      while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
      if (!out.empty()) return out;
    }
  } catch (const std::exception&) {
  }
  return "unknown";
}

void add_gate_options(CLI::App* app, replay::GateOptions& gate) {
  app->add_option("--budget-ms", gate.budget_ms,
                  "P99 budget in ms (also P99.9 unless --p999-budget-ms)");
  app->add_option("--p999-budget-ms", gate.p999_budget_ms, "P99.9 budget in ms");
  app->add_option("--max-hedge-rate", gate.max_hedge_rate,
                  "ceiling on hedges fired per analysis (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  app->add_option("--series", gate.series,
                  "series whose percentiles are gated (default: edit); repeat for more")
      ->allow_extra_args(false);
  app->add_flag("--every-version", gate.every_version,
                "fail when an edit was superseded (coalesced)");
}

int gate_and_print(const replay::RunResult& run, const replay::GateOptions& gate) {
  const auto result = replay::run_gate(run, gate);
  std::cout << replay::format_gate(result);
  return result.passed() ? 0 : 1;
}

// A server that exited with a failure says why on its stderr: its last lines, beside the report.
void print_server_stderr_tail(const replay::RunResult& run, const std::string& path) {
  if (!run.server_exit || *run.server_exit == 0 || path.empty()) return;
  std::ifstream file(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(file, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > 60) lines.pop_front();
  }
  std::cerr << "the server exited with status " << *run.server_exit << "; the end of its stderr ("
            << path << "):\n";
  for (const auto& line : lines) std::cerr << line << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "perfectex-replay: measure an LSP server from the outside (record, synthesize, replay, "
      "report, compare, gate)"};
  app.require_subcommand(1);

  // record
  replay::RecordOptions record;
  auto* record_cmd = app.add_subcommand("record", "transparent stdio proxy that records a session");
  record_cmd->add_option("--out", record.out_path, "session file to write")->required();
  record_cmd->add_option("--listen", record.listen,
                         "[host:]port: take the editor side from one TCP connection, not stdio");
  record_cmd->add_option("--port-file", record.port_file,
                         "with --listen: write the bound port here");
  record_cmd->add_option("command", record.command, "the server command, after --")->required();

  // synthesize
  replay::SynthesisOptions synth;
  std::string synth_out;
  auto* synth_cmd =
      app.add_subcommand("synthesize", "make a realistic editing session from a document");
  synth_cmd->add_option("file", synth.path, "the document to edit")
      ->required()
      ->check(CLI::ExistingFile);
  synth_cmd->add_option("--out", synth_out, "session file to write")->required();
  synth_cmd->add_option("--seed", synth.seed, "random seed (same seed, same session)");
  synth_cmd->add_option("--keystrokes", synth.keystrokes, "didChange notifications to produce")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
  synth_cmd->add_option("--typing-ms", synth.typing_median_ms, "median gap between keys in a word")
      ->check(CLI::Range(1.0, 60'000.0));
  synth_cmd->add_flag("--close-braces", synth.close_braces,
                      "type as an editor that closes braces: `{` puts in `{}`, `}` steps over it");
  synth_cmd->add_option("--requests", synth.requests, "request methods to send at the cursor")
      ->delimiter(',');
  synth_cmd->add_option("--uri", synth.uri, "document URI (default: file:// of the file)");
  synth_cmd->add_option("--language-id", synth.language_id,
                        "LSP language id (default: by extension)");

  // replay
  std::string session_path;
  replay::ServerEndpoint endpoint;
  replay::ReplayOptions options;
  std::string pace = "recorded";
  std::string out_dir;
  std::string metrics_path;
  std::string commit;
  std::optional<int> server_pid;
  bool no_stats = false;
  bool send_unsupported = false;
  bool no_progress = false;
  bool quiet = false;
  bool gate_run = false;
  replay::GateOptions gate;
  auto* replay_cmd =
      app.add_subcommand("replay", "replay a session against a server and measure it");
  replay_cmd->add_option("session", session_path, "session file")
      ->required()
      ->check(CLI::ExistingFile);
  replay_cmd->add_option("command", endpoint.command, "server command to spawn, after --");
  replay_cmd->add_option("--connect", endpoint.connect, "connect to a running server at host:port");
  replay_cmd->add_option("--pace", pace, "recorded: keep the session's gaps; fast: closed loop")
      ->check(CLI::IsMember({"recorded", "fast"}));
  replay_cmd->add_option("--speed", options.speed, "divide recorded gaps by this")
      ->check(CLI::Range(0.001, 1000.0));
  replay_cmd->add_option("--max-gap-ms", options.max_gap_ms, "cap recorded gaps (0: no cap)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{86'400'000}));
  replay_cmd->add_option("--iterations", options.iterations, "measured passes over the session")
      ->check(CLI::Range(1, 1'000'000));
  replay_cmd->add_option("--warmup", options.warmup, "unmeasured passes first")
      ->check(CLI::Range(0, 1'000'000));
  replay_cmd
      ->add_option("--duration", options.duration_s, "repeat passes for this many seconds (soak)")
      ->check(CLI::Range(0.0, 30.0 * 86'400));
  replay_cmd
      ->add_option("--timeout-ms", options.timeout_ms, "an event unanswered this long is lost")
      ->check(CLI::Range(1, 86'400'000));
  replay_cmd->add_option("--out", out_dir,
                         "write run.json, report.txt, report.html, tail.txt, latencies/");
  replay_cmd->add_option("--metrics", metrics_path,
                         "append the run's JSON line here (default: <out>/metrics.jsonl)");
  replay_cmd->add_option("--commit", commit, "commit measured (default: $PERFECTEX_COMMIT or git)");
  replay_cmd->add_option("--server-stderr", endpoint.stderr_path,
                         "send the server's stderr to this file");
  replay_cmd->add_option("--server-pid", server_pid, "pid of a --connect server, for its memory");
  replay_cmd->add_flag("--no-stats", no_stats, "do not ask perfectex/stats");
  replay_cmd->add_flag("--send-unsupported", send_unsupported,
                       "send requests the server does not advertise");
  replay_cmd->add_flag("--no-progress", no_progress, "no progress bar");
  replay_cmd->add_flag("--quiet", quiet, "print no table");
  replay_cmd->add_flag("--gate", gate_run, "run the gate checks; exit 1 when one fails");
  add_gate_options(replay_cmd, gate);

  // report
  std::string report_run;
  std::string report_out;
  std::optional<double> report_budget;
  std::size_t tail_n = 0;
  auto* report_cmd = app.add_subcommand("report", "print (and render) a recorded run");
  report_cmd->add_option("run", report_run, "run.json, its folder, or a metrics file")->required();
  report_cmd->add_option("--out", report_out,
                         "write report.txt, report.html, tail.txt, latencies/");
  report_cmd->add_option("--budget-ms", report_budget, "budget to draw on the charts");
  report_cmd->add_option("--tail", tail_n, "also print the N slowest events");

  // compare
  std::string compare_a;
  std::string compare_b;
  replay::CompareOptions compare_options;
  compare_options.color = ::isatty(1) != 0;
  bool fail_on_regression = false;
  auto* compare_cmd = app.add_subcommand("compare", "two runs side by side per percentile");
  compare_cmd->add_option("before", compare_a, "run A (baseline)")->required();
  compare_cmd->add_option("after", compare_b, "run B")->required();
  compare_cmd->add_option("--threshold-pct", compare_options.threshold_pct,
                          "relative change that counts");
  compare_cmd->add_option("--min-delta-ms", compare_options.min_delta_ms,
                          "absolute change that counts");
  compare_cmd->add_flag("--fail-on-regression", fail_on_regression,
                        "exit 1 when there is a regression");

  // gate
  std::string gate_path;
  replay::GateOptions gate_only;
  auto* gate_cmd = app.add_subcommand("gate", "check a run against a budget; exit 1 when it fails");
  gate_cmd->add_option("run", gate_path, "run.json, its folder, or a metrics file")->required();
  add_gate_options(gate_cmd, gate_only);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is a success; every usage error exits 2
  }

  try {
    if (*record_cmd) return replay::run_record_proxy(record);

    if (*synth_cmd) {
      const auto result = replay::synthesize_file(synth);
      replay::write_session(synth_out, result.session);
      const auto& s = result.stats;
      std::size_t requests = 0;
      for (const auto& [method, n] : s.requests) requests += n;
      const double seconds =
          result.session.entries.empty() ? 0 : result.session.entries.back().t_us / 1e6;
      std::fprintf(
          stderr,
          "wrote %s: %zu edits (%zu characters, %zu newlines, %zu backspaces, %zu word deletions, "
          "%zu pastes, %zu line deletions, %zu brace breaks, %zu braces stepped over), %zu "
          "requests, %.1f s of typing\n",
          synth_out.c_str(), s.edits, s.characters, s.newlines, s.backspaces, s.word_deletions,
          s.pastes, s.line_deletions, s.brace_breaks, s.braces_stepped_over, requests, seconds);
      return 0;
    }

    if (*replay_cmd) {
      if (endpoint.command.empty() == endpoint.connect.empty()) {
        std::fprintf(stderr,
                     "replay: give either a server command after -- or --connect host:port\n");
        return 2;
      }
      options.pace = pace == "fast" ? replay::Pace::Fast : replay::Pace::Recorded;
      options.query_stats = !no_stats;
      options.skip_unsupported = !send_unsupported;
      options.progress = !no_progress && ::isatty(2) != 0;
      if (server_pid) options.server_pid = static_cast<pid_t>(*server_pid);
      if (endpoint.stderr_path.empty() && !out_dir.empty())
        endpoint.stderr_path = out_dir + "/server.stderr";
      if (!out_dir.empty()) std::filesystem::create_directories(out_dir);
      const auto session = replay::read_session(session_path);
      auto run = replay::replay_session(session, endpoint, options);
      run.time = replay::utc_now_iso();
      run.commit = commit.empty() ? detect_commit() : commit;
      run.session = session_path;
      if (!quiet) std::cout << replay::format_table(run) << std::flush;
      if (!out_dir.empty()) {
        replay::write_report_files(run, out_dir, gate.budget_ms);
        if (metrics_path.empty()) metrics_path = out_dir + "/metrics.jsonl";
      }
      if (!metrics_path.empty()) replay::append_metrics_line(run, metrics_path);
      print_server_stderr_tail(run, endpoint.stderr_path);
      return gate_run ? gate_and_print(run, gate) : 0;
    }

    if (*report_cmd) {
      const auto run = replay::read_run(report_run);
      std::cout << replay::format_table(run);
      if (tail_n > 0) std::cout << "\n" << replay::format_tail(run, tail_n);
      if (!report_out.empty()) replay::write_report_files(run, report_out, report_budget);
      return 0;
    }

    if (*compare_cmd) {
      const auto result = replay::compare_runs(replay::read_run(compare_a),
                                               replay::read_run(compare_b), compare_options);
      std::cout << result.text;
      return fail_on_regression && result.regressions > 0 ? 1 : 0;
    }

    if (*gate_cmd) return gate_and_print(replay::read_run(gate_path), gate_only);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "perfectex-replay: %s\n", e.what());
    return 2;
  }
  return 2;
}
