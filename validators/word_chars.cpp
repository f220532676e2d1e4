#include "validators/word_chars.h"

#include <bit>
#include <cstring>

namespace perfectex::validators {
namespace {

// One table lookup per byte: the chars:: bits a byte sets directly, and private bits for
// letters, capitals, digits and `x` that the scan combines.
constexpr std::uint16_t kLetterBit = 0x100, kUpperBit = 0x200, kDigitBit = 0x400, kXBit = 0x800;
struct CharTable {
  std::uint16_t bits[256]{};
  constexpr CharTable() {
    bits[static_cast<unsigned char>('.')] = chars::kDot;
    for (char c : {'"', '\'', '`'}) bits[static_cast<unsigned char>(c)] = chars::kQuote;
    bits[0xB4] = chars::kQuote;
    bits[static_cast<unsigned char>('-')] = chars::kDash;
    for (char c : {',', ';', ':', '!', '?', ')'}) bits[static_cast<unsigned char>(c)] = chars::kPunct;
    for (char c = '0'; c <= '9'; ++c) bits[static_cast<unsigned char>(c)] = kDigitBit;
    for (char c = 'a'; c <= 'z'; ++c) bits[static_cast<unsigned char>(c)] = kLetterBit;
    for (char c = 'A'; c <= 'Z'; ++c) bits[static_cast<unsigned char>(c)] = kLetterBit | kUpperBit;
    bits[static_cast<unsigned char>('x')] = kLetterBit | kXBit;
  }
};
constexpr CharTable kChars;

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHigh = 0x8080808080808080ull;

// Whether the first length (1..8) bytes of word are all ASCII letters. Per byte: no high bit;
// then, with the case bit set, at least 'a' and below '{' (no carry crosses a byte, as every
// byte is at most 0x7F before each addition).
bool all_letters(std::uint64_t word, std::uint32_t length) {
  std::uint64_t lanes = length == 8 ? kHigh : kHigh & ((std::uint64_t{1} << (8 * length)) - 1);
  std::uint64_t low = (word | 0x20 * kOnes) & ~kHigh;
  std::uint64_t at_least_a = low + (0x80 - 'a') * kOnes;
  std::uint64_t past_z = low + (0x80 - '{') * kOnes;
  std::uint64_t letters = at_least_a & ~past_z & ~word & kHigh;
  return (letters & lanes) == lanes;
}

}  // namespace

std::uint8_t word_chars_bytewise(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  std::uint16_t bits = 0, pairs = 0, prev = 0;
  for (std::uint32_t k = begin; k < end; ++k) {
    std::uint16_t c = kChars.bits[static_cast<unsigned char>(text[k])];
    bits |= c;
    pairs |= prev & c;
    prev = c;
  }
  auto out = static_cast<std::uint8_t>(bits & 0xFF);
  if (pairs & kLetterBit) out |= chars::kLetters;
  if ((bits & kDigitBit) && (bits & kXBit)) out |= chars::kTimes;
  char last = text[end - 1];
  if ((bits & kUpperBit) && (last == '.' || last == '!' || last == '?')) out |= chars::kUpperEnd;
  return out;
}

// A word of letters alone sets kLetters when it has two of them, and nothing else.
std::uint8_t word_chars(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  std::uint32_t length = end - begin;
  if constexpr (std::endian::native == std::endian::little) {
    if (length <= 8 && std::size_t{begin} + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + begin, 8);
      if (all_letters(word, length)) return length >= 2 ? chars::kLetters : 0;
    }
  }
  return word_chars_bytewise(text, begin, end);
}

}  // namespace perfectex::validators
