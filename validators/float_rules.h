// F9, floats, figures and tables: a float without \caption, \label before \caption, absolute
// image paths, placement [h] alone. One event at a time (sequential_rules.h runs it), with the
// state it carries from one to the next. Threading: runs on the worker that owns the ModeScratch.
#pragma once

#include <array>

#include "lexer/incremental_lexer.h"
#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// The floats open at an event, and what each holds so far.
struct FloatState {
  struct Float {
    Span open;
    Span caption;
    Span early_label;  ///< a \label before any \caption
    bool caption_seen = false;
    friend bool operator==(const Float&, const Float&) = default;
  };
  std::array<Float, 8> floats{};
  std::uint32_t depth = 0;
  bool operator==(const FloatState& o) const;
  /// Moves the positions it holds with edit; false when one of them was edited.
  bool map(const lexer::TokenEdit& edit);
};

/// What the family finds at event e, the state before it given; the state after it left.
void float_event(const RuleContext& ctx, const Event& e, FloatState& state);

}  // namespace perfectex::validators
