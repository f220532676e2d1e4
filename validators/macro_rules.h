// F13, user macros (needs L1): a missing argument of a user macro, a macro used before the
// document defines it, \newcommand of a name the document or its prelude already defined, and
// expansions that do not end within the bounds. Reads the macro table and the view's events.
// Threading: runs on the worker that owns the table and the view's scratch.
#pragma once

#include <span>

#include "lexer/expand/expansion_view.h"
#include "validators/rule_context.h"

namespace perfectex::validators {

void check_macros(const RuleContext& ctx, const lexer::expand::MacroTable& table,
                  std::span<const lexer::expand::Event> events);

/// Marks d as found inside the expansion of macro (a table index; kNone: not in an expansion):
/// the name of a command as written at the start of d.range, or a user environment's name (in
/// the prelude's text, marked in d.in_prelude, for an environment of the prelude).
void set_expansion(Diagnostic& d, const lexer::expand::MacroTable& table, std::uint32_t macro);

}  // namespace perfectex::validators
