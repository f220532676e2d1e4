// F2, verbatim and environments: text after \end{verbatim}, \verb without its closing delimiter,
// font switches used as environments and environments used as switches, `center` in a float.
// One event at a time (sequential_rules.h runs it), with the state it carries from one to the next.
// Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include <array>

#include "lexer/incremental_lexer.h"
#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// The `center` environments open at an event, and whether each sits directly in a float.
struct VerbatimState {
  struct Center {
    Span open;
    bool in_float = false;
  };
  std::array<Center, 16> centers{};
  std::uint32_t depth = 0, overflow = 0;
  bool operator==(const VerbatimState& o) const;
  /// Moves the positions it holds with edit; false when one of them was edited.
  bool map(const lexer::TokenEdit& edit);
};

/// What the family finds at event e, the state before it given; the state after it left.
void verbatim_event(const RuleContext& ctx, const Event& e, VerbatimState& state);

}  // namespace perfectex::validators
