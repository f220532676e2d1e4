// Runs every enabled rule family over a lexed document. A Workspace holds the sink and scratch
// space of one worker, reserved up front so the rules allocate nothing on the warm path; when a
// document has more diagnostics than the sink holds, the sink grows and the rules run again.
// Threading: a Workspace belongs to one worker thread.
#pragma once

#include <string_view>

#include "lexer/expand/expansion_view.h"
#include "lexer/expand/macro_table.h"
#include "lexer/token.h"
#include "validators/diagnostic.h"
#include "validators/rule_config.h"
#include "validators/structure_rules.h"

namespace perfectex::validators {

struct Workspace {
  DiagnosticSink sink;
  StructureScratch structure;
  lexer::expand::MacroTable macros;
  lexer::expand::ExpansionScratch expansion;
  lexer::expand::ExpansionLimits limits;
};

struct RunStats {
  std::size_t diagnostics = 0;
  unsigned growths = 0;
  /// Allocations inside the guarded runs (macro table, expansion, rules): 0 when warm.
  std::uint64_t hot_allocations = 0;
};

/// Builds the macro table, then runs the rules over the expanded stream. Results are in
/// ws.sink.items(), sorted by position.
RunStats run_rules(std::string_view text, const lexer::TokenBuffer& tokens,
                   const RuleConfig& config, Workspace& ws);

}  // namespace perfectex::validators
