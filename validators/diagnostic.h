// A diagnostic as the rules produce it: byte spans into the document and a rule id, no strings, so
// rules allocate nothing on the hot path; messages and fixes are rendered on demand (render.h).
// DiagnosticSink is a fixed-capacity output that reports overflow instead of growing, and sorts
// by merging the runs already in order in space reserved with it.
// Threading: value types; a sink is used by one thread at a time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "validators/rule.h"

namespace perfectex::validators {

struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool empty() const { return begin == end; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// Bits of Diagnostic::in_prelude: which quoted spans are spelled in the prelude's text (a name
/// written only in a definition from another file of the project), not in the document's, and
/// whether fix_at is (the fix would edit that other file: none is offered).
inline constexpr std::uint8_t kArg0InPrelude = 1, kArg1InPrelude = 2, kExpansionInPrelude = 4,
                              kFixInPrelude = 8;

struct Diagnostic {
  RuleId rule = RuleId::kCount;
  Severity severity = Severity::Error;
  Span range;
  Span related;  ///< the opener, or where an unclosed construct was cut off
  bool has_related = false;
  Span args[2];              ///< source spans quoted by the message and the fix (names)
  std::uint32_t fix_at = 0;  ///< where an insertion fix goes
  std::uint8_t variant = 0;  ///< rule-specific detail (which math delimiter, ...)
  /// Found inside the expansion of a user macro: the macro's name (`\eq` at the use, or the
  /// name of a user environment in its definition); empty otherwise.
  Span expansion;
  bool expansion_environment = false;
  std::uint8_t in_prelude = 0;  ///< kArg0InPrelude | kArg1InPrelude | ... (bits above)
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::size_t capacity = 4096) { reserve(capacity); }
  void reserve(std::size_t capacity) {
    items_.reserve(capacity);
    merged_.reserve(capacity);
  }
  std::size_t capacity() const { return items_.capacity(); }

  void clear() {
    items_.clear();
    overflowed_ = false;
  }
  /// Appends when there is room; otherwise records the overflow (the runner grows and re-runs).
  void add(const Diagnostic& d) {
    if (items_.size() == items_.capacity()) {
      overflowed_ = true;
      return;
    }
    items_.push_back(d);
  }
  bool overflowed() const { return overflowed_; }
  /// Orders the diagnostics by position (then rule), as they are published, keeping the order
  /// they were added in among equals (a stable sort). The families add their findings mostly in
  /// order, so this merges the runs already in order, pairwise, until one is left.
  void sort();
  /// The order sort() gives.
  static bool published_before(const Diagnostic& a, const Diagnostic& b) {
    if (a.range.begin != b.range.begin) return a.range.begin < b.range.begin;
    if (a.range.end != b.range.end) return a.range.end < b.range.end;
    return a.rule < b.rule;
  }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }

 private:
  std::vector<Diagnostic> items_;
  std::vector<Diagnostic> merged_;  ///< where sort() merges to, with the items' capacity
  bool overflowed_ = false;
};

}  // namespace perfectex::validators
