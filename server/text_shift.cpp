#include "server/text_shift.h"

#include <string_view>

namespace perfectex::server {
namespace {

bool line_break(char c) {
  return c == '\n' || c == '\r';
}

}  // namespace

// A position depends on the bytes before it on its line (and, inside a UTF-8 sequence, a few
// after): one well before the edit is where it was. One after the first line break past the edit
// keeps its column, and its line moved by the line breaks the edit added or removed.
TextShift::TextShift(const Snapshot& before, const Snapshot& after, lexer::TextEdit edit)
    : begin_(edit.begin), old_end_(edit.old_end), new_end_(edit.new_end) {
  if (begin_ == old_end_ && begin_ == new_end_) {  // the same text
    stable_before_ = kNever;
    return;
  }
  const std::string_view text = after.text;
  // A \r just before the edit may pair with a \n the edit moved: nothing is known then.
  if (begin_ > 0 && text[begin_ - 1] == '\r') return;
  stable_before_ = begin_ >= 3 ? begin_ - 3 : 0;
  for (std::uint32_t k = new_end_; k < text.size(); ++k) {
    if (!line_break(text[k])) continue;
    stable_after_ = k + 1 + (text[k] == '\r' && k + 1 < text.size() && text[k + 1] == '\n');
    const std::uint32_t old = stable_after_ - new_end_ + old_end_;
    lines_ = static_cast<std::int64_t>(after.lines.line_of(stable_after_)) -
             static_cast<std::int64_t>(before.lines.line_of(old));
    return;
  }
}

}  // namespace perfectex::server
