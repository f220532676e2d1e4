#include "validators/runner.h"

#include <algorithm>

#include "lexer/quiet_allocation_guard.h"
#include "validators/macro_rules.h"

namespace perfectex::validators {

RunStats run_rules(std::string_view text, const lexer::TokenBuffer& tokens,
                   const RuleConfig& config, Workspace& ws) {
  RunStats stats;
  for (;;) {
    bool table_full = false;
    {
      // Only the runs are guarded: growing what overflowed below may allocate.
      lexer::QuietAllocationGuard guard;
      ws.sink.clear();
      table_full = ws.macros.build(text, tokens) == lexer::expand::BuildStatus::CapacityExceeded;
      if (!table_full) {
        Emitter out(config, ws.sink);
        RuleContext ctx{text, tokens, out};
        lexer::expand::ExpansionView view(text, tokens, ws.macros, ws.expansion, ws.limits);
        check_structure(ctx, view, ws.structure);
        check_macros(ctx, ws.macros, ws.expansion.events());
      }
      stats.hot_allocations += guard.allocations();
    }
    if (table_full) {
      ws.macros.reserve(ws.macros.capacity() * 2);
    } else if (ws.expansion.overflowed()) {
      ws.expansion.grow();
    } else if (ws.sink.overflowed()) {
      ws.sink.reserve(ws.sink.capacity() * 2);
    } else {
      break;
    }
    ++stats.growths;
  }
  auto& items = ws.sink.items();
  std::sort(items.begin(), items.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.range.begin != b.range.begin) return a.range.begin < b.range.begin;
    if (a.range.end != b.range.end) return a.range.end < b.range.end;
    return a.rule < b.rule;
  });
  stats.diagnostics = items.size();
  return stats;
}

}  // namespace perfectex::validators
