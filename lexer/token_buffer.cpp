#include <algorithm>
#include <cstring>

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

void TokenBuffer::splice(std::size_t first, std::size_t last, const TokenBuffer& src,
                         std::int64_t delta) {
  std::size_t tail = size_ - last;
  std::size_t to = first + src.size_;
  // The tail (with the end sentinel) moves once, when the count changed, then its begins shift
  // in one linear pass.
  if (to != last) {
    std::memmove(kinds_.data() + to, kinds_.data() + last, tail);
    std::memmove(begins_.data() + to, begins_.data() + last, (tail + 1) * sizeof(std::uint32_t));
  }
  std::memcpy(kinds_.data() + first, src.kinds_.data(), src.size_);
  std::memcpy(begins_.data() + first, src.begins_.data(), src.size_ * sizeof(std::uint32_t));
  auto shift = static_cast<std::uint32_t>(delta);  // modular: adds a negative delta too
  std::uint32_t* b = begins_.data() + to;
  for (std::size_t i = 0; i <= tail; ++i) b[i] += shift;
  size_ = to + tail;
}

bool operator==(const TokenBuffer& a, const TokenBuffer& b) {
  if (a.size_ != b.size_) return false;
  if (a.size_ == 0) return true;
  return std::equal(a.kinds_.begin(), a.kinds_.begin() + a.size_, b.kinds_.begin()) &&
         std::equal(a.begins_.begin(), a.begins_.begin() + a.size_ + 1, b.begins_.begin());
}

}  // namespace perfectex::lexer
