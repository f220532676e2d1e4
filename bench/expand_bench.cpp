// L1 against L0 on the same bytes: the macro table plus the expansion view drained (expand/), the
// same drained with F1's kind mask (expand_masked/: what F1 pays for its view), and the macro
// table, the view and the rules that consume it (expand_f1/), next to lexing alone (lex/).
// l1_ratio/ times them in alternation in one loop and reports each over lex, so the ratios
// compare like with like on a shared machine; with them, the table built alone (table/lex) and
// built then asked about every control word (table_lookups/lex): the part of expand/lex that an
// L1 which must tell the user's macros from the rest pays before its view does anything.
#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "lexer/expand/expansion_view.h"
#include "lexer/lexer.h"
#include "validators/runner.h"
#include "validators/structure_rules.h"

namespace {

using namespace perfectex;

struct Document {
  std::string name;
  std::string text;
  lexer::TokenBuffer tokens;
};

Document load(const std::string& name, const std::string& relative) {
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  Document doc{name, std::move(s).str(), lexer::TokenBuffer()};
  lexer::lex_document(doc.text, doc.tokens);
  return doc;
}

std::vector<Document>& documents() {
  static std::vector<Document> docs = [] {
    std::vector<Document> d;
    d.push_back(load("hott_big", "perf/hott_big.tex"));
    d.push_back(load("perf_macro_dense", "perf/perf_macro_dense.tex"));
    return d;
  }();
  return docs;
}

// Builds the table and drains the view (every item, or those of the kinds in mask); returns the
// number of items.
std::size_t expand_all(const Document& doc, lexer::expand::MacroTable& table,
                       lexer::expand::ExpansionScratch& scratch,
                       lexer::expand::KindMask mask = ~lexer::expand::KindMask{0}) {
  table.build(doc.text, doc.tokens);
  lexer::expand::ExpansionView view(doc.text, doc.tokens, table, scratch);
  lexer::expand::Item item;
  std::size_t n = 0;
  if (mask == ~lexer::expand::KindMask{0}) {
    while (view.next(item)) ++n;
  } else {
    while (view.next(item, mask)) ++n;
  }
  return n;
}

template <lexer::expand::KindMask Mask>
void expand(benchmark::State& state, const Document* doc) {
  lexer::expand::MacroTable table;
  lexer::expand::ExpansionScratch scratch;
  std::size_t items = 0;
  for (auto _ : state) benchmark::DoNotOptimize(items = expand_all(*doc, table, scratch, Mask));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc->text.size()));
  state.counters["items"] = static_cast<double>(items);
  state.counters["tokens"] = static_cast<double>(doc->tokens.size());
}

void expand_f1(benchmark::State& state, const Document* doc) {
  validators::RuleConfig config;
  validators::Workspace ws;
  for (auto _ : state) {
    benchmark::DoNotOptimize(validators::run_rules(doc->text, doc->tokens, config, ws).diagnostics);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc->text.size()));
}

void lex(benchmark::State& state, const Document* doc) {
  lexer::TokenBuffer tokens(doc->text.size() + 1);
  for (auto _ : state) benchmark::DoNotOptimize(lexer::lex_document(doc->text, tokens).token_count);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc->text.size()));
}

// What any L1 pays before its view does anything: the table built, then every control word of
// the document looked up in it (the sum of the answers, so that none is optimised away).
std::uint64_t build_and_look_up(const Document& doc, lexer::expand::MacroTable& table) {
  table.build(doc.text, doc.tokens);
  std::uint64_t found = 0;
  for (std::uint32_t i = 0; i < doc.tokens.size(); ++i) {
    if (doc.tokens.kind(i) != lexer::TokenKind::ControlWord) continue;
    std::string_view name(doc.text.data() + doc.tokens.begin(i) + 1, doc.tokens.length(i) - 1);
    found += table.lookup(lexer::expand::Namespace::Command, name, doc.tokens.begin(i));
  }
  return found;
}

void ratio(benchmark::State& state, const Document* doc) {
  lexer::TokenBuffer tokens(doc->text.size() + 1);
  lexer::expand::MacroTable table;
  lexer::expand::ExpansionScratch scratch;
  validators::RuleConfig config;
  validators::Workspace ws;
  double lex_s = 0, table_s = 0, lookups_s = 0, expand_s = 0, masked_s = 0, f1_s = 0;
  using clock = std::chrono::steady_clock;
  for (auto _ : state) {
    auto t0 = clock::now();
    benchmark::DoNotOptimize(lexer::lex_document(doc->text, tokens).token_count);
    auto t1 = clock::now();
    table.build(doc->text, doc->tokens);
    auto ta = clock::now();
    benchmark::DoNotOptimize(build_and_look_up(*doc, table));
    auto tb = clock::now();
    benchmark::DoNotOptimize(expand_all(*doc, table, scratch));
    auto t2 = clock::now();
    benchmark::DoNotOptimize(expand_all(*doc, table, scratch, validators::kStructureKinds));
    auto t3 = clock::now();
    benchmark::DoNotOptimize(validators::run_rules(doc->text, doc->tokens, config, ws).diagnostics);
    auto t4 = clock::now();
    lex_s += std::chrono::duration<double>(t1 - t0).count();
    table_s += std::chrono::duration<double>(ta - t1).count();
    lookups_s += std::chrono::duration<double>(tb - ta).count();
    expand_s += std::chrono::duration<double>(t2 - tb).count();
    masked_s += std::chrono::duration<double>(t3 - t2).count();
    f1_s += std::chrono::duration<double>(t4 - t3).count();
  }
  double n = static_cast<double>(state.iterations());
  state.counters["lex_ms"] = lex_s / n * 1e3;
  state.counters["expand_ms"] = expand_s / n * 1e3;
  state.counters["expand_f1_ms"] = f1_s / n * 1e3;
  state.counters["expand_masked_ms"] = masked_s / n * 1e3;
  state.counters["table/lex"] = table_s / lex_s;
  state.counters["table_lookups/lex"] = lookups_s / lex_s;
  state.counters["expand/lex"] = expand_s / lex_s;
  state.counters["expand_masked/lex"] = masked_s / lex_s;
  state.counters["expand_f1/lex"] = f1_s / lex_s;
}

int register_all() {
  for (Document& d : documents()) {
    benchmark::RegisterBenchmark(("l1/lex/" + d.name).c_str(), lex, &d)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("expand/" + d.name).c_str(),
                                 expand<~lexer::expand::KindMask{0}>, &d)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("expand_masked/" + d.name).c_str(),
                                 expand<validators::kStructureKinds>, &d)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("expand_f1/" + d.name).c_str(), expand_f1, &d)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("l1_ratio/" + d.name).c_str(), ratio, &d)
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}
const int kRegistered = register_all();

}  // namespace
