// The cost of a publishDiagnostics body after a one-character edit of a document with 1,000
// diagnostics: every diagnostic built as JSON and dumped (publish_params, what a naive server
// does) against the PublishWriter, which copies the diagnostics the edit did not move, and against
// the writer building every diagnostic (writer_all_built_us: an edit that moved them all). All
// run in turn in one loop: counters json_us, writer_us, their ratio, writer_all_built_us.
#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "protocol/jsonrpc.h"
#include "server/analyzer.h"
#include "server/document_store.h"
#include "server/lsp_convert.h"
#include "server/publish_writer.h"

namespace {

using namespace perfectex;

server::AnalysisResult analyse(std::string text, std::int64_t version) {
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->uri = "file:///bench.tex";
  snapshot->version = version;
  snapshot->lines = server::LineIndex(text);
  snapshot->text = std::move(text);
  server::Analyzer analyzer;
  return analyzer.analyze(snapshot, validators::RuleConfig{});
}

void publish_one_char(benchmark::State& state) {
  // 1,000 stray braces, one per line; the edit types a character on the last line.
  std::string text = "\\begin{document}\n";
  for (int i = 0; i < 1000; ++i) text.append(i % 7, ' ').append("some words a}\n");
  std::string typed = text;
  typed.pop_back();
  typed += "x\n";
  const server::AnalysisResult results[2] = {analyse(text, 1), analyse(typed, 2)};
  const auto encoding = protocol::PositionEncoding::Utf16;
  server::PublishWriter writer, cold;
  double json_s = 0, writer_s = 0, cold_s = 0;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const server::AnalysisResult& result = results[i++ % 2];
    auto t0 = std::chrono::steady_clock::now();
    std::string body = protocol::encode_notification("textDocument/publishDiagnostics",
                                                     server::publish_params(result, encoding));
    auto t1 = std::chrono::steady_clock::now();
    bytes = writer.write(result, encoding).size();
    auto t2 = std::chrono::steady_clock::now();
    cold.forget(result.snapshot->uri);  // as after an edit that moved every diagnostic
    benchmark::DoNotOptimize(cold.write(result, encoding).data());
    auto t3 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(body.data());
    json_s += std::chrono::duration<double>(t1 - t0).count();
    writer_s += std::chrono::duration<double>(t2 - t1).count();
    cold_s += std::chrono::duration<double>(t3 - t2).count();
  }
  double n = static_cast<double>(state.iterations());
  state.counters["json_us"] = json_s / n * 1e6;
  state.counters["writer_us"] = writer_s / n * 1e6;
  state.counters["writer_all_built_us"] = cold_s / n * 1e6;
  state.counters["ratio"] = json_s / writer_s;
  state.counters["diagnostics"] = static_cast<double>(results[0].diagnostics.size());
  state.counters["body_bytes"] = static_cast<double>(bytes);
}

// T0's share of a keystroke before any analysis: applying a one-character didChange to the
// benchmark file (a new immutable snapshot: text and line index).
void did_change_one_char(benchmark::State& state) {
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_smoke_big.tex",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  server::DocumentStore store;
  store.open("file:///big.tex", 1, "latex", std::move(text).str());
  protocol::TextDocumentContentChangeEvent typed;
  typed.range = protocol::Range{{15000, 3}, {15000, 3}};
  typed.text = "x";
  std::int64_t version = 2;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        store.change("file:///big.tex", version++, {typed}, protocol::PositionEncoding::Utf16));
  }
}

BENCHMARK(did_change_one_char)
    ->Name("did_change_one_char/perf_smoke_big")
    ->Unit(benchmark::kMicrosecond);

BENCHMARK(publish_one_char)
    ->Name("publish_one_char/1000_diagnostics")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
