// Analysis as a pure function of an immutable snapshot: lex, then run the rules. An Analyzer holds
// one worker's reusable arenas (tokens, diagnostic sink, rule scratch), so a job can run twice on
// two workers and give the same result. Threading: an Analyzer belongs to one thread.
#pragma once

#include <memory>
#include <vector>

#include "lexer/token.h"
#include "server/document_store.h"
#include "validators/diagnostic.h"
#include "validators/rule_config.h"
#include "validators/runner.h"

namespace perfectex::server {

using ConfigPtr = std::shared_ptr<const validators::RuleConfig>;

struct AnalysisResult {
  SnapshotPtr snapshot;
  std::vector<validators::Diagnostic> diagnostics;
  std::size_t token_count = 0;
  unsigned arena_growths = 0;
  /// Allocations inside the quiet-allocation guard (the lex and the rules): 0 on a warm worker.
  std::uint64_t hot_path_allocations = 0;
  double lex_ms = 0;
  double rules_ms = 0;
};

class Analyzer {
 public:
  Analyzer();
  AnalysisResult analyze(SnapshotPtr snapshot, const validators::RuleConfig& config);
  /// Grows the token arena for a text of this many bytes up front (a one-shot `check` lexes once
  /// instead of growing and re-lexing); documents denser than 1 token per 2 bytes still grow.
  void reserve_for(std::size_t text_bytes);
  const lexer::TokenBuffer& tokens() const { return tokens_; }

 private:
  lexer::TokenBuffer tokens_;
  validators::Workspace workspace_;
};

/// The kernel the lexer runs with.
std::string_view lexer_kernel_name();

}  // namespace perfectex::server
