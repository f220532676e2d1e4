// F5, quotes, dashes and ellipses: straight and misdirected quotes, mixed and triple quotes, the
// acute accent used as an apostrophe, `...` and the wrong kind of \dots, and dash lengths by
// context. Never inside math (except the dots), verbatim, picture code or keys.
// Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// window: only the events, texts and math spans of those tokens.
void check_quotes_dashes(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window = {});

}  // namespace perfectex::validators
