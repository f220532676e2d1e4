#include "tools/replay/progress_bar.h"

#include <algorithm>
#include <cstdio>

namespace perfectex::replay {

ProgressBar::ProgressBar(bool enabled, std::string label)
    : enabled_(enabled), label_(std::move(label)), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total, const std::string& note) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100) && done < total) return;
  last_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double fraction = total == 0 ? 0.0 : std::min(1.0, static_cast<double>(done) / total);
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %llu/%llu %s %.1fs\033[K", label_.c_str(), bar.c_str(),
               fraction * 100, static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total), note.c_str(), elapsed);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace perfectex::replay
