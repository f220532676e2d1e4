// libFuzzer target: every kernel this CPU supports must give exactly the scalar reference's token
// arrays, count, status and end state on arbitrary input, with a roomy buffer and with one too
// small (the capacity sentinel). Built with clang (-fsanitize=fuzzer,address,undefined) by
// run_fuzz.sh, which the lexer_fuzz ctest runs for a bounded time.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "lexer/kernel.h"
#include "lexer/lexer.h"

using namespace perfectex::lexer;

namespace {

void compare(std::string_view text, std::size_t capacity) {
  TokenBuffer reference(capacity);
  LexResult expected = lex_scalar(text, reference);
  for (const Kernel& kernel : compiled_kernels()) {
    if (kernel.name == "scalar" || !kernel_supported(kernel)) continue;
    TokenBuffer tokens(capacity);
    LexResult got = kernel.lex(text, tokens);
    bool same = got.status == expected.status && got.token_count == expected.token_count &&
                tokens == reference &&
                (expected.status != LexStatus::Ok || got.end_state == expected.end_state);
    if (!same) {
      std::fprintf(stderr, "kernel %.*s differs from scalar (capacity %zu)\n",
                   static_cast<int>(kernel.name.size()), kernel.name.data(), capacity);
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  compare(text, size + 1);
  if (size > 3) compare(text, size / 3);
  return 0;
}
