#include "validators/local_rules.h"

#include <algorithm>

#include "validators/checkpoints.h"
#include "validators/deprecated_rules.h"
#include "validators/math_rules.h"
#include "validators/quote_dash_rules.h"
#include "validators/typography_rules.h"

namespace perfectex::validators {
namespace {

void run_families(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window) {
  check_math(ctx, modes, window);
  check_typography(ctx, modes, window);
  check_quotes_dashes(ctx, modes, window);
  check_deprecated(ctx, modes, window);
}

// Runs the families over window into sink, with the settings of ctx and suppressions.
void run_into(DiagnosticSink& sink, const RuleContext& ctx, const ModeScratch& modes,
              const Suppressions& suppressions, TokenWindow window) {
  sink.clear();
  Emitter out(ctx.out.config(), sink);
  out.set_suppressions(&suppressions);
  run_families({ctx.text, ctx.tokens, out}, modes, window);
  sink.sort();
}

void remember(LocalScratch& s, const ModeScratch& modes, const Suppressions& suppressions) {
  s.suppressions = suppressions;
  s.declared = modes.mark();
  s.overflowed = s.found.overflowed();
  s.valid = !s.overflowed;
}

}  // namespace

void check_local(const RuleContext& ctx, const ModeScratch& modes, const Suppressions& suppressions,
                 LocalScratch& scratch) {
  run_into(scratch.found, ctx, modes, suppressions, {});
  remember(scratch, modes, suppressions);
}

bool check_local(const RuleContext& ctx, const ModeScratch& modes, const Suppressions& suppressions,
                 LocalScratch& scratch, const lexer::TokenEdit& edit, TokenWindow window) {
  if (!scratch.valid || !(scratch.declared == modes.mark()) ||
      !suppressions.same_as(scratch.suppressions, [&](std::uint32_t& p) { return edit.point(p); }))
    return false;
  run_into(scratch.window, ctx, modes, suppressions, window);
  // The previous findings before the window's first byte stay; those from its end on (in the
  // previous text) move; the window's take the place of those between.
  const lexer::TokenBuffer& toks = ctx.tokens;
  const auto size = static_cast<std::uint32_t>(ctx.text.size());
  const std::uint32_t begin = window.begin < toks.size() ? toks.begin(window.begin) : size;
  std::uint32_t end = UINT32_MAX;
  if (window.end < toks.size())
    end = toks.begin(window.end) - edit.bytes.new_end + edit.bytes.old_end;
  std::vector<Diagnostic>& found = scratch.found.items();
  auto before = [](const Diagnostic& d, std::uint32_t at) { return d.range.begin < at; };
  const auto first = static_cast<std::size_t>(
      std::lower_bound(found.begin(), found.end(), begin, before) - found.begin());
  const auto last =
      static_cast<std::size_t>(std::lower_bound(found.begin() + static_cast<std::ptrdiff_t>(first),
                                                found.end(), end, before) -
                               found.begin());
  const std::vector<Diagnostic>& fresh = scratch.window.items();
  if (scratch.window.overflowed() ||
      first + fresh.size() + (found.size() - last) > found.capacity()) {
    scratch.valid = false;
    scratch.overflowed = true;
    return true;
  }
  place(found, fresh, first, last);
  for (std::size_t k = first + fresh.size(); k < found.size(); ++k) map_diagnostic(found[k], edit);
  remember(scratch, modes, suppressions);
  return true;
}

}  // namespace perfectex::validators
