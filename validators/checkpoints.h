// What the passes that resume after an edit share (the mode tracker, F1, the local families): the
// checkpoint to resume from, the previous pass's checkpoint to compare with at a new token, putting
// a window of new outputs in place of the previous pass's, and moving a previous finding.
// Checkpoints are ordered by their `token`.
// Threading: pure functions over the caller's vectors.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lexer/incremental_lexer.h"
#include "validators/diagnostic.h"

namespace perfectex::validators {

/// The first checkpoint at or after the edit's first changed token: a pass resumes from the one
/// before it (or from the start), and those from it on are the previous pass's to compare with.
template <typename Checkpoint>
typename std::vector<Checkpoint>::iterator first_changed(std::vector<Checkpoint>& checkpoints,
                                                         const lexer::TokenEdit& edit) {
  return std::partition_point(checkpoints.begin(), checkpoints.end(),
                              [&](const Checkpoint& c) { return c.token < edit.first; });
}

/// The previous pass's checkpoint at new token t, if it has one; cursor moves over those before t
/// (and those the edit changed), so calls come with growing t.
template <typename Checkpoint>
const Checkpoint* previous_at(const std::vector<Checkpoint>& previous, std::size_t& cursor,
                              std::uint32_t t, const lexer::TokenEdit& edit) {
  for (; cursor < previous.size(); ++cursor) {
    std::uint32_t at = previous[cursor].token;
    if (!edit.token(at) || at < t) continue;
    return at == t ? &previous[cursor] : nullptr;
  }
  return nullptr;
}

/// Puts window in place of all[from, old_end), moving what follows when the sizes differ.
template <typename Vector>
void place(Vector& all, const Vector& window, std::size_t from, std::size_t old_end) {
  const std::size_t tail = all.size() - old_end, at = from + window.size();
  if (at > old_end) {
    all.resize(at + tail);
    std::move_backward(all.begin() + static_cast<std::ptrdiff_t>(old_end),
                       all.begin() + static_cast<std::ptrdiff_t>(old_end + tail), all.end());
  } else if (at < old_end) {
    std::move(all.begin() + static_cast<std::ptrdiff_t>(old_end), all.end(),
              all.begin() + static_cast<std::ptrdiff_t>(at));
    all.resize(at + tail);
  }
  std::copy(window.begin(), window.end(), all.begin() + static_cast<std::ptrdiff_t>(from));
}

/// A diagnostic found after the edit, moved with the text; what it quotes from the prelude stays.
inline void map_diagnostic(Diagnostic& d, const lexer::TokenEdit& edit) {
  auto map = [&](Span& s) { edit.span(s); };
  map(d.range);
  map(d.related);  // set (to where a construct was cut off) even when not shown
  if ((d.in_prelude & kArg0InPrelude) == 0) map(d.args[0]);
  if ((d.in_prelude & kArg1InPrelude) == 0) map(d.args[1]);
  if ((d.in_prelude & kFixInPrelude) == 0) edit.point(d.fix_at);
  if (!d.expansion_environment || (d.in_prelude & kExpansionInPrelude) == 0) map(d.expansion);
}

}  // namespace perfectex::validators
