// Storage for the large per-document arrays (token kinds and begins, per-token scratch): a block
// of 1 MiB or more is aligned to 2 MiB and offered to the kernel for transparent huge pages, so
// filling it takes one page fault per 2 MiB instead of one per 4 KiB and its pages take fewer TLB
// entries. Smaller blocks are plain operator new. Both go through operator new, so the
// quiet-allocation guard counts them. Threading: stateless, as thread-safe as operator new.
#pragma once

#include <cstddef>
#include <vector>

namespace perfectex::lexer {

void* allocate_large(std::size_t bytes);
void deallocate_large(void* p, std::size_t bytes) noexcept;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_large(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { deallocate_large(p, n * sizeof(T)); }
  template <typename U>
  friend bool operator==(HugePageAllocator, HugePageAllocator<U>) {
    return true;
  }
};

/// A vector whose storage, once large, is in huge pages.
template <typename T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace perfectex::lexer
