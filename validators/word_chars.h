// What characters a Text token holds that a rule may care about (the chars:: bits), so the rule
// families skip the words that cannot concern them. A short word of letters alone, most of
// prose, is answered eight bytes at a time; word_chars_bytewise is the obviously correct twin.
// Threading: pure functions.
#pragma once

#include <cstdint>
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

/// The chars:: bits of text[begin, end), a non-empty Text token.
std::uint8_t word_chars(std::string_view text, std::uint32_t begin, std::uint32_t end);
/// The same, computed one byte at a time.
std::uint8_t word_chars_bytewise(std::string_view text, std::uint32_t begin, std::uint32_t end);

}  // namespace perfectex::validators
