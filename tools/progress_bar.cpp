#include "tools/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace octet::tools {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr size_t kBarWidth = 30;

// "Label [#####.....] done/total"
std::string bar_text(const std::string& label, size_t done, size_t total, size_t width) {
  done = std::min(done, total);
  const size_t filled = total == 0 ? width : done * width / total;
  return label + " [" + std::string(filled, '#') + std::string(width - filled, '.') + "] " +
         std::to_string(done) + "/" + std::to_string(total);
}

}  // namespace

std::string format_duration(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(text, sizeof(text), "%lld:%02lld", total / 60, total % 60);
  }
  return text;
}

std::string ProgressBar::render(const std::string& label, size_t done, size_t total, double elapsed_seconds,
                                size_t width) {
  const std::string line = bar_text(label, done, total, width);
  if (done >= total) return line + " in " + format_duration(elapsed_seconds);
  if (done == 0) return line;
  const double left = elapsed_seconds / static_cast<double>(done) * static_cast<double>(total - done);
  return line + " " + format_duration(left) + " left";
}

ProgressBar::ProgressBar(std::string label, size_t total)
    : label_(std::move(label)),
      total_(total),
      terminal_(isatty(STDERR_FILENO) == 1),
      start_(Clock::now()),
      last_draw_(start_ - kRedrawInterval) {}

void ProgressBar::update(size_t done) {
  if (finished_) return;
  done_ = done;
  if (done >= total_) {
    finish();
    return;
  }
  const Clock::time_point now = Clock::now();
  if (!terminal_ || now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  // \r and "erase to end of line": the new line may be shorter than the last.
  std::fprintf(stderr, "\r%s\x1b[K", render(label_, done, total_, elapsed, kBarWidth).c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const std::string line = done_ < total_ ? bar_text(label_, done_, total_, kBarWidth) + " stopped after " +
                                                format_duration(elapsed)
                                          : render(label_, done_, total_, elapsed, kBarWidth);
  std::fprintf(stderr, "%s%s\n", terminal_ ? "\r\x1b[K" : "", line.c_str());
  std::fflush(stderr);
}

}  // namespace octet::tools
