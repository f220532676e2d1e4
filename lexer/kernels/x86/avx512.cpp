// The AVX-512 kernel (BW, VBMI, VBMI2: Ice Lake, Zen 4 and later): classifies a 64-byte block as
// one vector with a nibble-table lookup whose byte tests land directly in 64-bit mask registers,
// and stores a block's tokens with byte compression instead of one token at a time.
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

// The token kind of each byte below 0x80 (bytes above are text), for a two-register permute.
struct KindTable {
  alignas(64) std::uint8_t kind[128];
};
constexpr KindTable make_kind_table() {
  KindTable t{};
  for (int ch = 0; ch < 128; ++ch) t.kind[ch] = kTables.kind[ch];
  return t;
}
constexpr KindTable kKindTable = make_kind_table();

struct Iota {
  alignas(64) std::uint8_t at[64];
};
constexpr Iota make_iota() {
  Iota t{};
  for (int i = 0; i < 64; ++i) t.at[i] = static_cast<std::uint8_t>(i);
  return t;
}
constexpr Iota kIota = make_iota();

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
            _mm512_test_epi8_mask(r, _mm512_set1_epi8(static_cast<char>(224))),
            _mm512_cmplt_epu8_mask(
                _mm512_sub_epi8(_mm512_or_si512(v, _mm512_set1_epi8(0x20)), _mm512_set1_epi8('a')),
                _mm512_set1_epi8(26)),
            _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('@'))};
  }

  // Kinds and offsets of the bytes selected by bits, compressed to the front of two vectors and
  // stored whole: the caller guarantees 64 slots of room, and slots past count are scratch. (The
  // maskz forms avoid GCC 12's false maybe-uninitialized warnings in the unmasked intrinsics.)
  static void compress_store(const char* block, std::uint64_t bits, TokenKind* kinds,
                             std::uint32_t* begins, std::uint32_t base, std::size_t count) {
    __m512i v = _mm512_loadu_si512(block);
    __m512i kind = _mm512_permutex2var_epi8(_mm512_load_si512(kKindTable.kind), v,
                                            _mm512_load_si512(kKindTable.kind + 64));
    kind = _mm512_mask_mov_epi8(kind, _mm512_movepi8_mask(v),
                                _mm512_set1_epi8(static_cast<char>(TokenKind::Text)));
    _mm512_storeu_si512(kinds, _mm512_maskz_compress_epi8(bits, kind));
    alignas(64) std::uint8_t offsets[64];
    _mm512_store_si512(offsets, _mm512_maskz_compress_epi8(bits, _mm512_load_si512(kIota.at)));
    __m512i b = _mm512_set1_epi32(static_cast<int>(base));
    for (std::size_t done = 0; done < count; done += 16) {
      __m128i part = _mm_load_si128(reinterpret_cast<const __m128i*>(offsets + done));
      _mm512_storeu_si512(begins + done,
                          _mm512_add_epi32(_mm512_maskz_cvtepu8_epi32(0xFFFF, part), b));
    }
  }
};

}  // namespace

LexResult lex(std::string_view text, TokenBuffer& out) {
  return BlockLexer<Avx512Classifier>(text.data(), text.size(), out).run();
}

}  // namespace perfectex::lexer::avx512
