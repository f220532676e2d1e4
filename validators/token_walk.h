// Walking a document's tokens the way the rule families need: past blanks, to the end of a
// group, to an environment's name; and the small character and span helpers they share.
// Threading: pure functions over a RuleContext.
#pragma once

#include <cstddef>

#include "validators/rule_context.h"

namespace perfectex::validators {

/// The environment name in {name} after \begin or \end at token i, empty when not a plain name;
/// close (when given) receives the index of the closing brace.
Span environment_name(const RuleContext& ctx, std::size_t i, std::size_t* close = nullptr);
/// The next token after i that is not a space, line end or comment; tokens.size() when none.
std::size_t next_significant(const RuleContext& ctx, std::size_t i);
/// The previous token before i that is not a space, line end or comment; kNoIndex when none.
std::size_t prev_significant(const RuleContext& ctx, std::size_t i);
/// The index of the `}` closing the group opened at i; the last token when it never closes.
std::size_t group_end(const RuleContext& ctx, std::size_t i);

inline constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_letter(char c) { return is_lower(c) || is_upper(c); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline Span token_span(const RuleContext& ctx, std::size_t i) {
  return {ctx.tokens.begin(i), ctx.tokens.end(i)};
}
/// Whether token i is a Space on the same line as a word before it (Text or `}`).
inline bool space_after_word(const RuleContext& ctx, std::size_t i) {
  return i > 0 && ctx.tokens.kind(i) == lexer::TokenKind::Space &&
         (ctx.tokens.kind(i - 1) == lexer::TokenKind::Text ||
          ctx.tokens.kind(i - 1) == lexer::TokenKind::EndGroup);
}

}  // namespace perfectex::validators
