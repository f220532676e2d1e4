// F8, deprecated and obsolete: LaTeX 2.09 font commands, font switches given an argument,
// \centerline, TeX primitives (off by default), \def in the document body, obsolete packages
// with their successors. Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// window: only the events, texts and math spans of those tokens.
void check_deprecated(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window = {});

}  // namespace perfectex::validators
