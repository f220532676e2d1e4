// F2, verbatim and environments: text after \end{verbatim}, \verb without its closing delimiter,
// font switches used as environments and environments used as switches, `center` in a float.
// Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include "validators/mode_tracker.h"

namespace perfectex::validators {

void check_verbatim(const RuleContext& ctx, const ModeScratch& modes);

}  // namespace perfectex::validators
