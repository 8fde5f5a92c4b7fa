// The histogram-based searches behind the percentile, KL-divergence and MSE range estimators
// (range_estimators.h), one per file, on the histograms of TensorStatistics.
#pragma once

#include <utility>

#include "quantization/tensor_statistics.h"

namespace octet::quantization {

// The `fraction` (0..1) quantile as numpy.percentile computes it (linear between order statistics), each
// bin's values taken as spread evenly over it.
double histogram_quantile(const Histogram& histogram, double fraction);

// TensorRT's entropy calibration on a histogram of magnitudes (origin 0): the upper edge i * width, i >=
// quantized_bins, whose clipped distribution P (the mass beyond it added to its last bin) has the smallest
// KL(P || Q), Q being the bins below the threshold (without the mass beyond) quantized to `quantized_bins`
// bins and expanded back over P's non-empty bins. Histograms finer than kKlMaxBins are first merged by pairs
// (TensorRT's 2048-bin resolution; bounds the quadratic search).
inline constexpr size_t kKlMaxBins = 2048;
double kl_divergence_threshold(const Histogram& magnitudes, int quantized_bins);

// The clipping threshold t (a bin edge) of [0, t] with `steps` quantization steps that minimizes the expected
// squared error over the histogram of magnitudes; `exact_zeros` of the values (in bin 0) quantize without
// error.
double mse_threshold(const Histogram& magnitudes, int steps, double exact_zeros);
// The same for an asymmetric range [a, b] (bin edges, a <= 0 <= b) over a signed histogram.
std::pair<double, double> mse_asymmetric_range(const Histogram& values, int steps, double exact_zeros);

}  // namespace octet::quantization
