// F10, sectioning: a heading that skips a level, an empty numbered heading, `\\` at the end of a
// paragraph. One event at a time (sequential_rules.h runs it), with the state it carries from one
// to the next. Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include "lexer/incremental_lexer.h"
#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// The last numbered heading before an event: its level (-1 part .. 5 subparagraph; -2 none yet).
struct SectioningState {
  int level = -2;
  Span heading;
  friend bool operator==(const SectioningState&, const SectioningState&) = default;
  /// Moves the position it holds with edit; false when it was edited.
  bool map(const lexer::TokenEdit& edit) { return edit.span(heading.begin, heading.end); }
};

/// What the family finds at event e, the state before it given; the state after it left.
void sectioning_event(const RuleContext& ctx, const Event& e, SectioningState& state);

}  // namespace perfectex::validators
