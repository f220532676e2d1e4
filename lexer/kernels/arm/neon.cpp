// The NEON kernel (aarch64): classifies 64-byte blocks as four 16-byte vectors with a
// nibble-table lookup, then hands the masks to the shared BlockLexer. NEON has no byte movemask,
// so each mask is built by weighting the lanes by their bit and adding pairwise.
#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "lexer/kernels/kernels.h"

namespace perfectex::lexer::neon {
namespace {

#include "lexer/kernels/block_lexer.inl"
#include "lexer/kernels/nibble_tables.inl"

// One bit per byte of four 0x00/0xFF vectors, byte i of v[k] giving bit 16 * k + i.
std::uint64_t movemask(uint8x16_t v0, uint8x16_t v1, uint8x16_t v2, uint8x16_t v3) {
  static constexpr std::uint8_t kWeights[16] = {1, 2, 4, 8, 16, 32, 64, 128,
                                                1, 2, 4, 8, 16, 32, 64, 128};
  const uint8x16_t weights = vld1q_u8(kWeights);
  uint8x16_t s0 = vpaddq_u8(vandq_u8(v0, weights), vandq_u8(v1, weights));
  uint8x16_t s1 = vpaddq_u8(vandq_u8(v2, weights), vandq_u8(v3, weights));
  s0 = vpaddq_u8(s0, s1);
  s0 = vpaddq_u8(s0, s0);
  return vgetq_lane_u64(vreinterpretq_u64_u8(s0), 0);
}

struct NeonClassifier {
  static BlockMasks classify(const char* p) {
    const uint8x16_t low = vld1q_u8(kLow);
    const uint8x16_t high = vld1q_u8(kHigh);
    const uint8x16_t nibble = vdupq_n_u8(0x0F);
    uint8x16_t special[4], blank[4], line_end[4], slow[4], letter[4], at[4];
    for (int k = 0; k < 4; ++k) {
      uint8x16_t v = vld1q_u8(reinterpret_cast<const std::uint8_t*>(p) + 16 * k);
      uint8x16_t r =
          vandq_u8(vqtbl1q_u8(low, vandq_u8(v, nibble)), vqtbl1q_u8(high, vshrq_n_u8(v, 4)));
      special[k] = vtstq_u8(r, vdupq_n_u8(7));
      blank[k] = vtstq_u8(r, vdupq_n_u8(24));
      line_end[k] = vtstq_u8(r, vdupq_n_u8(32));
      slow[k] = vtstq_u8(r, vdupq_n_u8(224));
      uint8x16_t folded = vsubq_u8(vorrq_u8(v, vdupq_n_u8(0x20)), vdupq_n_u8('a'));
      letter[k] = vcltq_u8(folded, vdupq_n_u8(26));
      at[k] = vceqq_u8(v, vdupq_n_u8('@'));
    }
    return {movemask(special[0], special[1], special[2], special[3]),
            movemask(blank[0], blank[1], blank[2], blank[3]),
            movemask(line_end[0], line_end[1], line_end[2], line_end[3]),
            movemask(slow[0], slow[1], slow[2], slow[3]),
            movemask(letter[0], letter[1], letter[2], letter[3]),
            movemask(at[0], at[1], at[2], at[3])};
  }
};

}  // namespace

LexResult lex(std::string_view text, TokenBuffer& out) {
  return BlockLexer<NeonClassifier>(text.data(), text.size(), out).run();
}

}  // namespace perfectex::lexer::neon
