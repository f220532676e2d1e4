#include "validators/runner.h"

#include <algorithm>

#include "lexer/quiet_allocation_guard.h"
#include "validators/deprecated_rules.h"
#include "validators/float_rules.h"
#include "validators/macro_rules.h"
#include "validators/math_rules.h"
#include "validators/quote_dash_rules.h"
#include "validators/sectioning_rules.h"
#include "validators/typography_rules.h"
#include "validators/verbatim_rules.h"

namespace perfectex::validators {

void prepare_workspace(Workspace& ws, std::size_t token_count) {
  ws.modes.prepare(token_count);
}

RunStats run_rules(std::string_view text, const lexer::TokenBuffer& tokens,
                   const RuleConfig& config, Workspace& ws, const lexer::expand::Prelude* prelude) {
  RunStats stats;
  prepare_workspace(ws, tokens.size());
  const lexer::expand::MacroTable* base = prelude != nullptr ? &prelude->table : nullptr;
  for (;;) {
    bool table_full = false;
    {
      // Only the runs are guarded: growing what overflowed below may allocate.
      lexer::QuietAllocationGuard guard;
      ws.sink.clear();
      table_full =
          ws.macros.build(text, tokens, base) == lexer::expand::BuildStatus::CapacityExceeded;
      if (!table_full) {
        Emitter out(config, ws.sink);
        RuleContext ctx{text, tokens, out};
        track_modes(ctx, ws.modes);
        read_suppressions(ctx, ws.modes, ws.suppressions);
        out.set_suppressions(&ws.suppressions);
        lexer::expand::ExpansionView view(text, tokens, ws.macros, ws.expansion, ws.limits);
        check_structure(ctx, view, ws.structure, ws.modes);
        check_macros(ctx, ws.macros, ws.expansion.events());
        check_verbatim(ctx, ws.modes);
        check_math(ctx, ws.modes);
        check_typography(ctx, ws.modes);
        check_quotes_dashes(ctx, ws.modes);
        check_references(ctx, ws.modes, ws.references);
        check_deprecated(ctx, ws.modes);
        check_floats(ctx, ws.modes);
        check_sectioning(ctx, ws.modes);
      }
      stats.hot_allocations += guard.allocations();
    }
    if (table_full) {
      ws.macros.reserve(ws.macros.capacity() * 2);
    } else if (ws.expansion.overflowed()) {
      ws.expansion.grow();
    } else if (ws.sink.overflowed() || ws.references.overflowed) {
      if (ws.sink.overflowed()) ws.sink.reserve(ws.sink.capacity() * 2);
      if (ws.references.overflowed) ws.references.reserve(ws.references.labels.capacity() * 2);
    } else {
      break;
    }
    ++stats.growths;
  }
  ws.sink.sort();
  stats.diagnostics = ws.sink.items().size();
  return stats;
}

}  // namespace perfectex::validators
