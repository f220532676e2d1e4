// printf-style formatting into std::string and the formats the reports share (milliseconds with
// three decimals, megabytes with one, the current UTC time in ISO 8601).
// Threading: pure functions.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

namespace perfectex::replay {

template <typename... Args>
std::string strprintf(const char* fmt, Args... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, fmt, args...);
  return out;
}

/// Nanoseconds as milliseconds with three decimals ("1.234").
inline std::string ms_text(std::int64_t ns) {
  return strprintf("%.3f", static_cast<double>(ns) / 1e6);
}

/// Bytes as mebibytes with one decimal ("12.3 MB").
inline std::string mb_text(std::uint64_t bytes) {
  return strprintf("%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

/// The current time in UTC, ISO 8601 to the second ("2025-01-31T12:00:00Z").
inline std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace perfectex::replay
