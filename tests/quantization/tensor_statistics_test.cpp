// TensorStatistics on hand-made tensors (values worked out by hand in the comments), the histogram that grows
// by merging bins against a one-shot histogram and a naive floor(|x| / width) count, errors, and memory that
// does not grow with the number of samples.
#include "quantization/tensor_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tests/quantization/quantization_test_support.h"

namespace octet::quantization {
namespace {

Tensor tensor(Dims dims, std::vector<float> values) {
  return Tensor::from_vector<float>(std::move(dims), values);
}

std::vector<float> scaled_uniform(size_t n, double negative_scale, double positive_scale, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> values(n);
  for (float& v : values) {
    const float u = dist(rng);
    v = static_cast<float>(u * (u < 0 ? negative_scale : positive_scale));
  }
  return values;
}

TEST(TensorStatisticsTest, MinMaxAndPerSampleMeans) {
  TensorStatistics stats("act");
  stats.add(tensor({6}, {-2, -0.5f, 0, 0, 1, 3}));
  stats.add(tensor({2}, {-1, 4}));
  EXPECT_EQ(stats.sample_count(), 2u);
  EXPECT_EQ(stats.element_count(), 8u);
  EXPECT_EQ(stats.zero_count(), 2u);
  EXPECT_EQ(stats.min(), -2.0f);
  EXPECT_EQ(stats.max(), 4.0f);
  EXPECT_DOUBLE_EQ(stats.mean_min(), -1.5);     // (-2 + -1) / 2
  EXPECT_DOUBLE_EQ(stats.mean_max(), 3.5);      // (3 + 4) / 2
  EXPECT_DOUBLE_EQ(stats.mean_abs_max(), 3.5);  // (max(2, 3) + max(1, 4)) / 2
  EXPECT_FALSE(stats.non_negative());
}

TEST(TensorStatisticsTest, HistogramsOfHandMadeSamples) {
  TensorStatistics stats("act");
  stats.add(tensor({6}, {-2, -0.5f, 0, 0, 1, 3}));
  stats.add(tensor({2}, {-1, 4}));
  // Positive half: 4096 bins must cover 4 (4096 * 2^-10 = 4 does not), so the width is 2^-9; the negative
  // half covers 2 with 2^-10 and is coarsened to the common 2^-9.
  const Histogram abs = stats.absolute_histogram();
  EXPECT_EQ(abs.origin, 0.0);
  EXPECT_EQ(abs.width, 1.0 / 512);
  ASSERT_EQ(abs.counts.size(), 2049u);  // trimmed after the bin of 4 (4 * 512 = 2048)
  EXPECT_EQ(abs.counts[0], 2);          // the two zeros
  EXPECT_EQ(abs.counts[256], 1);        // 0.5
  EXPECT_EQ(abs.counts[512], 2);        // 1 and -1
  EXPECT_EQ(abs.counts[1024], 1);       // 2
  EXPECT_EQ(abs.counts[1536], 1);       // 3
  EXPECT_EQ(abs.counts[2048], 1);       // 4
  EXPECT_EQ(abs.total(), 8);

  // Signed: 1025 negative bins (down to |x| = 2 in bin 1024), then 2049 from 0.
  const Histogram values = stats.signed_histogram();
  EXPECT_EQ(values.width, 1.0 / 512);
  EXPECT_EQ(values.origin, -1025.0 / 512);
  ASSERT_EQ(values.counts.size(), 1025u + 2049u);
  EXPECT_EQ(values.counts[0], 1);            // -2
  EXPECT_EQ(values.counts[1024 - 512], 1);   // -1
  EXPECT_EQ(values.counts[1024 - 256], 1);   // -0.5
  EXPECT_EQ(values.counts[1025], 2);         // zeros
  EXPECT_EQ(values.counts[1025 + 512], 1);   // 1
  EXPECT_EQ(values.counts[1025 + 1536], 1);  // 3
  EXPECT_EQ(values.counts[1025 + 2048], 1);  // 4
  EXPECT_EQ(values.total(), 8);
}

TEST(TensorStatisticsTest, GrowingHistogramEqualsOneShotHistogram) {
  // Each sample reaches further (x3 per sample on the positive side, x2 on the negative side), so both
  // halves widen four times and merge groups of 2, 4, ... bins.
  TensorStatistics streamed("act"), one_shot("act");
  std::vector<float> all;
  for (int k = 0; k < 5; ++k) {
    const std::vector<float> sample = scaled_uniform(1000, std::pow(2.0, k), std::pow(3.0, k), 10 + k);
    streamed.add(tensor({1000}, sample));
    all.insert(all.end(), sample.begin(), sample.end());
  }
  one_shot.add(tensor({static_cast<int64_t>(all.size())}, all));

  EXPECT_EQ(streamed.absolute_histogram().counts, one_shot.absolute_histogram().counts);
  EXPECT_EQ(streamed.absolute_histogram().width, one_shot.absolute_histogram().width);
  EXPECT_EQ(streamed.signed_histogram().counts, one_shot.signed_histogram().counts);
  EXPECT_EQ(streamed.signed_histogram().origin, one_shot.signed_histogram().origin);

  // Naive oracle: the smallest power-of-two width whose 4096 bins cover max |x|, and floor(|x| / width).
  double max_abs = 0;
  for (const float v : all) max_abs = std::max(max_abs, std::abs(static_cast<double>(v)));
  double width = 1;
  while (4096 * width <= max_abs) width *= 2;
  while (4096 * (width / 2) > max_abs) width /= 2;
  std::vector<double> naive(static_cast<size_t>(max_abs / width) + 1, 0.0);
  for (const float v : all) naive[static_cast<size_t>(std::abs(static_cast<double>(v)) / width)] += 1;
  const Histogram abs = streamed.absolute_histogram();
  EXPECT_EQ(abs.width, width);
  EXPECT_EQ(abs.counts, naive);
}

TEST(TensorStatisticsTest, PerChannelMeanAlongAxis1) {
  TensorStatistics stats("act", /*per_channel_mean=*/true);
  std::vector<float> ramp(12);
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<float>(i);
  // [2, 3, 2] holding 0..11: channel c has 2c, 2c+1, 6+2c, 7+2c, sum 8c + 14 over 4 values.
  stats.add(tensor({2, 3, 2}, ramp));
  ASSERT_EQ(stats.channel_means().size(), 3u);
  EXPECT_DOUBLE_EQ(stats.channel_means()[0], 3.5);
  EXPECT_DOUBLE_EQ(stats.channel_means()[2], 7.5);
  // One more value per channel (1, 2, 3): (14 + 1) / 5, (22 + 2) / 5, (30 + 3) / 5.
  stats.add(tensor({1, 3, 1}, {1, 2, 3}));
  EXPECT_DOUBLE_EQ(stats.channel_means()[0], 3.0);
  EXPECT_DOUBLE_EQ(stats.channel_means()[1], 4.8);
  EXPECT_DOUBLE_EQ(stats.channel_means()[2], 6.6);
  EXPECT_TRUE(stats.non_negative());
}

TEST(TensorStatisticsTest, NonFiniteValuesNameTheTensorAndSample) {
  for (const float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity()}) {
    TensorStatistics stats("conv1_out");
    stats.add(tensor({3}, {1, 2, 3}));
    expect_invalid(
        [&] {
          stats.add(tensor({11}, {0, 1, 2, 3, 4, 5, 6, 7, 8, bad, 10}));
        },
        {"'conv1_out'", "sample 1", "NaN or infinite"});
    EXPECT_EQ(stats.sample_count(), 1u);  // the bad sample left nothing behind
    EXPECT_EQ(stats.max(), 3.0f);
  }
}

TEST(TensorStatisticsTest, BadSamplesAndEmptyStatistics) {
  TensorStatistics empty("act");
  expect_invalid([&] { (void)empty.min(); }, {"'act'", "no samples"});
  expect_invalid([&] { (void)empty.absolute_histogram(); }, {"no samples"});
  expect_invalid([&] { empty.add(Tensor(ElementType::kI32, {3})); }, {"'act'", "f32"});
  expect_invalid([&] { empty.add(Tensor(ElementType::kF32, {0})); }, {"empty"});
  TensorStatistics channels("act", true);
  expect_invalid([&] { channels.add(tensor({3}, {1, 2, 3})); }, {"channel axis"});
  channels.add(tensor({1, 3}, {1, 2, 3}));
  expect_invalid([&] { channels.add(tensor({1, 2}, {1, 2})); }, {"2 channels in sample 1"});
}

TEST(TensorStatisticsTest, AllZeroTensor) {
  TensorStatistics stats("act");
  stats.add(Tensor(ElementType::kF32, {4}));
  EXPECT_EQ(stats.min(), 0.0f);
  EXPECT_EQ(stats.max(), 0.0f);
  EXPECT_EQ(stats.absolute_histogram().counts, std::vector<double>{4});
  EXPECT_EQ(stats.signed_histogram().counts, std::vector<double>{4});
}

TEST(TensorStatisticsTest, MemoryDoesNotGrowWithSamples) {
  TensorStatistics stats("act", true);
  auto add_samples = [&](int count, uint32_t seed) {
    for (int i = 0; i < count; ++i) {
      // Growing scales, so that the histograms widen along the way.
      stats.add(tensor({1, 4, 250}, scaled_uniform(1000, 1 + i, 2 + i, seed + static_cast<uint32_t>(i))));
    }
  };
  add_samples(10, 1);
  const size_t after_10 = stats.memory_bytes();
  add_samples(1000, 100);
  EXPECT_EQ(stats.sample_count(), 1010u);
  EXPECT_EQ(stats.memory_bytes(), after_10);
  // Two halves of 4096 64-bit counts and 4 channel sums: about 64 KiB whatever the sample count.
  EXPECT_LT(after_10, 70000u);
}

}  // namespace
}  // namespace octet::quantization
