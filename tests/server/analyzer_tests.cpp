// server::Analyzer: the kernel it names is the dispatcher's, and a warm worker's hot path makes no
// allocation (the quiet-allocation guard's count is exported per analysis).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "lexer/kernel.h"
#include "lexer/quiet_allocation_guard.h"
#include "server/analyzer.h"

using namespace perfectex;

TEST_CASE("a warm analyzer's guarded section allocates nothing, and reports it") {
  REQUIRE(lexer::allocation_counting_enabled());
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/perf/hott_big.tex", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->text = std::move(s).str();
  REQUIRE(snapshot->text.size() > 1'000'000);
  server::Analyzer analyzer;
  validators::RuleConfig config;
  server::AnalysisResult cold = analyzer.analyze(snapshot, config);
  CHECK(cold.arena_growths > 0);
  server::AnalysisResult warm = analyzer.analyze(snapshot, config);
  CHECK(warm.token_count == cold.token_count);
  CHECK(warm.hot_path_allocations == 0);
  CHECK(server::lexer_kernel_name() == lexer::active_kernel().name);
}

TEST_CASE("with every rule on, a warm analysis of perf_smoke_big.tex allocates nothing") {
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_smoke_big.tex",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->text = std::move(s).str();
  validators::RuleConfig config;
  for (const validators::RuleInfo& info : validators::all_rules()) config.apply(info.name, "on");
  server::Analyzer analyzer;
  server::AnalysisResult cold = analyzer.analyze(snapshot, config);
  CHECK(cold.diagnostics.size() > 1000);
  server::AnalysisResult warm = analyzer.analyze(snapshot, config);
  CHECK(warm.diagnostics == cold.diagnostics);
  CHECK(warm.hot_path_allocations == 0);
}
