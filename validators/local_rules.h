// The families whose findings about an item (an event, a text, a math span of the mode tracker)
// depend on that item and the tokens of its paragraph alone: math, typography, quotes and dashes,
// deprecated commands. After an edit they look only at the mode tracker's window and keep their
// previous findings outside it, moved. A check added to them must keep to that; the oracle of
// tests/validators/incremental_rules_tests.cpp compares resumed runs with whole ones.
// Threading: a LocalScratch belongs to one worker.
#pragma once

#include "lexer/incremental_lexer.h"
#include "validators/diagnostic.h"
#include "validators/mode_tracker.h"
#include "validators/rule_context.h"
#include "validators/suppression.h"

namespace perfectex::validators {

/// Kept from one run to the next.
struct LocalScratch {
  DiagnosticSink found;       ///< their findings, in the order sort() gives
  DiagnosticSink window;      ///< a resumed run's findings in the window (scratch)
  Suppressions suppressions;  ///< the suppressions found was filtered with
  DeclarationState declared;  ///< what the document declared (the families read it)
  bool valid = false;         ///< found is a whole run's, or one resumed from it
  bool overflowed = false;    ///< found had no room: the caller grows it and runs again
  void reserve(std::size_t capacity) {
    found.reserve(capacity);
    window.reserve(capacity);
  }
};

/// Runs the families over the whole document into scratch.found (ctx.out gives the settings;
/// suppressions are the document's).
void check_local(const RuleContext& ctx, const ModeScratch& modes, const Suppressions& suppressions,
                 LocalScratch& scratch);
/// The same, after edit, when the mode tracker resumed and went over the tokens of window: runs
/// the families over the window only and keeps the previous findings before and after it, moved.
/// Returns false, having done nothing, when the previous findings cannot be kept (the document's
/// declarations or suppressions changed); the caller then runs the whole.
bool check_local(const RuleContext& ctx, const ModeScratch& modes, const Suppressions& suppressions,
                 LocalScratch& scratch, const lexer::TokenEdit& edit, TokenWindow window);

}  // namespace perfectex::validators
