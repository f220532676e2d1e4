// UTF-8 well-formedness: the length of the sequence at a byte, the valid prefix of a string, and
// repair with U+FFFD. Overlong forms, surrogates and code points past U+10FFFF are ill-formed.
// Threading: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace perfectex::protocol {

/// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when it is ill-formed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);
/// Length of the longest prefix of s that is well-formed UTF-8.
std::size_t valid_utf8_prefix(std::string_view s);
/// s with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string sanitize_utf8(std::string_view s);

}  // namespace perfectex::protocol
