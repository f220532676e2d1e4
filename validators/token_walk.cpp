#include "validators/token_walk.h"

namespace perfectex::validators {

using lexer::TokenKind;

Span environment_name(const RuleContext& ctx, std::size_t i, std::size_t* close) {
  std::size_t n = ctx.tokens.size();
  std::size_t j = next_significant(ctx, i + 1);
  if (j >= n || ctx.tokens.kind(j) != TokenKind::BeginGroup) return {};
  for (std::size_t k = j + 1; k < n && k < j + 8; ++k) {
    TokenKind kind = ctx.tokens.kind(k);
    if (kind == TokenKind::EndGroup) {
      if (close != nullptr) *close = k;
      return {ctx.tokens.end(j), ctx.tokens.begin(k)};
    }
    if (kind != TokenKind::Text) return {};
  }
  return {};
}

std::size_t next_significant(const RuleContext& ctx, std::size_t i) {
  std::size_t n = ctx.tokens.size();
  while (i < n) {
    TokenKind k = ctx.tokens.kind(i);
    if (k != TokenKind::Space && k != TokenKind::Newline && k != TokenKind::Comment) return i;
    ++i;
  }
  return n;
}

std::size_t prev_significant(const RuleContext& ctx, std::size_t i) {
  while (i-- > 0) {
    TokenKind k = ctx.tokens.kind(i);
    if (k != TokenKind::Space && k != TokenKind::Newline && k != TokenKind::Comment) return i;
  }
  return kNoIndex;
}

std::size_t group_end(const RuleContext& ctx, std::size_t i) {
  int depth = 0;
  std::size_t n = ctx.tokens.size();
  for (std::size_t j = i; j < n; ++j) {
    TokenKind k = ctx.tokens.kind(j);
    if (k == TokenKind::BeginGroup) {
      ++depth;
    } else if (k == TokenKind::EndGroup && --depth == 0) {
      return j;
    }
  }
  return n - 1;
}

}  // namespace perfectex::validators
