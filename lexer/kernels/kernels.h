// The entry point of each vector kernel, one namespace per ISA, each defined in its own
// translation unit compiled with that ISA's flags (lexer/kernels/<arch>/<isa>.cpp). Call one only
// after the dispatcher has checked that the CPU has the ISA. Threading: pure functions; the
// TokenBuffer passed in must not be shared.
#pragma once

#include <string_view>

#include "lexer/lexer.h"

namespace perfectex::lexer {

#if defined(__x86_64__)
namespace sse42 {
LexResult lex(std::string_view text, TokenBuffer& out);
}
namespace avx2 {
LexResult lex(std::string_view text, TokenBuffer& out);
}
namespace avx512 {
LexResult lex(std::string_view text, TokenBuffer& out);
}
#endif
#if defined(__aarch64__)
namespace neon {
LexResult lex(std::string_view text, TokenBuffer& out);
}
#endif

}  // namespace perfectex::lexer
