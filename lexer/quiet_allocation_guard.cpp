#include "lexer/quiet_allocation_guard.h"

namespace perfectex::lexer {

namespace detail {
thread_local std::uint64_t tls_allocations = 0;
bool counting_new_linked = false;
}  // namespace detail

std::uint64_t thread_allocations() {
  return detail::tls_allocations;
}

bool allocation_counting_enabled() {
  return detail::counting_new_linked;
}

}  // namespace perfectex::lexer
