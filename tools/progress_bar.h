// A one-line text progress bar on stderr for long loops (calibration, accuracy runs):
//   Calibrating [############............] 120/300 0:04 left
// Redrawn in place at most ten times a second; when stderr is not a terminal (logs, CI) only the final line
// is written, so logs do not fill with carriage returns.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace octet::tools {

class ProgressBar {
 public:
  ProgressBar(std::string label, size_t total);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Reports `done` of `total` items; reaching the total writes the final line.
  void update(size_t done);
  // Writes the final line now (once) if it was not written yet, e.g. after an early stop.
  void finish();

  // The bar as drawn: label, bar of `width` cells, counts, and the time left (estimated from the time so
  // far) or, when done, the time it took.
  static std::string render(const std::string& label, size_t done, size_t total, double elapsed_seconds,
                            size_t width = 30);

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  size_t total_;
  bool terminal_;
  bool finished_ = false;
  size_t done_ = 0;
  Clock::time_point start_;
  Clock::time_point last_draw_;
};

// "m:ss" (or "h:mm:ss" from an hour on).
std::string format_duration(double seconds);

}  // namespace octet::tools
