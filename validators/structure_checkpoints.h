// F1 after an edit: whether the state a resumed pass reached at a paragraph break is the previous
// pass's at its checkpoint there (moved by the edit), and taking the rest of the previous pass's
// findings (its diagnostics, its view's events, its checkpoints) over, moved.
// Threading: functions over one worker's StructureScratch and view.
#pragma once

#include <cstddef>

#include "lexer/expand/expansion_view.h"
#include "lexer/incremental_lexer.h"
#include "validators/diagnostic.h"
#include "validators/structure_rules.h"

namespace perfectex::validators {

/// old: the previous pass's checkpoint; now: the resumed pass's state at the same break. (The
/// view's step budget is the caller's to check.)
bool same_state(const StructureScratch::Checkpoint& old, const StructureScratch::Checkpoint& now,
                const lexer::TokenEdit& edit);

/// After the previous pass's checkpoint c, where the resumed pass (which began at `from`) now
/// is: that pass's diagnostics and view events after c, and its checkpoints from
/// scratch.saved.checkpoints[next] on, moved.
void adopt_rest(StructureScratch& scratch, lexer::expand::ExpansionView& view,
                const StructureScratch::Checkpoint& from, const StructureScratch::Checkpoint& c,
                std::size_t next, const lexer::TokenEdit& edit);

}  // namespace perfectex::validators
