// TensorRT's entropy calibration (Szymon Migacz, "8-bit Inference with TensorRT", GTC 2017), written from the
// algorithm's description: for every candidate threshold, KL(P || Q) between the clipped reference
// distribution P and its quantization Q.
#include <cmath>
#include <limits>
#include <vector>

#include "quantization/histogram_thresholds.h"

namespace octet::quantization {
namespace {

Histogram merged_to_at_most(Histogram histogram, size_t max_bins) {
  while (histogram.counts.size() > max_bins) {
    std::vector<double> merged((histogram.counts.size() + 1) / 2, 0.0);
    for (size_t i = 0; i < histogram.counts.size(); ++i) merged[i / 2] += histogram.counts[i];
    histogram.counts = std::move(merged);
    histogram.width *= 2;
  }
  return histogram;
}

// KL(P || Q) for P = the first `bins` counts with `outliers` (the mass beyond) added to the last, and Q = the
// same bins without the outliers merged into `levels` groups and spread back evenly over each group's bins
// where P > 0; both normalized. Q leaves the clipped mass out, which is what makes clipping cost something:
// infinite when Q is 0 where P is not (the outliers land in an empty group).
double clipped_divergence(const std::vector<double>& counts, size_t bins, double outliers, size_t levels) {
  double p_total = outliers, q_total = 0;
  for (size_t i = 0; i < bins; ++i) q_total += counts[i];
  p_total += q_total;
  if (q_total <= 0) return std::numeric_limits<double>::infinity();
  double divergence = 0;
  for (size_t level = 0; level < levels; ++level) {
    const size_t begin = level * bins / levels;
    const size_t end = (level + 1) * bins / levels;
    double mass = 0;
    size_t non_empty = 0;
    for (size_t i = begin; i < end; ++i) {
      const double p = counts[i] + (i == bins - 1 ? outliers : 0.0);
      mass += counts[i];
      non_empty += p > 0 ? 1 : 0;
    }
    if (non_empty == 0) continue;
    if (mass <= 0) return std::numeric_limits<double>::infinity();
    const double q = mass / static_cast<double>(non_empty) / q_total;
    for (size_t i = begin; i < end; ++i) {
      const double p = (counts[i] + (i == bins - 1 ? outliers : 0.0)) / p_total;
      if (p > 0) divergence += p * std::log(p / q);
    }
  }
  return divergence;
}

}  // namespace

double kl_divergence_threshold(const Histogram& magnitudes, int quantized_bins) {
  Histogram h = merged_to_at_most(magnitudes, kKlMaxBins);
  // The exact zeros of a ReLU output pile up in bin 0, and that spike, spread over its whole group by Q,
  // dominates the divergence and pulls the threshold far down (MobileNet v2's ReLU6 outputs clipped at 2-3
  // of 6, top-1 4.4%). Zero is on every quantization grid, so the spike costs nothing: it is flattened to
  // its neighbour's count, as NVIDIA's pytorch-quantization entropy calibrator does.
  if (h.counts.size() > 1) h.counts[0] = h.counts[1];
  const size_t bins = h.counts.size();
  const auto levels = static_cast<size_t>(quantized_bins);
  // Fewer bins than levels: every bin keeps its own level, nothing is worth clipping.
  if (bins <= levels) return h.upper();

  std::vector<double> beyond(bins + 1, 0.0);  // beyond[i]: mass of bins i..end
  for (size_t i = bins; i-- > 0;) beyond[i] = beyond[i + 1] + h.counts[i];

  size_t best = bins;
  double best_divergence = std::numeric_limits<double>::infinity();
  for (size_t i = levels; i <= bins; ++i) {
    const double divergence = clipped_divergence(h.counts, i, beyond[i], levels);
    if (divergence < best_divergence) {
      best_divergence = divergence;
      best = i;
    }
  }
  return h.origin + static_cast<double>(best) * h.width;
}

}  // namespace octet::quantization
