// MSE-optimal clipping from a histogram. For a range [a, b] with s = (b - a) / steps, the expected squared
// error of fake-quantizing the calibration values is
//   rounding noise: s^2 / 12 for every non-zero value inside the range (exact zeros stay exact),
//   clipping:       sum over values outside of (x - b)^2 (or (x - a)^2),
// with the values of a bin uniform over it, so a bin [l, l + w) beyond b contributes
//   count * E[(x - b)^2] = count * (E[x^2] - 2 b E[x] + b^2),  E[x] = l + w / 2,  E[x^2] = l^2 + l w + w^2
//   / 3.
// Prefix / suffix sums of count, count * E[x] and count * E[x^2] make each candidate O(1); candidates are
// the bin edges.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "quantization/histogram_thresholds.h"

namespace octet::quantization {
namespace {

// Cumulative moments of the bins before each edge: at[k] sums bins 0..k-1.
struct Moments {
  std::vector<double> count, first, second;

  explicit Moments(const Histogram& h)
      : count(h.counts.size() + 1), first(count.size()), second(count.size()) {
    for (size_t j = 0; j < h.counts.size(); ++j) {
      const double l = h.origin + static_cast<double>(j) * h.width, w = h.width, c = h.counts[j];
      count[j + 1] = count[j] + c;
      first[j + 1] = first[j] + c * (l + w / 2);
      second[j + 1] = second[j] + c * (l * l + l * w + w * w / 3);
    }
  }
  // Sum over the bins [from, to) of count * E[(x - t)^2].
  double squared_distance(size_t from, size_t to, double t) const {
    const double c = count[to] - count[from], m1 = first[to] - first[from], m2 = second[to] - second[from];
    return std::max(0.0, m2 - 2 * t * m1 + t * t * c);
  }
};

// Up to `max_count` edges evenly spread over [first, last], both included.
std::vector<size_t> candidate_edges(size_t first, size_t last, size_t max_count) {
  std::vector<size_t> edges;
  const size_t span = last - first;
  if (span + 1 <= max_count) {
    for (size_t k = first; k <= last; ++k) edges.push_back(k);
    return edges;
  }
  for (size_t i = 0; i < max_count; ++i) edges.push_back(first + span * i / (max_count - 1));
  return edges;
}

}  // namespace

double mse_threshold(const Histogram& magnitudes, int steps, double exact_zeros) {
  const Moments moments(magnitudes);
  const size_t bins = magnitudes.counts.size();
  double best_error = std::numeric_limits<double>::infinity();
  size_t best = bins;
  for (size_t k = 1; k <= bins; ++k) {
    const double t = magnitudes.origin + static_cast<double>(k) * magnitudes.width;
    const double scale = t / steps;
    const double rounded = std::max(0.0, moments.count[k] - exact_zeros);
    const double error = rounded * scale * scale / 12 + moments.squared_distance(k, bins, t);
    if (error < best_error) {
      best_error = error;
      best = k;
    }
  }
  return magnitudes.origin + static_cast<double>(best) * magnitudes.width;
}

std::pair<double, double> mse_asymmetric_range(const Histogram& values, int steps, double exact_zeros) {
  const Moments moments(values);
  const size_t bins = values.counts.size();
  // The edge at 0: the histogram's origin is a whole number of bins below it.
  const auto zero_edge = static_cast<size_t>(std::llround(-values.origin / values.width));
  // Two 256-candidate sides: 65536 O(1) evaluations, a resolution of 1/256 of each side's extent.
  constexpr size_t kCandidatesPerSide = 256;
  const std::vector<size_t> lows = candidate_edges(0, zero_edge, kCandidatesPerSide);
  const std::vector<size_t> highs = candidate_edges(zero_edge, bins, kCandidatesPerSide);
  double best_error = std::numeric_limits<double>::infinity();
  std::pair<size_t, size_t> best{0, bins};
  for (const size_t lo : lows) {
    const double a = values.origin + static_cast<double>(lo) * values.width;
    const double below = moments.squared_distance(0, lo, a);
    for (const size_t hi : highs) {
      if (hi == lo) continue;
      const double b = values.origin + static_cast<double>(hi) * values.width;
      const double scale = (b - a) / steps;
      const double rounded = std::max(0.0, moments.count[hi] - moments.count[lo] - exact_zeros);
      const double error = rounded * scale * scale / 12 + below + moments.squared_distance(hi, bins, b);
      if (error < best_error) {
        best_error = error;
        best = {lo, hi};
      }
    }
  }
  return {values.origin + static_cast<double>(best.first) * values.width,
          values.origin + static_cast<double>(best.second) * values.width};
}

}  // namespace octet::quantization
