// The AVX-512BW kernel: classifies a 64-byte block as one vector with a nibble-table lookup whose
// byte tests land directly in 64-bit mask registers, then hands the masks to the shared
// BlockLexer.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "lexer/kernels/kernels.h"

namespace perfectex::lexer::avx512 {
namespace {

#include "lexer/kernels/block_lexer.inl"
#include "lexer/kernels/nibble_tables.inl"

// The byte shuffle works per 128-bit lane, so the tables repeat in all four lanes (loaded from
// memory: GCC 12 warns inside its own broadcast and insert intrinsics).
struct LaneTables {
  alignas(64) std::uint8_t low[64];
  alignas(64) std::uint8_t high[64];
};
constexpr LaneTables make_lane_tables() {
  LaneTables t{};
  for (int i = 0; i < 64; ++i) {
    t.low[i] = kLow[i % 16];
    t.high[i] = kHigh[i % 16];
  }
  return t;
}
constexpr LaneTables kLaneTables = make_lane_tables();

struct Avx512Classifier {
  static BlockMasks classify(const char* p) {
    const __m512i low = _mm512_load_si512(kLaneTables.low);
    const __m512i high = _mm512_load_si512(kLaneTables.high);
    const __m512i nibble = _mm512_set1_epi8(0x0F);
    __m512i v = _mm512_loadu_si512(p);
    __m512i lo = _mm512_shuffle_epi8(low, _mm512_and_si512(v, nibble));
    __m512i hi = _mm512_shuffle_epi8(high, _mm512_and_si512(_mm512_srli_epi16(v, 4), nibble));
    __m512i r = _mm512_and_si512(lo, hi);
    return {_mm512_test_epi8_mask(r, _mm512_set1_epi8(7)),
            _mm512_test_epi8_mask(r, _mm512_set1_epi8(24)),
            _mm512_test_epi8_mask(r, _mm512_set1_epi8(32)),
            _mm512_test_epi8_mask(r, _mm512_set1_epi8(static_cast<char>(224)))};
  }
};

}  // namespace

LexResult lex(std::string_view text, TokenBuffer& out) {
  return BlockLexer<Avx512Classifier>(text.data(), text.size(), out).run();
}

}  // namespace perfectex::lexer::avx512
