// The families that carry a little state from one event of the mode tracker to the next through
// the whole document: verbatim (the open `center`s), floats (the open floats and what each holds)
// and sectioning (the last heading). They save that state every few hundred events; after an edit
// they start again from the last save before the mode tracker's window and stop at the first
// save after it where the state is the previous run's, keeping the previous findings outside.
// Threading: a SequentialScratch belongs to one worker.
#pragma once

#include <cstdint>
#include <vector>

#include "lexer/incremental_lexer.h"
#include "validators/diagnostic.h"
#include "validators/float_rules.h"
#include "validators/mode_tracker.h"
#include "validators/rule_context.h"
#include "validators/sectioning_rules.h"
#include "validators/suppression.h"
#include "validators/verbatim_rules.h"

namespace perfectex::validators {

struct SequentialState {
  VerbatimState verbatim;
  FloatState floats;
  SectioningState sectioning;
  bool operator==(const SequentialState&) const = default;
  bool map(const lexer::TokenEdit& edit) {
    return verbatim.map(edit) && floats.map(edit) && sectioning.map(edit);
  }
};

/// Kept from one run to the next.
struct SequentialScratch {
  /// The state before the event at token `token` (ordered by token).
  struct Mark {
    std::uint32_t token = 0;
    SequentialState state;
  };
  std::uint32_t mark_spacing = 256;  ///< events between marks (small in tests, to have many)
  std::vector<Mark> marks;
  std::vector<Mark> fresh_marks;    ///< a resumed run's marks (scratch)
  DiagnosticSink found;             ///< findings in the order the events made them
  std::vector<std::uint32_t> made;  ///< for each finding, the token of the event that made it
  DiagnosticSink fresh;             ///< a resumed run's findings (scratch)
  std::vector<std::uint32_t> fresh_made;
  Suppressions suppressions;  ///< the suppressions found was filtered with
  bool valid = false;         ///< found is a whole run's, or one resumed from it
  bool overflowed = false;    ///< found had no room: the caller grows it and runs again
  void reserve(std::size_t capacity);
  /// Room for the marks of a document of this many tokens (outside the guarded section).
  void prepare(std::size_t token_count);
};

/// Runs the families over every event into scratch.found.
void check_sequential(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, SequentialScratch& scratch);
/// The same after edit, when the mode tracker resumed over window: from the last mark before the
/// window to the first mark after it where the state is the previous run's. Returns false,
/// having done nothing, when the previous findings cannot be kept (the suppressions changed).
bool check_sequential(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, SequentialScratch& scratch,
                      const lexer::TokenEdit& edit, TokenWindow window);

}  // namespace perfectex::validators
