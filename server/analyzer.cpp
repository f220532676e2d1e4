#include "server/analyzer.h"

#include <chrono>

#include "lexer/kernel.h"
#include "lexer/lexer.h"
#include "lexer/quiet_allocation_guard.h"

namespace perfectex::server {
namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

Analyzer::Analyzer() : tokens_(1 << 16) {}

AnalysisResult Analyzer::analyze(SnapshotPtr snapshot, const validators::RuleConfig& config) {
  AnalysisResult result;
  std::string_view text = snapshot->text;
  auto t0 = std::chrono::steady_clock::now();
  lexer::LexStats lex = lexer::lex_document(text, tokens_);
  result.lex_ms = ms_since(t0);
  validators::prepare_workspace(workspace_, tokens_.size());  // growth, outside the guard
  auto t1 = std::chrono::steady_clock::now();
  validators::RunStats run;
  std::uint64_t rule_allocations = 0;
  {
    lexer::QuietAllocationGuard guard;
    run = validators::run_rules(text, tokens_, config, workspace_);
    rule_allocations = guard.allocations();
  }
  result.rules_ms = ms_since(t1);
  result.token_count = lex.token_count;
  result.arena_growths = lex.growths + run.growths;
  result.hot_path_allocations = lex.hot_allocations + rule_allocations;
  result.diagnostics = workspace_.sink.items();
  result.snapshot = std::move(snapshot);
  return result;
}

void Analyzer::reserve_for(std::size_t text_bytes) {
  std::size_t want = text_bytes / 2 + 1024;
  if (tokens_.capacity() < want) tokens_.reserve(want);
}

std::string_view lexer_kernel_name() {
  return lexer::active_kernel().name;
}

}  // namespace perfectex::server
