#include "validators/runner.h"

#include <algorithm>
#include <vector>

#include "lexer/quiet_allocation_guard.h"
#include "validators/macro_rules.h"

namespace perfectex::validators {

void prepare_workspace(Workspace& ws, std::size_t token_count) {
  ws.modes.prepare(token_count);
  ws.structure.prepare(token_count);
  ws.sequential.prepare(token_count);
}

namespace {

// Whether the table built after the edit has the definitions the previous one had (saved in
// ws.previous_definitions), in the same order, moved by the edit: the same names, bodies and
// arguments, and the same scope (a `{` typed before a definition makes it local).
bool same_definitions(const Workspace& ws, const lexer::TokenEdit& edit) {
  using lexer::expand::ArgSpec;
  using lexer::expand::Definition;
  using lexer::expand::kNone;
  const std::vector<Definition>& now = ws.macros.definitions();
  const std::vector<Definition>& old = ws.previous_definitions;
  if (now.size() != old.size() || ws.macros.regions().size() != ws.previous_regions.size())
    return false;
  auto token = [&](std::uint32_t t, std::uint32_t want) {
    return t == kNone ? want == kNone : edit.token(t) && t == want;
  };
  // Tokens [f, e) (both kNone: none), whose text must be the same.
  auto tokens = [&](std::uint32_t f, std::uint32_t e, std::uint32_t want_f, std::uint32_t want_e) {
    if (f == kNone || e == kNone) return f == want_f && e == want_e;
    return edit.tokens(f, e) && f == want_f && e == want_e;
  };
  auto range = [&](lexer::expand::ByteRange r, lexer::expand::ByteRange want) {
    return edit.span(r) && r == want;
  };
  for (std::size_t k = ws.macros.first_user(); k < now.size(); ++k) {
    const Definition& o = old[k];
    const Definition& n = now[k];
    std::uint32_t at = o.at;
    if (!range(o.name, n.name) || !edit.point(at) || at != n.at || !token(o.definer, n.definer) ||
        o.space != n.space || o.role != n.role || o.form != n.form || o.novelty != n.novelty ||
        o.expandable != n.expandable || o.long_args != n.long_args || o.top_level != n.top_level ||
        o.base_body != n.base_body || o.suppress != n.suppress || o.arg_count != n.arg_count ||
        o.previous != n.previous)
      return false;
    if (o.base_body) {
      if (o.body_first != n.body_first || o.body_last != n.body_last ||
          o.end_first != n.end_first || o.end_last != n.end_last)
        return false;
    } else if (!tokens(o.body_first, o.body_last, n.body_first, n.body_last) ||
               !tokens(o.end_first, o.end_last, n.end_first, n.end_last)) {
      return false;
    }
    for (std::size_t a = 0; a < o.args.size(); ++a) {
      const ArgSpec& x = o.args[a];
      const ArgSpec& y = n.args[a];
      if (x.kind != y.kind || x.required != y.required || x.star != y.star ||
          x.open.kind != y.open.kind || x.close.kind != y.close.kind)
        return false;
      if (o.base_body
              ? !(x.open.bytes == y.open.bytes && x.close.bytes == y.close.bytes &&
                  x.default_first == y.default_first && x.default_last == y.default_last)
              : !(range(x.open.bytes, y.open.bytes) && range(x.close.bytes, y.close.bytes) &&
                  tokens(x.default_first, x.default_last, y.default_first, y.default_last)))
        return false;
    }
  }
  for (std::size_t k = 0; k < ws.previous_regions.size(); ++k) {
    const lexer::expand::Region& o = ws.previous_regions[k];
    const lexer::expand::Region& n = ws.macros.regions()[k];
    if (!tokens(o.first, o.last + 1, n.first, n.last + 1) || !token(o.unclosed, n.unclosed))
      return false;
  }
  return true;
}

}  // namespace

RunStats run_rules(std::string_view text, const lexer::TokenBuffer& tokens,
                   const RuleConfig& config, Workspace& ws, const lexer::expand::Prelude* prelude,
                   const lexer::TokenEdit* edit) {
  RunStats stats;
  prepare_workspace(ws, tokens.size());
  const lexer::expand::MacroTable* base = prelude != nullptr ? &prelude->table : nullptr;
  // Resume where the previous run (on the tokens before the edit, with the same settings) can.
  bool resume = edit != nullptr && ws.resumable && ws.config == config && ws.base == base &&
                edit->bytes.begin > 0;
  // A letter typed away from every definition leaves the table as it was, moved.
  bool shifted = resume && ws.macros.shift(text, tokens, *edit);
  // And the braces L1 found never closed, moved.
  if (resume) {
    ws.expansion.keep_braces(*edit);
  } else {
    ws.expansion.forget_braces();
  }
  if (resume) {
    ws.structure.saved.events.assign(ws.expansion.events().begin(), ws.expansion.events().end());
  }
  if (resume && !shifted) {
    ws.previous_regions.assign(ws.macros.regions().begin(), ws.macros.regions().end());
    ws.previous_definitions.assign(ws.macros.definitions().begin(), ws.macros.definitions().end());
  }
  ws.resumable = false;
  for (;;) {
    bool table_full = false;
    {
      // Only the runs are guarded: growing what overflowed below may allocate.
      lexer::QuietAllocationGuard guard;
      ws.sink.clear();
      table_full = !shifted && ws.macros.build(text, tokens, base) ==
                                   lexer::expand::BuildStatus::CapacityExceeded;
      if (!table_full) {
        resume = resume && (shifted || same_definitions(ws, *edit));
        Emitter out(config, ws.sink);
        RuleContext ctx{text, tokens, out};
        TokenWindow tracked;
        if (resume) {
          tracked = track_modes(ctx, ws.modes, *edit);
        } else {
          track_modes(ctx, ws.modes);
        }
        read_suppressions(ctx, ws.modes, ws.suppressions);
        out.set_suppressions(&ws.suppressions);
        lexer::expand::ExpansionView view(text, tokens, ws.macros, ws.expansion, ws.limits);
        if (resume) {
          stats.resumed_at = check_structure(ctx, view, ws.structure, ws.modes, *edit, tracked.end);
        } else {
          check_structure(ctx, view, ws.structure, ws.modes);
        }
        for (const Diagnostic& d : ws.structure.found.items()) out.emit(d);
        check_macros(ctx, ws.macros, ws.expansion.events());
        stats.sequential_windowed = resume && check_sequential(ctx, ws.modes, ws.suppressions,
                                                               ws.sequential, *edit, tracked);
        if (!stats.sequential_windowed)
          check_sequential(ctx, ws.modes, ws.suppressions, ws.sequential);
        for (const Diagnostic& d : ws.sequential.found.items()) ws.sink.add(d);
        stats.local_windowed =
            resume && check_local(ctx, ws.modes, ws.suppressions, ws.local, *edit, tracked);
        if (!stats.local_windowed) check_local(ctx, ws.modes, ws.suppressions, ws.local);
        for (const Diagnostic& d : ws.local.found.items()) ws.sink.add(d);
        stats.references_windowed = resume && check_references(ctx, ws.modes, ws.suppressions,
                                                               ws.references, *edit, tracked);
        if (!stats.references_windowed)
          check_references(ctx, ws.modes, ws.suppressions, ws.references);
        for (const Diagnostic& d : ws.references.found.items()) ws.sink.add(d);
      }
      stats.hot_allocations += guard.allocations();
    }
    if (table_full) {
      ws.macros.reserve(ws.macros.capacity() * 2);
    } else if (ws.expansion.overflowed()) {
      ws.expansion.grow();
    } else if (ws.sink.overflowed() || ws.references.overflowed ||
               ws.structure.found.overflowed() || ws.local.overflowed || ws.sequential.overflowed) {
      if (ws.sink.overflowed()) ws.sink.reserve(ws.sink.capacity() * 2);
      if (ws.local.overflowed) ws.local.reserve(ws.local.found.capacity() * 2);
      if (ws.sequential.overflowed) ws.sequential.reserve(ws.sequential.found.capacity() * 2);
      if (ws.references.overflowed) ws.references.reserve(ws.references.labels.capacity() * 2);
      if (ws.structure.found.overflowed())
        ws.structure.found.reserve(ws.structure.found.capacity() * 2);
    } else {
      break;
    }
    // What the last try resumed from is gone: start over on the whole document.
    resume = shifted = false;
    stats.resumed_at = 0;
    stats.local_windowed = stats.sequential_windowed = stats.references_windowed = false;
    ++stats.growths;
  }
  ws.sink.sort();
  ws.resumable = true;
  ws.config = config;
  ws.base = base;
  stats.resumed = resume;
  stats.table_moved = shifted;
  stats.diagnostics = ws.sink.items().size();
  return stats;
}

}  // namespace perfectex::validators
