// The quiet-allocation guard: the hot path (lex, later expand and validate) must not allocate. A
// replaced global operator new (lexer/counting_new.cpp, linked into programs and tests, never into
// the lexer library itself) counts allocations per thread; a guard reads that count around a
// section. Threading: the counter is thread_local; a guard belongs to the thread that made it.
#pragma once

#include <cstdint>

namespace perfectex::lexer {

/// Allocations made by this thread through operator new so far (0 forever when the counting
/// operator new is not linked in).
std::uint64_t thread_allocations();
/// Whether the counting operator new is linked into this program.
bool allocation_counting_enabled();

namespace detail {
extern thread_local std::uint64_t tls_allocations;
extern bool counting_new_linked;
}  // namespace detail

/// Counts this thread's allocations from construction on: wrap a section that must be quiet.
class QuietAllocationGuard {
 public:
  QuietAllocationGuard() : start_(thread_allocations()) {}
  QuietAllocationGuard(const QuietAllocationGuard&) = delete;
  QuietAllocationGuard& operator=(const QuietAllocationGuard&) = delete;

  /// Allocations this thread made since the guard was created.
  std::uint64_t allocations() const { return thread_allocations() - start_; }

 private:
  std::uint64_t start_;
};

}  // namespace perfectex::lexer
