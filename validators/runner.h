// Runs every enabled rule family over a lexed document: the mode tracker's pass, then each family
// over the tracker's events. A Workspace holds the sink and scratch space of one worker, reserved
// up front so the rules allocate nothing on the warm path; when a document has more diagnostics
// (or labels) than the scratch holds, it grows and the rules run again.
// Threading: a Workspace belongs to one worker thread.
#pragma once

#include <string_view>

#include "lexer/token.h"
#include "validators/diagnostic.h"
#include "validators/rule_config.h"
#include "validators/mode_tracker.h"
#include "validators/reference_rules.h"
#include "validators/structure_rules.h"
#include "validators/suppression.h"

namespace perfectex::validators {

struct Workspace {
  DiagnosticSink sink;
  StructureScratch structure;
  ModeScratch modes;
  ReferenceScratch references;
  Suppressions suppressions;
};

struct RunStats {
  std::size_t diagnostics = 0;
  unsigned growths = 0;
};

/// Sizes the workspace's per-token scratch for a document of token_count tokens; call it before
/// a guarded run_rules so that the run itself allocates nothing.
void prepare_workspace(Workspace& ws, std::size_t token_count);

/// Results are in ws.sink.items(), sorted by position.
RunStats run_rules(std::string_view text, const lexer::TokenBuffer& tokens,
                   const RuleConfig& config, Workspace& ws);

}  // namespace perfectex::validators
