// F10, sectioning: a heading that skips a level, an empty numbered heading, `\\` at the end of a
// paragraph. Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include "validators/mode_tracker.h"

namespace perfectex::validators {

void check_sectioning(const RuleContext& ctx, const ModeScratch& modes);

}  // namespace perfectex::validators
