#include "quantization/range_estimators.h"

#include <algorithm>
#include <cmath>

#include "quantization/histogram_thresholds.h"

namespace octet::quantization {
namespace {

// A tensor that was zero in every sample: any positive scale represents it exactly.
constexpr double kDegenerateScale = 1.0 / 65536;

// The scale rounded up to 16 significant bits: an integer below 2^8 times it is then exact in float (16 + 8
// <= 24 bits), so the zero point and the range width survive the float round trip.
double representable_scale(double scale) {
  int exponent = 0;
  const double mantissa = std::frexp(scale, &exponent);  // [0.5, 1)
  const double rounded = std::ceil(std::ldexp(mantissa, 16));
  return static_cast<double>(static_cast<float>(std::ldexp(rounded, exponent - 16)));
}

QuantizationRange from_zero_point(double scale, int zero_point, int levels) {
  if (!(scale > 0)) scale = kDegenerateScale;
  scale = representable_scale(scale);
  QuantizationRange range;
  range.levels = levels;
  range.low = static_cast<float>(-zero_point * scale);
  range.high = static_cast<float>((levels - 1 - zero_point) * scale);
  return range;
}

QuantizationRange unsigned_range(double high, int levels) {
  return from_zero_point(high / (levels - 1), 0, levels);
}

QuantizationRange symmetric_range(double threshold, int levels) {
  const int positive_steps = (levels - 1) / 2;
  return from_zero_point(threshold / positive_steps, levels - 1 - positive_steps, levels);
}

QuantizationRange asymmetric_range(double low, double high, int levels) {
  low = std::min(low, 0.0);
  high = std::max(high, 0.0);
  const double scale = (high - low) / (levels - 1);
  if (!(scale > 0)) return unsigned_range(0, levels);
  const double zero_point = std::clamp(std::round(-low / scale), 0.0, static_cast<double>(levels - 1));
  return from_zero_point(scale, static_cast<int>(zero_point), levels);
}

void check_options(const TensorStatistics& stats, const RangeOptions& options) {
  OCTET_CHECK(options.levels >= 2 && options.levels <= 256, ErrorCode::kInvalidArgument, "tensor '",
              stats.name(), "': quantization levels must be in 2..256, got ", options.levels);
  OCTET_CHECK(options.estimator != RangeEstimator::kPercentile ||
                  (options.percentile > 50 && options.percentile <= 100),
              ErrorCode::kInvalidArgument, "tensor '", stats.name(),
              "': the percentile must be in (50, 100], got ", options.percentile);
  OCTET_CHECK(stats.sample_count() > 0, ErrorCode::kInvalidArgument, "tensor '", stats.name(),
              "' has no calibration samples");
}

// [low, high] for data that may be negative, before it is made exact.
struct RawRange {
  double low, high;
};

RawRange percentile_range(const TensorStatistics& stats, double fraction, bool symmetric) {
  if (symmetric) {
    const double t = histogram_quantile(stats.absolute_histogram(), fraction);
    return {-t, t};
  }
  const Histogram values = stats.signed_histogram();
  return {histogram_quantile(values, 1 - fraction), histogram_quantile(values, fraction)};
}

}  // namespace

RangeEstimator parse_range_estimator(const std::string& name) {
  for (const RangeEstimator e :
       {RangeEstimator::kMinMax, RangeEstimator::kMeanMinMax, RangeEstimator::kPercentile,
        RangeEstimator::kKlDivergence, RangeEstimator::kMse}) {
    if (name == to_string(e)) return e;
  }
  fail(ErrorCode::kInvalidArgument, "unknown range estimator '", name,
       "' (expected minmax, mean_minmax, percentile, kl or mse)");
}

const char* to_string(RangeEstimator estimator) {
  switch (estimator) {
    case RangeEstimator::kMinMax:
      return "minmax";
    case RangeEstimator::kMeanMinMax:
      return "mean_minmax";
    case RangeEstimator::kPercentile:
      return "percentile";
    case RangeEstimator::kKlDivergence:
      return "kl";
    case RangeEstimator::kMse:
      return "mse";
  }
  return "?";
}

QuantizationRange estimate_range(const TensorStatistics& stats, const RangeOptions& options) {
  check_options(stats, options);
  const int levels = options.levels;
  const double min = stats.min(), max = stats.max();
  const double abs_max = std::max(-min, max);

  if (stats.non_negative()) {
    // One-sided: every estimator picks the upper end only.
    double high = max;
    switch (options.estimator) {
      case RangeEstimator::kMinMax:
        break;
      case RangeEstimator::kMeanMinMax:
        high = stats.mean_max();
        break;
      case RangeEstimator::kPercentile:
        high = histogram_quantile(stats.absolute_histogram(), options.percentile / 100);
        break;
      case RangeEstimator::kKlDivergence:
        high = kl_divergence_threshold(stats.absolute_histogram(), levels);
        break;
      case RangeEstimator::kMse:
        high = mse_threshold(stats.absolute_histogram(), levels - 1, static_cast<double>(stats.zero_count()));
        break;
    }
    return unsigned_range(std::min(high, max), levels);
  }

  const int positive_steps = (levels - 1) / 2;
  RawRange raw{min, max};
  switch (options.estimator) {
    case RangeEstimator::kMinMax:
      raw = options.symmetric ? RawRange{-abs_max, abs_max} : RawRange{min, max};
      break;
    case RangeEstimator::kMeanMinMax:
      raw = options.symmetric ? RawRange{-stats.mean_abs_max(), stats.mean_abs_max()}
                              : RawRange{stats.mean_min(), stats.mean_max()};
      break;
    case RangeEstimator::kPercentile:
      raw = percentile_range(stats, options.percentile / 100, options.symmetric);
      break;
    case RangeEstimator::kKlDivergence: {
      // The |x| histogram for both presets, as TensorRT: one threshold for both tails.
      const double t = kl_divergence_threshold(stats.absolute_histogram(), levels / 2);
      raw = {-t, t};
      break;
    }
    case RangeEstimator::kMse:
      if (options.symmetric) {
        const double t = mse_threshold(stats.absolute_histogram(), positive_steps,
                                       static_cast<double>(stats.zero_count()));
        raw = {-t, t};
      } else {
        const auto [a, b] = mse_asymmetric_range(stats.signed_histogram(), levels - 1,
                                                 static_cast<double>(stats.zero_count()));
        raw = {a, b};
      }
      break;
  }
  if (options.symmetric) return symmetric_range(std::min(raw.high, abs_max), levels);
  return asymmetric_range(std::max(raw.low, min), std::min(raw.high, max), levels);
}

}  // namespace octet::quantization
