// The AVX2 kernel: classifies 64-byte blocks as two 32-byte vectors with a nibble-table lookup,
// then hands the masks to the shared BlockLexer.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "lexer/kernels/kernels.h"

namespace perfectex::lexer::avx2 {
namespace {

#include "lexer/kernels/block_lexer.inl"
#include "lexer/kernels/nibble_tables.inl"

// The byte shuffle works per 128-bit lane, so the tables repeat in both lanes.
struct Avx2Classifier {
  static BlockMasks classify(const char* p) {
    const __m256i low =
        _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kLow)));
    const __m256i high =
        _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kHigh)));
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i zero = _mm256_setzero_si256();
    BlockMasks m{0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 2; ++k) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
      __m256i lo = _mm256_shuffle_epi8(low, _mm256_and_si256(v, nibble));
      __m256i hi = _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
      __m256i r = _mm256_and_si256(lo, hi);
      auto bits = [&](int set) {
        __m256i none =
            _mm256_cmpeq_epi8(_mm256_and_si256(r, _mm256_set1_epi8(static_cast<char>(set))), zero);
        return static_cast<std::uint64_t>(static_cast<std::uint32_t>(~_mm256_movemask_epi8(none)))
               << (32 * k);
      };
      m.special |= bits(7);
      m.blank |= bits(24);
      m.line_end |= bits(32);
      m.slow |= bits(224);
      // Letters: (byte | 0x20) - 'a' below 26, as an unsigned compare (min equals the value).
      __m256i folded =
          _mm256_sub_epi8(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('a'));
      __m256i letter = _mm256_cmpeq_epi8(_mm256_min_epu8(folded, _mm256_set1_epi8(25)), folded);
      m.letter |=
          static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(letter)))
          << (32 * k);
      m.at |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(
                  _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('@')))))
              << (32 * k);
    }
    return m;
  }
};

}  // namespace

LexResult lex(std::string_view text, TokenBuffer& out) {
  return BlockLexer<Avx2Classifier>(text.data(), text.size(), out).run();
}

}  // namespace perfectex::lexer::avx2
