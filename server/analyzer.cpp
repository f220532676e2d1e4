#include "server/analyzer.h"

#include <chrono>

#include "lexer/kernel.h"
#include "lexer/lexer.h"
#include "lexer/quiet_allocation_guard.h"
#include "validators/facts_after_edit.h"

namespace perfectex::server {
namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

Analyzer::Analyzer() : lexer_(1 << 16) {}

AnalysisResult Analyzer::analyze(SnapshotPtr snapshot, const validators::RuleConfig& config,
                                 ContextPtr context) {
  if (document_kind(snapshot->language_id, snapshot->uri) == DocumentKind::Bibtex) {
    return analyze_bib(std::move(snapshot), config, std::move(context));
  }
  const lexer::expand::Prelude* prelude = context ? context->prelude.get() : nullptr;
  AnalysisResult result;
  std::string_view text = snapshot->text;
  const SnapshotPtr previous = lexed_;  // its text, for what the edit took away
  auto t0 = std::chrono::steady_clock::now();
  lexer::TextEdit edit;
  if (lexed_ != nullptr) edit = edit_between(*lexed_, *snapshot);
  result.incremental = lexed_ != nullptr && edit.old_end - edit.begin <= kMaxRelexBytes &&
                       edit.new_end - edit.begin <= kMaxRelexBytes;
  lexer::TokenEdit changed;
  if (result.incremental) {
    lexer::RelexStats lex = lexer_.relex(text, edit);
    changed = lex.changed;
    result.token_count = lex.token_count;
    result.arena_growths = lex.growths;
    result.hot_path_allocations = lex.hot_allocations;
  } else {
    lexer::LexStats lex = lexer_.lex(text);
    result.token_count = lex.token_count;
    result.arena_growths = lex.growths;
    result.hot_path_allocations = lex.hot_allocations;
  }
  lexed_ = snapshot;
  result.lex_ms = ms_since(t0);
  auto t1 = std::chrono::steady_clock::now();
  // The rules resume from the last run when it was over the tokens before the edit, with the
  // same prelude (held here, so that its address is never another's).
  auto prelude_of = [](const ContextPtr& c) { return c ? c->prelude.get() : nullptr; };
  const bool resume = result.incremental && prelude_of(ruled_context_) == prelude;
  validators::RunStats run = validators::run_rules(text, lexer_.tokens(), config, workspace_,
                                                   prelude, resume ? &changed : nullptr);
  ruled_context_ = context;
  result.rules_resumed = run.resumed;
  result.rules_ms = ms_since(t1);
  result.arena_growths += run.growths;
  result.hot_path_allocations += run.hot_allocations;
  result.diagnostics = workspace_.sink.items();
  auto t2 = std::chrono::steady_clock::now();
  // An edit away from every command the facts were read from, that makes no such command and
  // changes no definition or \iffalse block, leaves the facts as they were (but what the braces,
  // \begin and \end give, read again when it changed those); one inside a label, reference or
  // citation key changes that key only.
  std::optional<validators::MovedFacts> moved;
  const lexer::TokenBuffer& tokens = lexer_.tokens();
  const std::string_view removed =
      result.incremental
          ? std::string_view(previous->text).substr(edit.begin, edit.old_end - edit.begin)
          : std::string_view();
  if (result.incremental && facts_ != nullptr &&
      validators::keeps_facts(text, tokens, changed, run.resumed)) {
    const auto before_end = static_cast<std::uint32_t>(
        tokens.begin(changed.new_end) - changed.bytes.new_end + changed.bytes.old_end);
    moved = validators::move_facts(*facts_, changed, {tokens.begin(changed.first), before_end},
                                   text, tokens, workspace_.macros, removed, environments_);
  }
  result.facts = std::make_shared<const validators::FileFacts>(
      moved ? std::move(moved->facts)
            : validators::extract_facts(text, lexer_.tokens(), workspace_.macros));
  result.facts_moved = moved.has_value();
  if (!moved) environments_.points.clear();  // they were read for the facts before
  if (moved && moved->only_moved) result.facts_moved_from = std::move(facts_);
  facts_ = result.facts;
  result.facts_ms = ms_since(t2);
  result.snapshot = std::move(snapshot);
  result.context = std::move(context);
  return result;
}

// A .bib document is parsed whole each time: it is small next to a LaTeX document and the parse
// runs at hundreds of MB/s (bench/bib_bench.cpp). Its tokens are not lexed, so lexed_ stays.
AnalysisResult Analyzer::analyze_bib(SnapshotPtr snapshot, const validators::RuleConfig& config,
                                     ContextPtr context) {
  AnalysisResult result;
  auto t0 = std::chrono::steady_clock::now();
  bib_strings_.clear();
  if (context) bib_strings_.assign(context->bib_strings.begin(), context->bib_strings.end());
  lexer::QuietAllocationGuard guard;
  validators::RunStats run = validators::run_bib(snapshot->text, config, bib_, bib_strings_);
  result.hot_path_allocations = guard.allocations();  // 0 once the workspace is warm
  result.rules_ms = ms_since(t0);                     // the parse and the checks
  result.arena_growths = run.growths;
  result.diagnostics = bib_.sink.items();
  result.snapshot = std::move(snapshot);
  result.context = std::move(context);
  return result;
}

std::string_view lexer_kernel_name() {
  return lexer::active_kernel().name;
}

}  // namespace perfectex::server
