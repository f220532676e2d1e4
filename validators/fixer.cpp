#include "validators/fixer.h"

#include <algorithm>

#include "validators/render.h"

namespace perfectex::validators {

std::size_t apply_safe_fixes(std::string& text, const std::vector<Diagnostic>& diagnostics,
                             const RuleConfig& config) {
  std::vector<TextEdit> taken;
  std::size_t fixes = 0;
  auto overlaps = [&taken](const TextEdit& e) {
    for (const TextEdit& t : taken) {
      // Two insertions at one point, or any shared byte, would make the order matter.
      if (e.range.begin <= t.range.end && t.range.begin <= e.range.end) return true;
    }
    return false;
  };
  for (const Diagnostic& d : diagnostics) {
    if (!rule_info(d.rule).safe_fix || !config.enabled(d.rule)) continue;
    std::optional<Fix> fix = make_fix(d, text);
    if (!fix || fix->edits.empty()) continue;
    if (std::any_of(fix->edits.begin(), fix->edits.end(), overlaps)) continue;
    taken.insert(taken.end(), fix->edits.begin(), fix->edits.end());
    ++fixes;
  }
  std::sort(taken.begin(), taken.end(),
            [](const TextEdit& a, const TextEdit& b) { return a.range.begin > b.range.begin; });
  for (const TextEdit& e : taken) text.replace(e.range.begin, e.range.end - e.range.begin, e.new_text);
  return fixes;
}

}  // namespace perfectex::validators
