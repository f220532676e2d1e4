#include "validators/runner.h"

#include <algorithm>

namespace perfectex::validators {

RunStats run_rules(std::string_view text, const lexer::TokenBuffer& tokens,
                   const RuleConfig& config, Workspace& ws) {
  RunStats stats;
  for (;;) {
    ws.sink.clear();
    Emitter out(config, ws.sink);
    RuleContext ctx{text, tokens, out};
    check_structure(ctx, ws.structure);
    if (!ws.sink.overflowed()) break;
    ws.sink.reserve(ws.sink.capacity() * 2);
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
