// The .bib parser and checks on the biggest corpus .bib file (stacks/my.bib, 210 KB, 704
// entries): the parse alone, and parse + checks as the analyzer runs them, in MB/s.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "validators/bib_parser.h"
#include "validators/bib_rules.h"

namespace {

using namespace perfectex;

const std::string& stacks_bib() {
  static const std::string text = [] {
    std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/stacks/my.bib", std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
  }();
  return text;
}

void set_rates(benchmark::State& state, std::size_t bytes, std::size_t entries) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["entries"] = static_cast<double>(entries);
}

// A warm BibFile: its vectors keep their capacity, as a worker's do between edits.
void BM_bib_parse(benchmark::State& state) {
  const std::string& text = stacks_bib();
  validators::BibFile file;
  for (auto _ : state) {
    validators::parse_bib(text, file);
    benchmark::DoNotOptimize(file.entries.data());
  }
  set_rates(state, text.size(), file.entries.size());
}
BENCHMARK(BM_bib_parse)->Name("bib_parse/stacks_my_bib");

void BM_bib_check(benchmark::State& state) {
  const std::string& text = stacks_bib();
  validators::BibWorkspace ws;
  validators::RuleConfig config;
  for (auto _ : state) {
    validators::run_bib(text, config, ws);
    benchmark::DoNotOptimize(ws.sink.items().data());
  }
  set_rates(state, text.size(), ws.file.entries.size());
}
BENCHMARK(BM_bib_check)->Name("bib_parse_and_check/stacks_my_bib");

}  // namespace
