// Range estimators: from a tensor's calibration statistics to the [low, high] range of its FakeQuantize.
//
// Every range contains 0 and represents it exactly: low = -zp * scale with an integer zero point zp, and the
// scale is rounded up to 16 significant bits so that zp * scale and (levels - 1) * scale are exact in float;
// (high - low) / (levels - 1) and -low / scale therefore give back the scale and zp exactly, which is what
// fake_quantize_to_qdq (docs/int8.md) and the QDQ writer compute.
//  - non-negative data (x >= 0 in every sample): low = 0 (u8, zero point 0), whatever the preset;
//  - symmetric (signed data): a threshold t, scale = t / h with h = (levels - 1) / 2 (127), low = -(levels -
//    1 - h) * scale, high = t: i8 [-128, 127] for 256 levels (t is not clipped on the positive side, as in
//    NNCF), narrow [-127, 127] for 255;
//  - asymmetric (signed data): [a, b] nudged to the integer zero point round(-a / scale), width kept.
#pragma once

#include <string>

#include "quantization/tensor_statistics.h"

namespace octet::quantization {

enum class RangeEstimator { kMinMax, kMeanMinMax, kPercentile, kKlDivergence, kMse };

// "minmax", "mean_minmax", "percentile", "kl", "mse"; throws kInvalidArgument listing them otherwise.
RangeEstimator parse_range_estimator(const std::string& name);
const char* to_string(RangeEstimator estimator);

struct QuantizationRange {
  float low = 0, high = 0;
  int levels = 256;
};

struct RangeOptions {
  RangeEstimator estimator = RangeEstimator::kMinMax;
  double percentile = 99.99;  // kPercentile: of |x| (symmetric) or of each tail (asymmetric)
  bool symmetric = false;     // performance preset: symmetric; mixed preset: asymmetric
  int levels = 256;
};

// The estimators, for signed data (non-negative data use the positive side only):
//  minmax       [min, max] (symmetric: max |x|)
//  mean_minmax  [mean of the per-sample minima, mean of the per-sample maxima] (symmetric: mean per-sample
//               max |x|)
//  percentile   the given percentile of |x| (symmetric) or the two tails (asymmetric), from the histogram
//  kl           TensorRT's entropy calibration on the |x| histogram: the threshold whose clipped
//               distribution loses the least information (KL divergence) when quantized to levels / 2
//               (signed) or levels (non-negative) bins; asymmetric ranges clip [min, max] to [-t, t]
//  mse          the clipping range that minimizes the expected squared error, rounding noise (scale^2 / 12
//               per non-zero value inside the range) plus clipping error (from the histogram, values
//               uniform within a bin)
// Throws kInvalidArgument when the statistics have no sample or an option is out of range.
QuantizationRange estimate_range(const TensorStatistics& stats, const RangeOptions& options);

}  // namespace octet::quantization
