// The mode tracker after an edit: whether the state a resumed pass reached at a paragraph break
// is the previous pass's at its checkpoint there (moved by the edit), and taking the rest of the
// previous pass's outputs over, moved, behind the resumed pass's window.
// Threading: functions over one worker's ModeScratch.
#pragma once

#include <cstddef>

#include "lexer/incremental_lexer.h"
#include "validators/mode_tracker.h"

namespace perfectex::validators {

/// old: the previous pass's checkpoint; now: the resumed pass's state at the same break; from:
/// the checkpoint the pass resumed at (the names it declared since are compared too).
bool same_state(const ModeScratch& s, const ModeScratch::Checkpoint& old,
                const ModeScratch::Checkpoint& now, const ModeScratch::Checkpoint& from,
                const lexer::TokenEdit& edit);

/// The outputs the previous pass found after its checkpoint c, in place behind s.window (which
/// replaces what it found from `from` to c), its checkpoints from s.saved.checkpoints[next] on,
/// and what it found declared after c.
void adopt_rest(ModeScratch& s, const ModeScratch::Checkpoint& from,
                const ModeScratch::Checkpoint& c, std::size_t next, const lexer::TokenEdit& edit);

}  // namespace perfectex::validators
