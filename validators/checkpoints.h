// What the passes that resume after an edit share (the mode tracker, F1): the checkpoint to resume
// from, the previous pass's checkpoint to compare with at a new token, and putting a window of new
// outputs in place of the previous pass's. Checkpoints are ordered by their `token`.
// Threading: pure functions over the caller's vectors.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lexer/incremental_lexer.h"

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
template <typename T>
void place(std::vector<T>& all, const std::vector<T>& window, std::size_t from,
           std::size_t old_end) {
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

}  // namespace perfectex::validators
