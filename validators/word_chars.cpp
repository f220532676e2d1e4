#include "validators/word_chars.h"

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

}  // namespace perfectex::validators
