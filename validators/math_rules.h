// F3, math mode: $$ display math, bare function names, scripts that need braces, plain TeX
// fractions, eqnarray, math-only commands in text, x between numbers, punctuation at the edge of
// math. Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// window: only the events, texts and math spans of those tokens.
void check_math(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window = {});

}  // namespace perfectex::validators
