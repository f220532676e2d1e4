// Token kinds and the token buffer: a structure of arrays (kind, begin) owned by one worker.
// Tokens tile the text, so a token's length is the next token's begin minus its own: the buffer
// stores size()+1 begins and never a length array. The capacity is fixed while lexing; growing it
// (and pre-touching its pages) happens outside the hot path. Threading: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "lexer/huge_pages.h"

namespace perfectex::lexer {

enum class TokenKind : std::uint8_t {
  ControlWord,     ///< \alpha, \begin (backslash and letters; '@' is a letter after \makeatletter)
  ControlSymbol,   ///< \{ \\ \, \$ (backslash and one character; a lone '\' at a line end or EOF)
  BeginGroup,      ///< {
  EndGroup,        ///< }
  MathShift,       ///< $ (one byte; $$ is two tokens, joined by whoever knows the mode)
  Alignment,       ///< &
  Parameter,       ///< #
  Superscript,     ///< ^
  Subscript,       ///< _
  Active,          ///< ~
  Comment,         ///< % up to (not including) the line end
  Space,           ///< a run of spaces and tabs
  Newline,         ///< one line end: \n, \r\n or \r
  ParagraphBreak,  ///< two or more line ends with only blanks between them
  Text,            ///< a run of other characters
  OpenBracket,     ///< [
  CloseBracket,    ///< ]
  Verbatim,        ///< body of a verbatim environment, or the delimited argument of \verb and kin
};

inline constexpr std::size_t kTokenKindCount = static_cast<std::size_t>(TokenKind::Verbatim) + 1;

std::string_view kind_name(TokenKind kind);

struct Token {
  TokenKind kind;
  std::uint32_t begin;
  std::uint32_t length;
  std::uint32_t end() const { return begin + length; }
};

class TokenBuffer {
 public:
  explicit TokenBuffer(std::size_t capacity = 0) { reserve(capacity); }

  /// Grows the arrays to hold at least capacity tokens; every page is written once (pre-touched).
  void reserve(std::size_t capacity);
  std::size_t capacity() const { return kinds_.size(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }

  TokenKind kind(std::size_t i) const { return kinds_[i]; }
  std::uint32_t begin(std::size_t i) const { return begins_[i]; }
  std::uint32_t length(std::size_t i) const { return begins_[i + 1] - begins_[i]; }
  std::uint32_t end(std::size_t i) const { return begins_[i + 1]; }
  Token operator[](std::size_t i) const { return {kinds_[i], begins_[i], length(i)}; }

  /// Appends a token that starts where the previous one ended (tokens tile the text) when there
  /// is room; returns false (and changes nothing) when the buffer is full.
  bool push(TokenKind kind, std::uint32_t begin, std::uint32_t length) {
    if (size_ == kinds_.size()) return false;
    kinds_[size_] = kind;
    begins_[size_] = begin;
    begins_[size_ + 1] = begin + length;
    ++size_;
    return true;
  }
  /// Drops tokens from index n on (used when a lex is re-run after growth).
  void truncate(std::size_t n) { size_ = n < size_ ? n : size_; }

  /// Replaces tokens [first, last) with all of src's tokens and moves the begins of the tokens
  /// after them by delta bytes (an incremental relex). The capacity must hold the result.
  void splice(std::size_t first, std::size_t last, const TokenBuffer& src, std::int64_t delta);

  /// Raw access for the vector kernels, which write kinds and begins directly and then commit:
  /// size tokens, the last of which ends at end. Room: capacity() kinds, capacity() + 1 begins.
  TokenKind* kinds_data() { return kinds_.data(); }
  const TokenKind* kinds_data() const { return kinds_.data(); }
  std::uint32_t* begins_data() { return begins_.data(); }
  const std::uint32_t* begins_data() const { return begins_.data(); }
  void commit(std::size_t size, std::uint32_t end) {
    size_ = size;
    begins_[size] = end;
  }

  friend bool operator==(const TokenBuffer& a, const TokenBuffer& b);

 private:
  LargeVector<TokenKind> kinds_;
  LargeVector<std::uint32_t> begins_ = LargeVector<std::uint32_t>(1, 0);  ///< size_ + 1 used
  std::size_t size_ = 0;
};

}  // namespace perfectex::lexer
