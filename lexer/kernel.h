// The lexer kernels and the runtime dispatch between them: every kernel compiled into this binary,
// whether the CPU can run it, and the one lex_document uses (PERFECTEX_KERNEL when set, else the
// best the CPU has). Threading: all functions are safe to call from any thread; the active kernel
// is chosen once, on first use.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "lexer/lexer.h"

namespace perfectex::lexer {

struct Kernel {
  std::string_view name;  ///< scalar, sse42, avx2, avx512, neon
  LexResult (*lex)(std::string_view text, TokenBuffer& out);
};

/// Every kernel compiled into this binary, scalar first, then by preference (best last).
std::span<const Kernel> compiled_kernels();
/// Whether this CPU (and OS) can run the kernel.
bool kernel_supported(const Kernel& kernel);
/// The kernel named name, or nullptr when none is compiled in.
const Kernel* find_kernel(std::string_view name);
/// Why PERFECTEX_KERNEL cannot be honoured (unknown name, or the CPU lacks it); empty when it is
/// unset or fine. Programs call it at start-up and refuse to run when it says something.
std::string kernel_env_error();
/// The kernel in use: PERFECTEX_KERNEL when it names a supported kernel, else the best supported.
const Kernel& active_kernel();

}  // namespace perfectex::lexer
