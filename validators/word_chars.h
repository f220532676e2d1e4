// What characters a Text token holds that a rule may care about (the chars:: bits), so the rule
// families skip the words that cannot concern them. A short word of letters alone, most of
// prose, is answered eight bytes at a time, inline; word_chars_bytewise is the obviously correct
// twin, and the path of every other word.
// Threading: pure functions.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace perfectex::validators {

namespace chars {
inline constexpr std::uint8_t kDot = 1;
inline constexpr std::uint8_t kQuote = 2;    ///< " ' ` or the Latin-1/UTF-8 acute accent
inline constexpr std::uint8_t kDash = 4;
inline constexpr std::uint8_t kPunct = 8;    ///< , ; : ! ? )
inline constexpr std::uint8_t kTimes = 16;    ///< a digit and an `x` (640x200)
inline constexpr std::uint8_t kLetters = 32;  ///< two letters in a row
inline constexpr std::uint8_t kUpperEnd = 64;  ///< a capital, and the token ends with . ! or ?
}  // namespace chars

/// The chars:: bits of text[begin, end), a non-empty Text token, computed one byte at a time.
std::uint8_t word_chars_bytewise(std::string_view text, std::uint32_t begin, std::uint32_t end);

/// The same bits. A word of up to eight letters alone sets kLetters when it has two of them,
/// and nothing else: one load and a few operations, inline. Per byte: no high bit; then, with
/// the case bit set, at least 'a' and below '{' (no carry crosses a byte: each is at most 0x7F).
inline std::uint8_t word_chars(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  std::uint32_t length = end - begin;
  if constexpr (std::endian::native == std::endian::little) {
    if (length <= 8 && std::size_t{begin} + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + begin, 8);
      std::uint64_t lanes = length == 8 ? kHigh : kHigh & ((std::uint64_t{1} << (8 * length)) - 1);
      std::uint64_t low = (word | 0x20 * kOnes) & ~kHigh;
      std::uint64_t letters = (low + (0x80 - 'a') * kOnes) & ~(low + (0x80 - '{') * kOnes) & ~word;
      if ((letters & lanes) == lanes) return length >= 2 ? chars::kLetters : 0;
    }
  }
  return word_chars_bytewise(text, begin, end);
}

}  // namespace perfectex::validators
