// Microbenchmarks of the analysis path on the benchmark corpus: lexing alone, the rules alone and
// the whole analysis, with MB/s and tokens/s. Names are what/kernel/file so runs compare.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "lexer/incremental_lexer.h"
#include "lexer/kernel.h"
#include "lexer/lexer.h"
#include "server/analyzer.h"
#include "validators/project_facts.h"
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

// Scalar and the active (best) kernel timed in alternation in the same loop, so the ratio compares
// like with like on a shared machine: counters scalar_ms, best_ms and ratio (scalar / best).
void best_vs_scalar(benchmark::State& state, const Corpus& corpus) {
  lexer::TokenBuffer tokens(corpus.text.size() + 1);
  const lexer::Kernel& best = lexer::active_kernel();
  double scalar_s = 0, best_s = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    lexer::lex_document(corpus.text, tokens, &lexer::lex_scalar);
    auto t1 = std::chrono::steady_clock::now();
    lexer::lex_document(corpus.text, tokens, best.lex);
    auto t2 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(tokens.size());
    scalar_s += std::chrono::duration<double>(t1 - t0).count();
    best_s += std::chrono::duration<double>(t2 - t1).count();
  }
  double n = static_cast<double>(state.iterations());
  state.counters["scalar_ms"] = scalar_s / n * 1e3;
  state.counters["best_ms"] = best_s / n * 1e3;
  state.counters["ratio"] = scalar_s / best_s;
  state.SetLabel(std::string(best.name));
}

// The floor: one pass over the same bytes looking for a byte that is absent.
void memchr_floor(benchmark::State& state, const Corpus& corpus) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::memchr(corpus.text.data(), 0x01, corpus.text.size()));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.text.size()));
}

// A character typed into a word in the middle of the file and deleted again, alternately: each
// iteration is one relex (the stretch is lexed by the scalar reference, then spliced). Counters:
// the bytes and tokens relexed, and full_ms, a full lex with the best kernel in the same loop.
void relex_one_char(benchmark::State& state, const Corpus& corpus, char typed) {
  std::string before = corpus.text;
  std::size_t at = before.find(" the ", before.size() / 2) + 2;
  std::string after = before;
  after.insert(at, 1, typed);
  const auto pos = static_cast<std::uint32_t>(at);
  const lexer::TextEdit insert{pos, pos, pos + 1}, erase{pos, pos + 1, pos};
  lexer::IncrementalLexer incremental(before.size() + 2);
  lexer::TokenBuffer full(before.size() + 2);
  incremental.lex(before);
  bool inserted = false;
  double relex_s = 0, full_s = 0;
  lexer::RelexStats stats;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    stats = incremental.relex(inserted ? before : after, inserted ? erase : insert);
    auto t1 = std::chrono::steady_clock::now();
    lexer::lex_document(inserted ? before : after, full);
    auto t2 = std::chrono::steady_clock::now();
    inserted = !inserted;
    relex_s += std::chrono::duration<double>(t1 - t0).count();
    full_s += std::chrono::duration<double>(t2 - t1).count();
  }
  double n = static_cast<double>(state.iterations());
  state.counters["relex_us"] = relex_s / n * 1e6;
  state.counters["full_ms"] = full_s / n * 1e3;
  state.counters["ratio"] = full_s / relex_s;
  state.counters["bytes_relexed"] = stats.resync - stats.restart;
  state.counters["tokens_relexed"] = static_cast<double>(stats.tokens_lexed);
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

// What a file tells its project (validators/project_facts.h), from its tokens and macro table
// (the rules' run built it); with edges_only, what the braces, \begin and \end give alone
// (read_environments), which is read again after an edit that changed those and no other source.
void facts(benchmark::State& state, const Corpus& corpus, bool edges_only) {
  lexer::TokenBuffer tokens(corpus.text.size() + 1);
  lexer::lex_document(corpus.text, tokens);
  lexer::expand::MacroTable table;
  while (table.build(corpus.text, tokens) == lexer::expand::BuildStatus::CapacityExceeded) {
    table.reserve(table.capacity() * 2);
  }
  validators::FileFacts facts;
  validators::EnvironmentCheckpoints points;
  for (auto _ : state) {
    if (edges_only) {
      points.points.clear();  // the whole text
      validators::read_environments(corpus.text, tokens, table, facts, points);
    } else {
      facts = validators::extract_facts(corpus.text, tokens, table);
    }
    benchmark::DoNotOptimize(facts.environment_edges.size());
  }
  set_rates(state, corpus.text.size(), tokens.size());
}

// Two versions of the text that differ at both ends (a comment line before, a comment after),
// analysed in turn: the analyzer relexes only what changed, so one text analysed again would
// not be lexed at all.
std::array<server::SnapshotPtr, 2> two_versions(const Corpus& corpus) {
  auto a = std::make_shared<server::Snapshot>();
  a->text = corpus.text;
  auto b = std::make_shared<server::Snapshot>();
  b->text = "%\n" + corpus.text;
  b->text += "%";
  return {a, b};
}

// The text, and the text with c typed at byte at. Each knows the edit from the other, as the
// server's snapshots know the edits the client sent, so the analyzer does not compare the texts.
std::array<server::SnapshotPtr, 2> typed_apart(const std::string& text, std::size_t at, char c) {
  const auto byte = static_cast<std::uint32_t>(at);
  auto a = std::make_shared<server::Snapshot>();
  a->text = text;
  a->serial = 1;
  a->history[0] = {2, {byte, byte + 1, byte}};
  a->history_size = 1;
  auto b = std::make_shared<server::Snapshot>();
  b->text = text;
  b->text.insert(at, 1, c);
  b->serial = 2;
  b->history[0] = {1, {byte, byte, byte + 1}};
  b->history_size = 1;
  return {a, b};
}

// A letter typed in the middle of a paragraph halfway through, and taken back: the analyzer
// relexes a few tokens and the rules resume from their checkpoints.
std::array<server::SnapshotPtr, 2> one_letter_apart(const Corpus& corpus) {
  return typed_apart(corpus.text, corpus.text.find(" the ", corpus.text.size() / 2) + 2, 'x');
}

// A letter typed inside a \ref key halfway through, and taken back: the facts keep all but that
// key (move_facts), where a new extraction read the whole document.
// (perf_smoke_big has no key: only documents with a \ref have this benchmark.)
std::array<server::SnapshotPtr, 2> one_key_letter_apart(const Corpus& corpus) {
  std::size_t ref = corpus.text.find("\\ref{", corpus.text.size() / 2);
  if (ref == std::string::npos) ref = corpus.text.find("\\ref{");
  return typed_apart(corpus.text, ref + 6, 'x');
}

// An opening brace typed at a paragraph's start near the top, and taken back: the group stays
// open to the end of the document, so the rules cannot stop where the previous pass agrees.
std::array<server::SnapshotPtr, 2> one_brace_apart(const Corpus& corpus) {
  return typed_apart(corpus.text, corpus.text.find("\n\n", corpus.text.size() / 20) + 2, '{');
}

// A letter of an environment's name typed, as an editor that closes braces has it, and taken
// back: `\begin{lem}` becomes `\begin{lemm}` at a paragraph's start near the top. The frame it
// opens stays open to the end of the document under another name, so the rules run to the end.
std::array<server::SnapshotPtr, 2> one_name_letter_apart(const Corpus& corpus) {
  std::string text = corpus.text;
  const std::size_t at = text.find("\n\n", text.size() / 20) + 2;
  constexpr std::string_view kBegin = "\\begin{lem}\n";
  text.insert(at, kBegin);
  return typed_apart(text, at + kBegin.find('}'), 'm');
}

void analysis(benchmark::State& state, const Corpus& corpus) {
  server::Analyzer analyzer;
  validators::RuleConfig config;
  const auto versions = two_versions(corpus);
  std::size_t count = 0, i = 0;
  for (auto _ : state) {
    count = analyzer.analyze(versions[i++ % 2], config).token_count;
  }
  set_rates(state, corpus.text.size(), count);
}

// Analysis (lex + every default rule + facts) of two versions in turn, timed one run at a time
// so the distribution is visible: counters median_ms and p99_ms over all iterations (at least
// 200), and the medians of its parts.
void analysis_latency(benchmark::State& state, const Corpus& corpus,
                      std::array<server::SnapshotPtr, 2> (*versions_of)(const Corpus&)) {
  server::Analyzer analyzer;
  validators::RuleConfig config;
  const auto versions = versions_of(corpus);
  analyzer.analyze(versions[1], config);  // warm: arenas grown, pages touched
  std::vector<double> ms, lex, rules, facts;
  for (auto* v : {&ms, &lex, &rules, &facts}) v->reserve(1 << 16);
  std::size_t i = 0, resumed = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    server::AnalysisResult r = analyzer.analyze(versions[i++ % 2], config);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                     .count());
    lex.push_back(r.lex_ms);
    rules.push_back(r.rules_ms);
    facts.push_back(r.facts_ms);
    resumed += r.rules_resumed ? 1 : 0;
  }
  auto rank = [](std::vector<double>& v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
  };
  state.counters["median_ms"] = rank(ms, 0.5);
  state.counters["p99_ms"] = rank(ms, 0.99);
  state.counters["lex_ms"] = rank(lex, 0.5);
  state.counters["rules_ms"] = rank(rules, 0.5);
  state.counters["facts_ms"] = rank(facts, 0.5);
  state.counters["resumed"] = static_cast<double>(resumed) / static_cast<double>(ms.size());
  state.counters["runs"] = static_cast<double>(ms.size());
}

int register_all() {
  for (const Corpus& c : corpora()) {
    for (const lexer::Kernel& kernel : lexer::compiled_kernels()) {
      if (!lexer::kernel_supported(kernel)) continue;
      benchmark::RegisterBenchmark(("lex/" + std::string(kernel.name) + "/" + c.name).c_str(),
                                   lex_kernel, c, &kernel)
          ->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark(("lex_ratio/best_vs_scalar/" + c.name).c_str(), best_vs_scalar, c)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("memchr_floor/" + c.name).c_str(), memchr_floor, c)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("relex_one_char/scalar/" + c.name).c_str(), relex_one_char, c,
                                 'x')
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("relex_one_space/scalar/" + c.name).c_str(), relex_one_char, c,
                                 ' ')
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("facts/" + c.name).c_str(), facts, c, false)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("facts_edges/" + c.name).c_str(), facts, c, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("rules/all/" + c.name).c_str(), rules, c)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("analysis_latency/" + c.name).c_str(), analysis_latency, c,
                                 two_versions)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(400);
    benchmark::RegisterBenchmark(("analysis_keystroke/" + c.name).c_str(), analysis_latency, c,
                                 one_letter_apart)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1000);
    if (c.text.find("\\ref{") != std::string::npos) {
      benchmark::RegisterBenchmark(("analysis_in_key/" + c.name).c_str(), analysis_latency, c,
                                   one_key_letter_apart)
          ->Unit(benchmark::kMillisecond)
          ->Iterations(400);
    }
    benchmark::RegisterBenchmark(("analysis_brace/" + c.name).c_str(), analysis_latency, c,
                                 one_brace_apart)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(200);
    benchmark::RegisterBenchmark(("analysis_env_name/" + c.name).c_str(), analysis_latency, c,
                                 one_name_letter_apart)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(200);
    benchmark::RegisterBenchmark(
        ("analysis/" + std::string(lexer::active_kernel().name) + "/" + c.name).c_str(), analysis,
        c)
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}
const int kRegistered = register_all();

}  // namespace

BENCHMARK_MAIN();
