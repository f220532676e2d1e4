// The didOpen of perf_smoke_big (1.1 MB of text in one JSON string) parsed by nlohmann alone and by
// protocol::parse_json (simdjson, the same values), in turn in one loop: counters nlohmann_ms,
// parse_json_ms and their ratio.
#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "protocol/jsonrpc.h"

namespace {

using namespace perfectex;

void decode_did_open(benchmark::State& state) {
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_smoke_big.tex",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string body = protocol::encode_notification("textDocument/didOpen",
                                                         {{"textDocument",
                                                           {{"uri", "file:///perf_smoke_big.tex"},
                                                            {"languageId", "latex"},
                                                            {"version", 1},
                                                            {"text", std::move(text).str()}}}});
  using clock = std::chrono::steady_clock;
  double slow_s = 0, fast_s = 0;
  for (auto _ : state) {
    auto t0 = clock::now();
    protocol::json slow = protocol::json::parse(body);
    auto t1 = clock::now();
    protocol::json fast = protocol::parse_json(body);
    auto t2 = clock::now();
    benchmark::DoNotOptimize(slow.size() + fast.size());
    slow_s += std::chrono::duration<double>(t1 - t0).count();
    fast_s += std::chrono::duration<double>(t2 - t1).count();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["nlohmann_ms"] = slow_s / n * 1e3;
  state.counters["parse_json_ms"] = fast_s / n * 1e3;
  state.counters["ratio"] = slow_s / fast_s;
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

BENCHMARK(decode_did_open)->Unit(benchmark::kMillisecond);

}  // namespace
