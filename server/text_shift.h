// How one edit moved a document's positions: which offsets keep their line and column, and which
// keep their column but move by whole lines, so that what was computed from them (a diagnostic's
// JSON, a project finding) can be kept instead of computed again (DESIGN §4).
// Threading: a value; the two snapshots must outlive it.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "lexer/incremental_lexer.h"
#include "server/document_store.h"
#include "validators/diagnostic.h"

namespace perfectex::server {

class TextShift {
 public:
  /// edit turns before's text into after's (it may be larger than needed).
  TextShift(const Snapshot& before, const Snapshot& after, lexer::TextEdit edit);

  /// Lines added (negative: removed) above every position whose Moved::moved is set.
  std::int64_t lines() const { return lines_; }

  struct Moved {
    std::uint32_t offset = 0;
    bool moved = false;  ///< its line number changed by lines() (its column did not)
  };
  /// Where offset at of the new text was in the old one, when its column is the same and its line
  /// the same or moved by lines(); nothing when the edit may have changed them.
  std::optional<Moved> back(std::uint32_t at) const {
    if (at <= stable_before_) return Moved{at, false};
    if (at >= stable_after_) return Moved{at - new_end_ + old_end_, lines_ != 0};
    return std::nullopt;
  }
  /// The same, from an offset of the old text to the new.
  std::optional<Moved> forward(std::uint32_t at) const {
    if (at <= stable_before_) return Moved{at, false};
    if (stable_after_ != kNever && at >= stable_after_ - new_end_ + old_end_) {
      return Moved{at - old_end_ + new_end_, lines_ != 0};
    }
    return std::nullopt;
  }
  /// Where the bytes of span s of the new text were in the old one, when the edit left them alone.
  std::optional<validators::Span> back_text(validators::Span s) const {
    if (s.end <= begin_) return s;
    if (s.begin >= new_end_) {
      return validators::Span{s.begin - new_end_ + old_end_, s.end - new_end_ + old_end_};
    }
    return std::nullopt;
  }

 private:
  static constexpr std::uint32_t kNever = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t begin_ = 0, old_end_ = 0, new_end_ = 0;
  std::uint32_t stable_before_ = 0;      ///< offsets up to this one, in both texts, did not move
  std::uint32_t stable_after_ = kNever;  ///< new offsets from this one on moved whole lines only
  std::int64_t lines_ = 0;
};

}  // namespace perfectex::server
