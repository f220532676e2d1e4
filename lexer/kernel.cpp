#include "lexer/kernel.h"

#include <cstdlib>

#include "lexer/kernels/kernels.h"

namespace perfectex::lexer {
namespace {

// Preference order, best last. Token building, not classification, dominates; AVX-512 wins by
// storing a block's tokens with byte compression (bench/lex_bench.cpp, lex/<kernel>/<file>).
constexpr Kernel kKernels[] = {
    {"scalar", &lex_scalar},
#if defined(__x86_64__)
    {"sse42", &sse42::lex},  {"avx2", &avx2::lex}, {"avx512", &avx512::lex},
#endif
#if defined(__aarch64__)
    {"neon", &neon::lex},
#endif
};

const char* env_kernel() {
  const char* name = std::getenv("PERFECTEX_KERNEL");
  return name != nullptr && *name != '\0' ? name : nullptr;
}

const Kernel& choose() {
  if (const char* name = env_kernel()) {
    const Kernel* forced = find_kernel(name);
    if (forced != nullptr && kernel_supported(*forced)) return *forced;
  }
  const Kernel* best = &kKernels[0];
  for (const Kernel& kernel : kKernels) {
    if (kernel_supported(kernel)) best = &kernel;
  }
  return *best;
}

}  // namespace

std::span<const Kernel> compiled_kernels() {
  return kKernels;
}

bool kernel_supported([[maybe_unused]] const Kernel& kernel) {
#if defined(__x86_64__)
  if (kernel.name == "sse42") return __builtin_cpu_supports("sse4.2");
  if (kernel.name == "avx2") return __builtin_cpu_supports("avx2");
  if (kernel.name == "avx512") {
    return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("avx512vbmi2");
  }
#endif
  // scalar runs everywhere; NEON is part of the aarch64 baseline.
  return true;
}

const Kernel* find_kernel(std::string_view name) {
  for (const Kernel& kernel : kKernels) {
    if (kernel.name == name) return &kernel;
  }
  return nullptr;
}

std::string kernel_env_error() {
  const char* name = env_kernel();
  if (name == nullptr) return {};
  const Kernel* kernel = find_kernel(name);
  std::string known;
  for (const Kernel& k : kKernels) {
    if (!known.empty()) known += ", ";
    known += k.name;
  }
  if (kernel == nullptr) {
    return "PERFECTEX_KERNEL=" + std::string(name) + ": unknown lexer kernel (this build has " +
           known + ")";
  }
  if (!kernel_supported(*kernel)) {
    return "PERFECTEX_KERNEL=" + std::string(name) + ": this CPU cannot run the " +
           std::string(name) + " lexer kernel";
  }
  return {};
}

const Kernel& active_kernel() {
  static const Kernel& kernel = choose();
  return kernel;
}

}  // namespace perfectex::lexer
