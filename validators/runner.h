// Runs every enabled rule family over a lexed document: L1's macro table and expansion view, the
// mode tracker's pass, then each family (F1 over the expanded stream); after an edit, the mode
// tracker and F1 resume from checkpoints, the local families (local_rules.h) look at the
// tracker's window only, the sequential ones (sequential_rules.h) run from a mark before it to
// one after it, and the references keep their findings when no \ref or \label is in it. A
// Workspace holds the sink and scratch space of one worker, reserved up front so the rules
// allocate nothing on the warm path; when a document has more diagnostics (or labels) than the
// scratch holds, it grows and the rules run again.
// Threading: a Workspace belongs to one worker thread.
#pragma once

#include <string_view>

#include "lexer/expand/expansion_view.h"
#include "lexer/expand/macro_table.h"
#include "lexer/expand/prelude.h"
#include "lexer/token.h"
#include "validators/diagnostic.h"
#include "validators/local_rules.h"
#include "validators/mode_tracker.h"
#include "validators/reference_rules.h"
#include "validators/rule_config.h"
#include "validators/sequential_rules.h"
#include "validators/structure_rules.h"
#include "validators/suppression.h"

namespace perfectex::validators {

struct Workspace {
  DiagnosticSink sink;
  StructureScratch structure;
  lexer::expand::MacroTable macros;
  lexer::expand::ExpansionScratch expansion;
  lexer::expand::ExpansionLimits limits;
  ModeScratch modes;
  ReferenceScratch references;
  LocalScratch local;
  SequentialScratch sequential;
  Suppressions suppressions;
  // What the last run was made with, for the next to resume from it (run_rules keeps these).
  bool resumable = false;
  RuleConfig config;
  const lexer::expand::MacroTable* base = nullptr;
  std::vector<lexer::expand::Region> previous_regions;
  std::vector<lexer::expand::Definition> previous_definitions;
};

struct RunStats {
  std::size_t diagnostics = 0;
  unsigned growths = 0;
  /// Allocations inside the guarded runs (macro table, expansion, rules): 0 when warm.
  std::uint64_t hot_allocations = 0;
  /// Resumed after an edit (mode tracker and F1 from checkpoints before it).
  bool resumed = false;
  /// When resumed: the token F1 stopped after (the number of tokens when it read to the end).
  std::size_t resumed_at = 0;
  /// The local families looked at the mode tracker's window only (local_rules.h).
  bool local_windowed = false;
  /// The sequential families ran from a mark before the window to one after it
  /// (sequential_rules.h).
  bool sequential_windowed = false;
  /// The references family kept its previous findings, moved (reference_rules.h).
  bool references_windowed = false;
  /// The macro table was moved with the edit rather than built again (MacroTable::shift).
  bool table_moved = false;
};

/// Sizes the workspace's per-token scratch for a document of token_count tokens (run_rules does
/// it too, outside its guarded section).
void prepare_workspace(Workspace& ws, std::size_t token_count);

/// Builds the macro table (on the prelude's, when given: its definitions are in effect from the
/// document's start), then runs every family: the mode tracker's pass, F1 over the expanded
/// stream, the others over the tracker's events. Results are in ws.sink.items(), sorted by
/// position; names quoted from the prelude are marked in Diagnostic::in_prelude.
///
/// edit: what changed since the tokens of this workspace's last run. The mode tracker and F1 then
/// resume from their checkpoints before it and stop where their state meets the last run's
/// (when the settings and the prelude are the same, and the edit touches no definition); the
/// diagnostics are the same as a run over the whole document.
RunStats run_rules(std::string_view text, const lexer::TokenBuffer& tokens,
                   const RuleConfig& config, Workspace& ws,
                   const lexer::expand::Prelude* prelude = nullptr,
                   const lexer::TokenEdit* edit = nullptr);

}  // namespace perfectex::validators
