// Analysis as a pure function of an immutable snapshot: lex, then expand the user's macros (L1)
// and run the rules over the expanded stream (or, for a .bib document, parse it and run the F7
// checks). An Analyzer holds one worker's reusable arenas
// (tokens, macro table, expansion scratch, diagnostic sink, rule scratch, .bib parse) and the
// snapshot it lexed last: the next one is relexed incrementally from their difference, with the
// same tokens a full lex gives, so a job can run twice on two workers with the same result.
// Threading: an Analyzer belongs to one thread.
#pragma once

#include <memory>
#include <vector>

#include "lexer/expand/prelude.h"
#include "lexer/incremental_lexer.h"
#include "lexer/token.h"
#include "server/document_kind.h"
#include "server/document_store.h"
#include "validators/bib_rules.h"
#include "validators/diagnostic.h"
#include "validators/project_facts.h"
#include "validators/rule_config.h"
#include "validators/runner.h"

namespace perfectex::server {

using ConfigPtr = std::shared_ptr<const validators::RuleConfig>;

struct AnalysisResult {
  SnapshotPtr snapshot;
  std::vector<validators::Diagnostic> diagnostics;
  std::size_t token_count = 0;
  unsigned arena_growths = 0;
  /// Allocations inside the quiet-allocation guards (lex, macro table, expansion, rules): 0 on a
  /// warm worker.
  std::uint64_t hot_path_allocations = 0;
  bool incremental = false;  ///< relexed from the previous snapshot rather than lexed whole
  /// What the document tells its project (includes, labels, references, ...).
  std::shared_ptr<const validators::FileFacts> facts;
  /// The prelude the diagnostics were computed with (null: none); names they quote from it
  /// (Diagnostic::in_prelude) are rendered with its text.
  std::shared_ptr<const lexer::expand::Prelude> prelude;
  double lex_ms = 0;
  double rules_ms = 0;  ///< for a .bib document, the parse and its checks
};

class Analyzer {
 public:
  Analyzer();
  /// prelude: definitions in effect from the document's start (a project's preamble and macro
  /// files). The relex depends on the text only; the macro table is built anew on each call.
  AnalysisResult analyze(SnapshotPtr snapshot, const validators::RuleConfig& config,
                         std::shared_ptr<const lexer::expand::Prelude> prelude = nullptr);
  /// Grows the token arena for a text of this many bytes up front (a one-shot `check` lexes once
  /// instead of growing and re-lexing); documents denser than 1 token per 2 bytes still grow.
  void reserve_for(std::size_t text_bytes);
  const lexer::TokenBuffer& tokens() const { return lexer_.tokens(); }

  /// Changes larger than this are lexed whole by the vector kernel, not relexed by the scalar one.
  static constexpr std::uint32_t kMaxRelexBytes = 64 * 1024;

 private:
  AnalysisResult analyze_bib(SnapshotPtr snapshot, const validators::RuleConfig& config);

  lexer::IncrementalLexer lexer_;
  SnapshotPtr lexed_;  ///< the snapshot lexer_'s tokens describe
  validators::Workspace workspace_;
  validators::BibWorkspace bib_;
};

/// The kernel the lexer runs with.
std::string_view lexer_kernel_name();

}  // namespace perfectex::server
