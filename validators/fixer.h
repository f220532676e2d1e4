// Applying quick fixes to a text: the safe ones (RuleInfo::safe_fix: mechanical, meaning kept)
// of a list of diagnostics, skipping fixes whose edits overlap one already taken, so that a
// caller can run analyse-and-fix rounds until nothing changes. Threading: pure functions.
#pragma once

#include <string>
#include <vector>

#include "validators/diagnostic.h"
#include "validators/rule_config.h"

namespace perfectex::validators {

/// Applies the safe fixes of the enabled rules among diagnostics (found on text) in one round;
/// returns how many fixes were applied.
std::size_t apply_safe_fixes(std::string& text, const std::vector<Diagnostic>& diagnostics,
                             const RuleConfig& config);

}  // namespace perfectex::validators
