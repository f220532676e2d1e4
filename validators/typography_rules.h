// F4, spacing and typography: a control word swallowing the space before a word, abbreviations
// and sentence ends after capitals, spaces before punctuation, \footnote and `~`, italic
// corrections, accents on i and j, multiple spaces. Threading: runs on the worker that owns the
// ModeScratch.
#pragma once

#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// window: only the events, texts and math spans of those tokens.
void check_typography(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window = {});

}  // namespace perfectex::validators
