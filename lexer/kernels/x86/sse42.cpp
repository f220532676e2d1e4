// The SSE4.2 kernel (uses its SSSE3 byte shuffle): classifies 64-byte blocks as four 16-byte
// vectors with a nibble-table lookup, then hands the masks to the shared BlockLexer.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "lexer/kernels/kernels.h"

namespace perfectex::lexer::sse42 {
namespace {

#include "lexer/kernels/block_lexer.inl"
#include "lexer/kernels/nibble_tables.inl"

struct Sse42Classifier {
  static BlockMasks classify(const char* p) {
    const __m128i low = _mm_load_si128(reinterpret_cast<const __m128i*>(kLow));
    const __m128i high = _mm_load_si128(reinterpret_cast<const __m128i*>(kHigh));
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i zero = _mm_setzero_si128();
    BlockMasks m{0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 4; ++k) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      __m128i lo = _mm_shuffle_epi8(low, _mm_and_si128(v, nibble));
      __m128i hi = _mm_shuffle_epi8(high, _mm_and_si128(_mm_srli_epi16(v, 4), nibble));
      __m128i r = _mm_and_si128(lo, hi);
      auto bits = [&](int set) {
        __m128i none =
            _mm_cmpeq_epi8(_mm_and_si128(r, _mm_set1_epi8(static_cast<char>(set))), zero);
        return static_cast<std::uint64_t>(static_cast<std::uint16_t>(~_mm_movemask_epi8(none)))
               << (16 * k);
      };
      m.special |= bits(7);
      m.blank |= bits(24);
      m.line_end |= bits(32);
      m.slow |= bits(224);
      // Letters: (byte | 0x20) - 'a' below 26, as an unsigned compare (min equals the value).
      __m128i folded = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
      __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(folded, _mm_set1_epi8(25)), folded);
      m.letter |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(letter)))
                  << (16 * k);
      m.at |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(
                  _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')))))
              << (16 * k);
    }
    return m;
  }
};

}  // namespace

LexResult lex(std::string_view text, TokenBuffer& out) {
  return BlockLexer<Sse42Classifier>(text.data(), text.size(), out).run();
}

}  // namespace perfectex::lexer::sse42
