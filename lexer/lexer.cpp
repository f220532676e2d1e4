#include "lexer/lexer.h"

#include <algorithm>

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
    // The tokens that fitted tell how dense the rest is: grow to that, a quarter more, at least
    // double, so that the whole text is lexed again once or twice rather than once per doubling.
    // Every token covers at least one byte, so text.size() + 1 always suffices.
    const double per_byte = static_cast<double>(result.token_count) /
                            static_cast<double>(result.end > 0 ? result.end : 1);
    const auto estimate =
        static_cast<std::size_t>(per_byte * 1.25 * static_cast<double>(text.size()));
    const std::size_t grown = std::max(buffer.capacity() * 2, estimate + 64);
    buffer.reserve(grown < text.size() + 1 ? grown : text.size() + 1);
    ++stats.growths;
  }
}

}  // namespace perfectex::lexer
