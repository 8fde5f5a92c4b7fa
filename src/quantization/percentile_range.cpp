#include <algorithm>
#include <cmath>

#include "quantization/histogram_thresholds.h"

namespace octet::quantization {
namespace {

// Where the k-th smallest value (0-based) lies if a bin's values are spread evenly over it: the j-th of a
// bin's c values at (j + 0.5) / c of its width.
double order_statistic(const Histogram& histogram, double k) {
  double below = 0;
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    const double count = histogram.counts[i];
    if (count > 0 && k < below + count) {
      return histogram.origin + (static_cast<double>(i) + (k - below + 0.5) / count) * histogram.width;
    }
    below += count;
  }
  return histogram.upper();
}

}  // namespace

// numpy's default ("linear") percentile: position fraction * (n - 1) between the order statistics around it.
// Interpolating between order statistics rather than in the cumulative count keeps sparse tails (bins of 0
// or 1 value) from jumping to the next value's bin on a rounding of the fraction.
double histogram_quantile(const Histogram& histogram, double fraction) {
  const double total = histogram.total();
  OCTET_ASSERT(total > 0);
  const double position = std::clamp(fraction, 0.0, 1.0) * (total - 1);
  const double k = std::floor(position);
  const double below = order_statistic(histogram, k);
  if (k + 1 >= total) return below;
  return below + (position - k) * (order_statistic(histogram, k + 1) - below);
}

}  // namespace octet::quantization
