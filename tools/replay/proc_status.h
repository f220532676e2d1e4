// Memory of a local process from /proc/<pid>/status: resident set now (VmRSS) and its peak (VmHWM).
// Threading: pure parsing function plus a file read; safe from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace perfectex::replay {

struct ProcMemory {
  std::uint64_t rss_bytes = 0;       ///< VmRSS
  std::uint64_t peak_rss_bytes = 0;  ///< VmHWM
};

/// Parses the text of a /proc/<pid>/status file; nullopt when VmRSS is missing (a zombie).
std::optional<ProcMemory> parse_proc_status(std::string_view text);

/// Reads /proc/<pid>/status; nullopt when the process is gone or the file is unreadable.
std::optional<ProcMemory> read_proc_memory(pid_t pid);

}  // namespace perfectex::replay
