// A one-line progress bar on stderr for long runs, redrawn at most ten times a second; silent when
// stderr is not a terminal (or when disabled), so logs and CI output stay clean.
// Threading: one thread draws; not synchronised.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace perfectex::replay {

class ProgressBar {
 public:
  /// enabled: draw at all (the caller passes isatty(2) && !--no-progress).
  ProgressBar(bool enabled, std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Shows done out of total (total 0: an unknown end), with a note such as "pass 2/5".
  void update(std::uint64_t done, std::uint64_t total, const std::string& note);
  /// Clears the line.
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace perfectex::replay
