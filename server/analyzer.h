// Analysis as a pure function of an immutable snapshot: lex, then expand the user's macros (L1)
// and run the rules over the expanded stream (or, for a .bib document, parse it and run the F7
// checks). An Analyzer holds one worker's reusable arenas
// (tokens, macro table, expansion scratch, diagnostic sink, rule scratch, .bib parse) and the
// snapshot it lexed last: the next one is relexed incrementally from their difference, with the
// same tokens a full lex gives, so a job can run twice on two workers with the same result.
// Threading: an Analyzer belongs to one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
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

/// What a document's project tells its analysis; made on T0, shared read-only with the workers.
struct AnalysisContext {
  /// LaTeX: the definitions of the files read before it, in force from its first byte.
  std::shared_ptr<const lexer::expand::Prelude> prelude;
  /// .bib: the @string names that the bibliography files read before it define.
  std::vector<std::string> bib_strings;
  friend bool operator==(const AnalysisContext& a, const AnalysisContext& b) {
    auto text = [](const AnalysisContext& c) {
      return c.prelude ? std::string_view(c.prelude->text) : std::string_view();
    };
    return text(a) == text(b) && a.bib_strings == b.bib_strings;
  }
};
using ContextPtr = std::shared_ptr<const AnalysisContext>;

struct AnalysisResult {
  SnapshotPtr snapshot;
  std::vector<validators::Diagnostic> diagnostics;
  std::size_t token_count = 0;
  unsigned arena_growths = 0;
  /// Allocations inside the quiet-allocation guards (lex, macro table, expansion, rules): 0 on a
  /// warm worker.
  std::uint64_t hot_path_allocations = 0;
  bool incremental = false;  ///< relexed from the previous snapshot rather than lexed whole
  bool rules_resumed = false;  ///< the rules resumed from the previous analysis (runner.h)
  /// What the document tells its project (includes, labels, references, ...).
  std::shared_ptr<const validators::FileFacts> facts;
  /// The facts are the previous analysis's, moved by the edit (move_facts), some read again.
  bool facts_moved = false;
  /// When each of the facts is one of the previous analysis's facts, moved: those.
  std::shared_ptr<const validators::FileFacts> facts_moved_from;
  /// The context the diagnostics were computed with (null: none); names they quote from its
  /// prelude (Diagnostic::in_prelude) are rendered with prelude_text().
  ContextPtr context;
  std::string_view prelude_text() const {
    return context && context->prelude ? std::string_view(context->prelude->text)
                                       : std::string_view();
  }
  double lex_ms = 0;
  double rules_ms = 0;  ///< for a .bib document, the parse and its checks
  double facts_ms = 0;  ///< what the file tells its project
};

class Analyzer {
 public:
  Analyzer();
  /// context: what the document's project tells it (for LaTeX, the definitions in effect from
  /// its start). The relex depends on the text only; the macro table is built anew on each call.
  AnalysisResult analyze(SnapshotPtr snapshot, const validators::RuleConfig& config,
                         ContextPtr context = nullptr);
  const lexer::TokenBuffer& tokens() const { return lexer_.tokens(); }
  /// Where the environments of the last facts were read (tests set the spacing small).
  validators::EnvironmentCheckpoints& environment_checkpoints() { return environments_; }

  /// Changes larger than this are lexed whole by the vector kernel, not relexed by the scalar one.
  static constexpr std::uint32_t kMaxRelexBytes = 64 * 1024;

 private:
  AnalysisResult analyze_bib(SnapshotPtr snapshot, const validators::RuleConfig& config,
                             ContextPtr context);

  lexer::IncrementalLexer lexer_;
  SnapshotPtr lexed_;  ///< the snapshot lexer_'s tokens describe
  ContextPtr ruled_context_;                            ///< the context workspace_'s last run had
  std::shared_ptr<const validators::FileFacts> facts_;  ///< of the snapshot lexer_ describes
  /// Where the environments of facts_ were read (read_environments), for the next read.
  validators::EnvironmentCheckpoints environments_;
  validators::Workspace workspace_;
  validators::BibWorkspace bib_;
  std::vector<std::string_view> bib_strings_;  ///< the context's, for run_bib
};

/// The kernel the lexer runs with.
std::string_view lexer_kernel_name();

}  // namespace perfectex::server
