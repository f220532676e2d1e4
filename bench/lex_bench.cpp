// Microbenchmarks of the analysis path on the benchmark corpus: lexing alone, the rules alone and
// the whole analysis, with MB/s and tokens/s. Names are what/kernel/file so runs compare.
#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "lexer/kernel.h"
#include "lexer/lexer.h"
#include "server/analyzer.h"
#include "validators/runner.h"

namespace {

using namespace perfectex;

std::string read_corpus(const std::string& relative) {
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

struct Corpus {
  std::string name;
  std::string text;
};

const std::vector<Corpus>& corpora() {
  static const std::vector<Corpus> files = {
      {"perf_smoke_big", read_corpus("perf/perf_smoke_big.tex")},
      {"hott_big", read_corpus("perf/hott_big.tex")},
  };
  return files;
}

void set_rates(benchmark::State& state, std::size_t bytes, std::size_t tokens) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens),
                                                  benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tokens"] = static_cast<double>(tokens);
}

void lex_kernel(benchmark::State& state, const Corpus& corpus, const lexer::Kernel* kernel) {
  lexer::TokenBuffer tokens(corpus.text.size() + 1);
  std::size_t count = 0;
  for (auto _ : state) {
    count = lexer::lex_document(corpus.text, tokens, kernel->lex).token_count;
    benchmark::DoNotOptimize(tokens.size());
  }
  set_rates(state, corpus.text.size(), count);
}

// The floor: one pass over the same bytes looking for a byte that is absent.
void memchr_floor(benchmark::State& state, const Corpus& corpus) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::memchr(corpus.text.data(), 0x01, corpus.text.size()));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.text.size()));
}

void rules(benchmark::State& state, const Corpus& corpus) {
  lexer::TokenBuffer tokens(corpus.text.size() + 1);
  lexer::lex_document(corpus.text, tokens);
  validators::RuleConfig config;
  validators::Workspace ws;
  for (auto _ : state) {
    benchmark::DoNotOptimize(validators::run_rules(corpus.text, tokens, config, ws).diagnostics);
  }
  set_rates(state, corpus.text.size(), tokens.size());
}

void analysis(benchmark::State& state, const Corpus& corpus) {
  server::Analyzer analyzer;
  validators::RuleConfig config;
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->text = corpus.text;
  std::size_t count = 0;
  for (auto _ : state) {
    count = analyzer.analyze(snapshot, config).token_count;
  }
  set_rates(state, corpus.text.size(), count);
}

int register_all() {
  for (const Corpus& c : corpora()) {
    for (const lexer::Kernel& kernel : lexer::compiled_kernels()) {
      if (!lexer::kernel_supported(kernel)) continue;
      benchmark::RegisterBenchmark(("lex/" + std::string(kernel.name) + "/" + c.name).c_str(),
                                   lex_kernel, c, &kernel)
          ->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark(("memchr_floor/" + c.name).c_str(), memchr_floor, c)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("rules/F1/" + c.name).c_str(), rules, c)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("analysis/scalar/" + c.name).c_str(), analysis, c)
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}
const int kRegistered = register_all();

}  // namespace

BENCHMARK_MAIN();
