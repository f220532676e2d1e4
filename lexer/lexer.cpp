#include "lexer/lexer.h"

#include "lexer/kernel.h"
#include "lexer/quiet_allocation_guard.h"

namespace perfectex::lexer {

LexStats lex_document(std::string_view text, TokenBuffer& buffer) {
  return lex_document(text, buffer, active_kernel().lex);
}

LexStats lex_document(std::string_view text, TokenBuffer& buffer, LexFunction lex) {
  LexStats stats;
  if (buffer.capacity() == 0) buffer.reserve(text.size() / 4 + 64);
  for (;;) {
    LexResult result;
    {
      // Only the lex itself is guarded: growing the buffer below is allowed to allocate.
      QuietAllocationGuard guard;
      result = lex(text, buffer);
      stats.hot_allocations += guard.allocations();
    }
    if (result.status == LexStatus::Ok) {
      stats.token_count = result.token_count;
      return stats;
    }
    // Every token covers at least one byte, so text.size() + 1 always suffices.
    std::size_t grown = buffer.capacity() * 2;
    buffer.reserve(grown < text.size() + 1 ? grown : text.size() + 1);
    ++stats.growths;
  }
}

}  // namespace perfectex::lexer
