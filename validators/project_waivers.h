// What a file's own checks get wrong that its project shows: an environment opened in one file
// and closed in another (alone, one reports an unclosed \begin, the other an unmatched \end),
// and a \documentclass whose \begin{document} is in another file. The server and `perfectex
// check` drop those diagnostics from the files' lists. Threading: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "validators/diagnostic.h"
#include "validators/project_rules.h"

namespace perfectex::validators {

struct Waiver {
  std::uint32_t at = 0;  ///< the waived diagnostic's range.begin
  RuleId rule = RuleId::UnmatchedEnd;
  friend auto operator<=>(const Waiver&, const Waiver&) = default;
};

/// One sorted list per file of input, reading the files as LaTeX does: from the root, each
/// read include in its place.
std::vector<std::vector<Waiver>> project_waivers(const ProjectInput& input);

/// Whether d, a diagnostic of the file these waivers are for, is waived.
bool waived(std::span<const Waiver> waivers, const Diagnostic& d);

}  // namespace perfectex::validators
