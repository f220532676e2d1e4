// What the process knows about itself for the metrics: resident set size from /proc.
// Threading: safe from any thread.
#pragma once

#include <cstddef>

namespace perfectex::server {

/// Resident set size in bytes, or 0 when /proc is not available.
std::size_t resident_set_bytes();

}  // namespace perfectex::server
