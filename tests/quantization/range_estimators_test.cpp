// Range estimators against numpy on the same data. The data is a skewed Laplace distribution in closed form
// (negative tail scale 0.5, positive tail scale 1; and its ReLU), 100000 values in 10 samples; the numbers
// below come from this numpy snippet (numpy 1.24, /usr/bin/python3):
//
//   n = 100000; j = (np.arange(n) * 7919) % n; u = (j + 0.5) / n
//   x = np.where(u < 0.5, 0.5 * np.log(2 * u), -np.log(2 * (1 - u))).astype(np.float32); r = np.maximum(x, 0)
//   xd, rd = x.astype(np.float64), r.astype(np.float64); s = xd.reshape(10, -1)
//   s.min(1).mean(), s.max(1).mean()                                   # mean_minmax
//   np.percentile(np.abs(xd), 99.9), np.percentile(xd, 0.1), np.percentile(xd, 99.9)
//   def asym(a, b, levels=256):                                         # the asymmetric range with integer
//   zp
//       s = (b - a) / (levels - 1); zp = np.clip(np.round(-a / s), 0, levels - 1)
//       return -zp * s, (levels - 1 - zp) * s
//   # KL (TensorRT entropy calibration), written from the algorithm's description:
//   def kl_threshold(counts, width, levels):
//       counts = counts.astype(np.float64)
//       while len(counts) > 2048:
//           if len(counts) % 2: counts = np.append(counts, 0)
//           counts = counts.reshape(-1, 2).sum(1); width *= 2
//       counts[0] = counts[1]                                           # the zero spike costs nothing
//       nb = len(counts)
//       if nb <= levels: return nb * width
//       best, best_d = nb, np.inf
//       for i in range(levels, nb + 1):
//           p = counts[:i].copy(); p[-1] += counts[i:].sum()
//           q = np.zeros(i)
//           for l in range(levels):
//               b, e = l * i // levels, (l + 1) * i // levels
//               nz = p[b:e] > 0
//               if nz.sum(): q[b:e][nz] = counts[b:e].sum() / nz.sum()
//           m = p > 0
//           if np.any(q[m] == 0): continue
//           pn, qn = p[m] / p.sum(), q[m] / q.sum()
//           d = np.sum(pn * np.log(pn / qn))
//           if d < best_d: best_d, best = d, i
//       return best * width
//   mag_hist = lambda v, w: np.bincount(np.floor(np.abs(v) / w).astype(np.int64))
//   kl_threshold(mag_hist(xd, 2.0**-8), 2.0**-8, 128), kl_threshold(mag_hist(rd, 2.0**-8), 2.0**-8, 256)
//   # MSE: brute force over ranges on the raw data
//   def fq(v, lo, hi, levels):
//       s = (hi - lo) / (levels - 1); return np.clip(np.round((v - lo) / s), 0, levels - 1) * s + lo
//   mse = lambda v, lo, hi: np.mean((fq(v, lo, hi, 256) - v) ** 2)
//   ts = np.linspace(0.5, 11.6, 2000)
//   min(mse(xd, -128 * t / 127, t) for t in ts), min(mse(rd, 0, t) for t in ts)
//   min(mse(xd, a, b) for a in np.linspace(-5.8, -0.5, 120) for b in np.linspace(0.5, 11.6, 240))
#include "quantization/range_estimators.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "quantization/histogram_thresholds.h"

namespace octet::quantization {
namespace {

constexpr size_t kValues = 100000, kSamples = 10;

std::vector<float> skewed_laplace() {
  std::vector<float> x(kValues);
  for (size_t i = 0; i < kValues; ++i) {
    const double u = (static_cast<double>(i * 7919 % kValues) + 0.5) / kValues;
    x[i] = static_cast<float>(u < 0.5 ? 0.5 * std::log(2 * u) : -std::log(2 * (1 - u)));
  }
  return x;
}

std::vector<float> relu(std::vector<float> x) {
  for (float& v : x) v = std::max(v, 0.0f);
  return x;
}

TensorStatistics statistics_of(const std::vector<float>& values) {
  TensorStatistics stats("x");
  const size_t per_sample = values.size() / kSamples;
  for (size_t s = 0; s < kSamples; ++s) {
    std::vector<float> sample(values.begin() + static_cast<std::ptrdiff_t>(s * per_sample),
                              values.begin() + static_cast<std::ptrdiff_t>((s + 1) * per_sample));
    stats.add(Tensor::from_vector<float>({static_cast<int64_t>(per_sample)}, sample));
  }
  return stats;
}

// Mean squared error of fake-quantizing `values` with `range` (round half to even, as numpy).
double fake_quantize_mse(const std::vector<float>& values, const QuantizationRange& range) {
  const double scale = (static_cast<double>(range.high) - range.low) / (range.levels - 1);
  double sum = 0;
  for (const float v : values) {
    const double q = std::clamp(std::nearbyint((v - range.low) / scale), 0.0, range.levels - 1.0);
    sum += std::pow(q * scale + range.low - v, 2);
  }
  return sum / static_cast<double>(values.size());
}

QuantizationRange estimate(const TensorStatistics& stats, RangeEstimator estimator, bool symmetric,
                           int levels = 256, double percentile = 99.9) {
  return estimate_range(
      stats, {.estimator = estimator, .percentile = percentile, .symmetric = symmetric, .levels = levels});
}

class RangeEstimatorsTest : public ::testing::Test {
 protected:
  std::vector<float> x_ = skewed_laplace();
  std::vector<float> r_ = relu(x_);
  TensorStatistics signed_ = statistics_of(x_);
  TensorStatistics relu_ = statistics_of(r_);
};

constexpr double kRel = 1e-4;  // the scale is rounded up to 16 significant bits (2^-16 ~ 1.5e-5)

TEST_F(RangeEstimatorsTest, MinMax) {
  EXPECT_FLOAT_EQ(signed_.min(), -5.7564626f);
  EXPECT_FLOAT_EQ(signed_.max(), 11.512925f);
  QuantizationRange r = estimate(signed_, RangeEstimator::kMinMax, false);
  EXPECT_NEAR(r.low, -5.756462574005127, 5.76 * kRel);  // asym(min, max): zero point 85
  EXPECT_NEAR(r.high, 11.512925148010254, 11.5 * kRel);
  EXPECT_EQ(r.levels, 256);
  r = estimate(signed_, RangeEstimator::kMinMax, true);
  EXPECT_NEAR(r.low, -11.603578101931594, 11.6 * kRel);  // -128 t / 127, t = max |x|
  EXPECT_NEAR(r.high, 11.512925148010254, 11.5 * kRel);
  r = estimate(signed_, RangeEstimator::kMinMax, true, 255);
  EXPECT_NEAR(r.low, -11.512925148010254, 11.5 * kRel);  // narrow range: [-t, t]
  EXPECT_NEAR(r.high, 11.512925148010254, 11.5 * kRel);
  EXPECT_EQ(r.levels, 255);
  // Non-negative data: low = 0 whatever the preset.
  for (const bool symmetric : {false, true}) {
    r = estimate(relu_, RangeEstimator::kMinMax, symmetric);
    EXPECT_EQ(r.low, 0.0f);
    EXPECT_NEAR(r.high, 11.512925148010254, 11.5 * kRel);
  }
}

TEST_F(RangeEstimatorsTest, MeanMinMax) {
  EXPECT_NEAR(signed_.mean_min(), -4.688471460342408, 1e-6);
  EXPECT_NEAR(signed_.mean_max(), 9.419535636901855, 1e-6);
  const QuantizationRange r = estimate(signed_, RangeEstimator::kMeanMinMax, false);
  EXPECT_NEAR(r.low, -4.702669032414755, 4.7 * kRel);  // asym(mean_min, mean_max)
  EXPECT_NEAR(r.high, 9.40533806482951, 9.4 * kRel);
  const QuantizationRange s = estimate(signed_, RangeEstimator::kMeanMinMax, true);
  EXPECT_NEAR(s.high, 9.419535636901855, 9.4 * kRel);  // mean per-sample max |x|
}

TEST_F(RangeEstimatorsTest, PercentileWithinABin) {
  const double width = 1.0 / 256;  // 4096 bins of 2^-8 cover 11.51
  EXPECT_NEAR(histogram_quantile(signed_.absolute_histogram(), 0.999), 6.2096304759979635, width);
  EXPECT_NEAR(histogram_quantile(signed_.signed_histogram(), 0.001), -3.1048152379989626, width);
  EXPECT_NEAR(histogram_quantile(signed_.signed_histogram(), 0.999), 6.2096304759979635, width);
  EXPECT_NEAR(histogram_quantile(relu_.absolute_histogram(), 0.999), 6.2096304759979635, width);

  const QuantizationRange s = estimate(signed_, RangeEstimator::kPercentile, true);
  EXPECT_NEAR(s.high, 6.2096304759979635, width);
  const QuantizationRange a = estimate(signed_, RangeEstimator::kPercentile, false);
  // Nudged to an integer zero point: the width is kept, the ends move by at most half a step.
  const double step = (6.2096304759979635 + 3.1048152379989626) / 255;
  EXPECT_NEAR(a.high - a.low, 6.2096304759979635 + 3.1048152379989626, 2 * width);
  EXPECT_NEAR(a.low, -3.1048152379989626, step / 2 + width);
  const QuantizationRange u = estimate(relu_, RangeEstimator::kPercentile, false);
  EXPECT_EQ(u.low, 0.0f);
  EXPECT_NEAR(u.high, 6.2096304759979635, width);
}

TEST_F(RangeEstimatorsTest, KlDivergenceMatchesNumpyTensorRtAlgorithm) {
  EXPECT_DOUBLE_EQ(kl_divergence_threshold(signed_.absolute_histogram(), 128), 8.953125);
  EXPECT_DOUBLE_EQ(kl_divergence_threshold(relu_.absolute_histogram(), 256), 10.421875);

  const QuantizationRange s = estimate(signed_, RangeEstimator::kKlDivergence, true);
  EXPECT_NEAR(s.high, 8.953125, 8.95 * kRel);
  EXPECT_NEAR(s.low, -8.953125 * 128 / 127, 9.0 * kRel);
  // Asymmetric: [min, max] clipped to [-t, t]; min = -5.76 is inside, so it stays (nudged).
  const QuantizationRange a = estimate(signed_, RangeEstimator::kKlDivergence, false);
  EXPECT_NEAR(a.high - a.low, 8.953125 + 5.7564626, 14.7 * kRel);
  const QuantizationRange u = estimate(relu_, RangeEstimator::kKlDivergence, false);
  EXPECT_EQ(u.low, 0.0f);
  EXPECT_NEAR(u.high, 10.421875, 10.5 * kRel);
}

TEST_F(RangeEstimatorsTest, MseWithinTwoPercentOfBruteForceOptimum) {
  // The estimator minimizes a model of the error (rounding noise s^2 / 12, uniform bins); the oracle is the
  // real error of the best range numpy found by brute force on the raw values.
  const double symmetric_best = 0.0005117659677988216;
  const double relu_best = 7.979433271746094e-05;
  const double asymmetric_best = 0.0003144489918047719;
  const QuantizationRange s = estimate(signed_, RangeEstimator::kMse, true);
  EXPECT_LT(fake_quantize_mse(x_, s), 1.02 * symmetric_best) << s.low << " " << s.high;
  const QuantizationRange u = estimate(relu_, RangeEstimator::kMse, false);
  EXPECT_EQ(u.low, 0.0f);
  EXPECT_LT(fake_quantize_mse(r_, u), 1.02 * relu_best) << u.high;
  const QuantizationRange a = estimate(signed_, RangeEstimator::kMse, false);
  EXPECT_LT(fake_quantize_mse(x_, a), 1.02 * asymmetric_best) << a.low << " " << a.high;
  // And clipping pays: the min/max range is worse (numpy: 0.000684 with t = max |x|).
  EXPECT_GT(fake_quantize_mse(x_, estimate(signed_, RangeEstimator::kMinMax, true)), 1.25 * symmetric_best);
}

TEST_F(RangeEstimatorsTest, ZeroIsExactlyRepresentable) {
  for (const RangeEstimator e :
       {RangeEstimator::kMinMax, RangeEstimator::kMeanMinMax, RangeEstimator::kPercentile,
        RangeEstimator::kKlDivergence, RangeEstimator::kMse}) {
    for (const bool symmetric : {false, true}) {
      for (const int levels : {256, 255}) {
        for (const TensorStatistics* stats : {&signed_, &relu_}) {
          const QuantizationRange r = estimate(*stats, e, symmetric, levels);
          SCOPED_TRACE(std::string(to_string(e)) + (symmetric ? " symmetric " : " asymmetric ") +
                       std::to_string(levels));
          EXPECT_LE(r.low, 0.0f);
          EXPECT_GT(r.high, 0.0f);
          // What fake_quantize_to_qdq computes, in float: the scale and an integer zero point, exactly.
          const float scale = (r.high - r.low) / static_cast<float>(levels - 1);
          const float zero_point = -r.low / scale;
          EXPECT_EQ(zero_point, std::round(zero_point));
          EXPECT_EQ(r.low, -zero_point * scale);
          if (symmetric && stats == &signed_) {
            EXPECT_EQ(zero_point, levels == 256 ? 128.0f : 127.0f);
          }
          if (stats == &relu_) {
            EXPECT_EQ(r.low, 0.0f);
          }
        }
      }
    }
  }
}

TEST(RangeEstimatorParsingTest, NamesAndErrors) {
  EXPECT_EQ(parse_range_estimator("minmax"), RangeEstimator::kMinMax);
  EXPECT_EQ(parse_range_estimator("mean_minmax"), RangeEstimator::kMeanMinMax);
  EXPECT_EQ(parse_range_estimator("percentile"), RangeEstimator::kPercentile);
  EXPECT_EQ(parse_range_estimator("kl"), RangeEstimator::kKlDivergence);
  EXPECT_EQ(parse_range_estimator("mse"), RangeEstimator::kMse);
  EXPECT_THROW(parse_range_estimator("entropy"), Error);

  TensorStatistics stats("x");
  EXPECT_THROW(estimate_range(stats, {}), Error);  // no samples
  stats.add(Tensor::from_vector<float>({2}, std::vector<float>{-1, 1}));
  EXPECT_THROW(estimate_range(stats, {.levels = 1}), Error);
  EXPECT_THROW(estimate_range(stats, {.levels = 1024}), Error);
  EXPECT_THROW(estimate_range(stats, {.estimator = RangeEstimator::kPercentile, .percentile = 30}), Error);
}

TEST(RangeEstimatorDegenerateTest, AllZeroTensorGetsAPositiveScale) {
  TensorStatistics stats("dead");
  stats.add(Tensor(ElementType::kF32, {8}));
  for (const RangeEstimator e : {RangeEstimator::kMinMax, RangeEstimator::kPercentile,
                                 RangeEstimator::kKlDivergence, RangeEstimator::kMse}) {
    const QuantizationRange r = estimate_range(stats, {.estimator = e, .symmetric = true});
    EXPECT_EQ(r.low, 0.0f);
    EXPECT_GT(r.high, 0.0f);
  }
}

}  // namespace
}  // namespace octet::quantization
