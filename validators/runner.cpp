#include "validators/runner.h"

#include <algorithm>

#include "validators/deprecated_rules.h"
#include "validators/float_rules.h"
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
                   const RuleConfig& config, Workspace& ws) {
  RunStats stats;
  for (;;) {
    ws.sink.clear();
    Emitter out(config, ws.sink);
    RuleContext ctx{text, tokens, out};
    track_modes(ctx, ws.modes);
    read_suppressions(ctx, ws.modes, ws.suppressions);
    out.set_suppressions(&ws.suppressions);
    check_structure(ctx, ws.structure);
    check_verbatim(ctx, ws.modes);
    check_math(ctx, ws.modes);
    check_typography(ctx, ws.modes);
    check_quotes_dashes(ctx, ws.modes);
    check_references(ctx, ws.modes, ws.references);
    check_deprecated(ctx, ws.modes);
    check_floats(ctx, ws.modes);
    check_sectioning(ctx, ws.modes);
    if (!ws.sink.overflowed() && !ws.references.overflowed) break;
    if (ws.sink.overflowed()) ws.sink.reserve(ws.sink.capacity() * 2);
    if (ws.references.overflowed) ws.references.reserve(ws.references.labels.capacity() * 2);
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
