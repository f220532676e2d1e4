// A document's tokens kept current across edits: a full lex with the active kernel, then after
// each edit a relex from the last paragraph break before it until the new tokens meet the old
// ones again, spliced in. Threading: an IncrementalLexer belongs to one worker at a time.
//
// Why a paragraph break is a safe restart point: no step of the lexer looks past the paragraph it
// starts in (verbatim bodies excepted, and they never contain a paragraph-break token), and no
// verbatim environment is armed at a paragraph break, so the state there is only `@`-as-letter,
// which a log of \makeatletter/\makeatother tokens answers. The relex stops at a line start after
// the edit where both lexes are at the same byte in the same state, outside any verbatim body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "lexer/lexer.h"
#include "lexer/token.h"

namespace perfectex::lexer {

/// One edit in byte offsets: old bytes [begin, old_end) became new bytes [begin, new_end).
struct TextEdit {
  std::uint32_t begin = 0;
  std::uint32_t old_end = 0;
  std::uint32_t new_end = 0;
};

/// The smallest single edit that turns before into after: their common prefix and suffix kept.
TextEdit diff_texts(std::string_view before, std::string_view after);

/// The single edit that does first and then second (which applies to a text of middle_size
/// bytes): what neither touched is kept. Not always the smallest (a word typed over with itself
/// stays an edit), but always one that does it.
TextEdit then(TextEdit first, std::uint32_t middle_size, TextEdit second);

/// What an edit did to the tokens: the previous tokens [first, old_end) became [first, new_end),
/// those before are the same, and those after are the same tokens moved by the byte edit. It maps
/// a position of the previous text or tokens to this one; one inside what changed has no image.
struct TokenEdit {
  std::uint32_t first = 0;
  std::uint32_t old_end = 0;
  std::uint32_t new_end = 0;
  TextEdit bytes;
  /// The changed tokens, before and after, are all words, spaces and line ends: what a letter
  /// typed in prose changes.
  bool plain = false;
  /// The braces of the changed tokens, before or after, do not pair among themselves: the
  /// groups around the tokens outside them changed (a `{` typed, or a `%` that hides one; not a
  /// `{}` typed whole).
  bool groups = false;

  /// Token index t of the previous tokens, mapped in place; false when t changed.
  bool token(std::uint32_t& t) const {
    if (t < first) return true;
    if (t < old_end) return false;
    t = t - old_end + new_end;
    return true;
  }
  /// The tokens [f, e), mapped in place; false when they overlap the changed ones (or tokens
  /// were put inside them).
  bool tokens(std::uint32_t& f, std::uint32_t& e) const {
    if (e <= first) return true;
    if (f < old_end) return false;
    f = f - old_end + new_end;
    e = e - old_end + new_end;
    return true;
  }
  /// A byte position p (where something is), mapped in place; false inside the replaced bytes.
  bool point(std::uint32_t& p) const {
    if (p < bytes.begin) return true;
    if (p < bytes.old_end) return false;
    p = p - bytes.old_end + bytes.new_end;
    return true;
  }
  /// The bytes [b, e), mapped in place; false when the edit is inside them or overlaps them
  /// (their text changed).
  bool span(std::uint32_t& b, std::uint32_t& e) const {
    if (e <= bytes.begin) return true;
    if (b < bytes.old_end) return false;
    b = b - bytes.old_end + bytes.new_end;
    e = e - bytes.old_end + bytes.new_end;
    return true;
  }
  template <typename Range>
  bool span(Range& r) const {
    return span(r.begin, r.end);
  }
};

struct RelexStats {
  std::size_t token_count = 0;
  TokenEdit changed;  ///< the tokens that differ from the previous ones, and how the rest moved
  std::uint32_t restart = 0;  ///< byte where the relex began
  std::uint32_t resync = 0;   ///< byte of the new text where it met the old tokens (or the end)
  std::size_t tokens_lexed = 0;
  unsigned growths = 0;
  std::uint64_t hot_allocations = 0;  ///< inside the QuietAllocationGuard: 0 when warm
};

class IncrementalLexer {
 public:
  explicit IncrementalLexer(std::size_t capacity = 1 << 16);

  /// Lexes text from scratch with the active kernel (or the given one).
  LexStats lex(std::string_view text);
  LexStats lex(std::string_view text, LexFunction kernel);
  /// Brings the tokens of the previous text up to text, which is that text with edit applied.
  RelexStats relex(std::string_view text, TextEdit edit);

  const TokenBuffer& tokens() const { return tokens_; }
  /// Room for this many tokens, pre-touched, before a lex.
  void reserve(std::size_t tokens) { tokens_.reserve(tokens); }

 private:
  struct Toggle {
    std::uint32_t at;  ///< begin of a \makeatletter or \makeatother token
    bool letter;       ///< '@' is a letter after it
  };
  bool at_letter_before(std::uint32_t at) const;
  TokenEdit changed_tokens(std::size_t restart, std::size_t rejoin, TextEdit edit) const;
  /// Appends the toggles among tokens to toggles.
  static void collect_toggles(std::string_view text, const TokenBuffer& tokens,
                              std::vector<Toggle>& toggles);
  class Resync;

  TokenBuffer tokens_;
  TokenBuffer scratch_;  ///< the relexed stretch, before it is spliced in
  std::vector<Toggle> toggles_;
  std::vector<Toggle> new_toggles_;
};

}  // namespace perfectex::lexer
