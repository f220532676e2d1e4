// F9, floats, figures and tables: a float without \caption, \label before \caption, absolute
// image paths, placement [h] alone. Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include "validators/mode_tracker.h"

namespace perfectex::validators {

void check_floats(const RuleContext& ctx, const ModeScratch& modes);

}  // namespace perfectex::validators
