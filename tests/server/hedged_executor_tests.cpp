// The hedged executor with real workers and injected stalls: the hedge wins when the primary is
// stalled and the loser is stopped through its token; superseded jobs are cancelled, never
// delivered and never hedged; in a pause the other worker follows the latest result; hedging off
// never hedges nor follows; bad settings are refused by name.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>

#include "server/hedged_executor.h"

using namespace perfectex::server;

namespace {

SnapshotPtr snapshot(const std::string& uri, std::int64_t version, const std::string& text) {
  auto s = std::make_shared<Snapshot>();
  s->uri = uri;
  s->version = version;
  s->language_id = "latex";
  s->text = text;
  s->lines = LineIndex(s->text);
  return s;
}

// Runs the io_context until pred holds (or 30 s pass, which fails the check that follows).
template <typename Pred>
void run_until(boost::asio::io_context& io, Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!pred() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(5));
    io.restart();
  }
}

// A stall long enough that a test can only pass if the stall is interrupted.
constexpr double kLongStallMs = 60'000;

}  // namespace

TEST_CASE("the hedge wins over a stalled primary, and the primary is stopped") {
  boost::asio::io_context io;
  // The hedge delay leaves the idle primary ample time to pick the job up first.
  HedgedExecutor::Options options{HedgePolicy{HedgePolicy::Mode::Fixed, 200},
                                  {kLongStallMs, 1'000'000, true, 0}};
  HedgedExecutor executor(io, options);
  auto config = std::make_shared<perfectex::validators::RuleConfig>();
  std::vector<AnalysisResult> results;
  executor.submit({snapshot("file:///a.tex", 1, "a } b"), config, nullptr, nullptr},
                  [&](AnalysisResult r) { results.push_back(std::move(r)); });
  run_until(io, [&] { return executor.counters().stopped_attempts == 1; });
  REQUIRE(results.size() == 1);
  CHECK(results[0].snapshot->version == 1);
  CHECK(results[0].diagnostics.size() == 1);
  HedgeCounters c = executor.counters();
  CHECK(c.hedges_fired == 1);
  CHECK(c.hedges_won == 1);
  CHECK(c.faults_injected == 1);
  CHECK(c.stopped_attempts == 1);
}

TEST_CASE("a superseded job is cancelled, never delivered, and the newest version is") {
  boost::asio::io_context io;
  HedgedExecutor::Options options{HedgePolicy{HedgePolicy::Mode::Off, 0},
                                  {kLongStallMs, 1'000'000, true, 0}};
  HedgedExecutor executor(io, options);
  auto config = std::make_shared<perfectex::validators::RuleConfig>();
  std::vector<std::int64_t> delivered;
  int owner = 0;
  auto submit = [&](int v) {
    executor.submit({snapshot("file:///b.tex", v, std::string(static_cast<std::size_t>(v), '}')),
                     config, &owner, nullptr},
                    [&](AnalysisResult r) { delivered.push_back(r.snapshot->version); });
  };
  submit(1);
  // Version 2 arrives while version 1 is running (stalled) on worker 0.
  run_until(io, [&] { return executor.counters().faults_injected == 1; });
  submit(2);
  run_until(io, [&] { return !delivered.empty() && executor.counters().stopped_attempts == 1; });
  CHECK(delivered == std::vector<std::int64_t>{2});
  HedgeCounters c = executor.counters();
  CHECK(c.superseded == 1);
  CHECK(c.hedges_fired == 0);
  CHECK(c.stopped_attempts == 1);
}

TEST_CASE("a follow brings the idle worker to the latest version; hedging off never follows") {
  for (HedgePolicy::Mode mode : {HedgePolicy::Mode::Auto, HedgePolicy::Mode::Off}) {
    boost::asio::io_context io;
    HedgedExecutor executor(io, HedgedExecutor::Options{HedgePolicy{mode, 0}, {}});
    auto config = std::make_shared<perfectex::validators::RuleConfig>();
    int delivered = 0;
    executor.submit({snapshot("file:///g.tex", 1, "$x$"), config, nullptr, nullptr},
                    [&](AnalysisResult) { ++delivered; });
    // Auto: until the follow is counted. Off: 300 ms, thirty times the pause a follow waits for.
    const bool on = mode == HedgePolicy::Mode::Auto;
    auto pause = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    run_until(io, [&] {
      return on ? executor.counters().follows == 1 : std::chrono::steady_clock::now() > pause;
    });
    CHECK(delivered == 1);
    CHECK(executor.counters().follows == (on ? 1 : 0));
  }
}

TEST_CASE("the same URI from two sessions is two documents; hedging off never hedges") {
  boost::asio::io_context io;
  HedgedExecutor executor(io, HedgedExecutor::Options{HedgePolicy{HedgePolicy::Mode::Off, 0}, {}});
  auto config = std::make_shared<perfectex::validators::RuleConfig>();
  int a = 0, b = 0;
  int delivered = 0;
  for (int round = 0; round < 50; ++round) {
    executor.submit({snapshot("file:///same.tex", round, "{"), config, &a, nullptr},
                    [&](AnalysisResult) { ++delivered; });
    executor.submit({snapshot("file:///same.tex", round, "}"), config, &b, nullptr},
                    [&](AnalysisResult) { ++delivered; });
    run_until(io, [&] { return delivered == 2 * (round + 1); });
  }
  CHECK(delivered == 100);
  CHECK(executor.counters().hedges_fired == 0);
  CHECK(executor.counters().superseded == 0);
  CHECK(executor.hedge_delay_ms(1000) == 0);
}

TEST_CASE("hedge settings and fault variables are parsed strictly") {
  CHECK(HedgePolicy::parse("off")->mode == HedgePolicy::Mode::Off);
  CHECK(HedgePolicy::parse("auto")->mode == HedgePolicy::Mode::Auto);
  CHECK(HedgePolicy::parse("2.5")->fixed_ms == 2.5);
  CHECK_FALSE(HedgePolicy::parse("-1").has_value());
  CHECK_FALSE(HedgePolicy::parse("soon").has_value());
  ::setenv("PERFECTEX_FAULT_MS", "15", 1);
  ::setenv("PERFECTEX_FAULT_RATE_PPM", "1500", 1);
  ::setenv("PERFECTEX_FAULT_PHASE", "post", 1);
  FaultInjection f = FaultInjection::from_environment();
  CHECK(f.active());
  CHECK(f.stall_ms == 15);
  CHECK(f.rate_ppm == 1500);
  CHECK_FALSE(f.before_work);
  ::setenv("PERFECTEX_FAULT_PHASE", "during", 1);
  CHECK_THROWS_WITH_AS(FaultInjection::from_environment(),
                       "PERFECTEX_FAULT_PHASE must be pre or post, got 'during'",
                       std::invalid_argument);
  ::setenv("PERFECTEX_FAULT_PHASE", "pre", 1);
  ::setenv("PERFECTEX_FAULT_RATE_PPM", "lots", 1);
  CHECK_THROWS_AS(FaultInjection::from_environment(), std::invalid_argument);
  for (const char* name :
       {"PERFECTEX_FAULT_MS", "PERFECTEX_FAULT_RATE_PPM", "PERFECTEX_FAULT_PHASE"})
    ::unsetenv(name);
  CHECK_FALSE(FaultInjection::from_environment().active());
}
