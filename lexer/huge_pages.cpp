#include "lexer/huge_pages.h"

#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace perfectex::lexer {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kThreshold = std::size_t{1} << 20;

std::size_t rounded(std::size_t bytes) {
  return (bytes + kHugePage - 1) & ~(kHugePage - 1);
}

}  // namespace

void* allocate_large(std::size_t bytes) {
  if (bytes < kThreshold) return ::operator new(bytes);
  void* p = ::operator new (rounded(bytes), std::align_val_t{kHugePage});
#if defined(MADV_HUGEPAGE)
  // Advice only: where transparent huge pages are off the block keeps small pages.
  ::madvise(p, rounded(bytes), MADV_HUGEPAGE);
#endif
  return p;
}

void deallocate_large(void* p, std::size_t bytes) noexcept {
  if (bytes < kThreshold) {
    ::operator delete(p);
  } else {
    ::operator delete (p, std::align_val_t{kHugePage});
  }
}

}  // namespace perfectex::lexer
