#include <algorithm>

#include "lexer/token.h"

namespace perfectex::lexer {

std::string_view kind_name(TokenKind kind) {
  static constexpr std::string_view kNames[kTokenKindCount] = {
      "control-word", "control-symbol", "begin-group", "end-group",       "math-shift",
      "alignment",    "parameter",      "superscript", "subscript",       "active",
      "comment",      "space",          "newline",     "paragraph-break", "text",
      "open-bracket", "close-bracket",  "verbatim"};
  return kNames[static_cast<std::size_t>(kind)];
}

void TokenBuffer::reserve(std::size_t capacity) {
  if (capacity <= kinds_.size()) return;
  // resize() value-initialises, which writes every page once: later pushes take no page faults.
  kinds_.resize(capacity);
  begins_.resize(capacity + 1);
}

bool operator==(const TokenBuffer& a, const TokenBuffer& b) {
  if (a.size_ != b.size_) return false;
  if (a.size_ == 0) return true;
  return std::equal(a.kinds_.begin(), a.kinds_.begin() + a.size_, b.kinds_.begin()) &&
         std::equal(a.begins_.begin(), a.begins_.begin() + a.size_ + 1, b.begins_.begin());
}

}  // namespace perfectex::lexer
