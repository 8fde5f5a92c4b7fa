// Latency statistics and throughput of `octet benchmark`, against values computed by hand with
// benchmark_app's rule: a percentile p of n sorted samples is the sample at index floor(n * p / 100).
#include <gtest/gtest.h>

#include <numeric>

#include "octet/error.h"
#include "tools/benchmark/benchmark_report.h"
#include "tools/benchmark/latency_statistics.h"

namespace octet::tools::benchmark {
namespace {

TEST(BenchmarkStatistics, OddCountMedianIsTheMiddleSample) {
  // sorted: 1 2 3 4 5; p50 -> index 2, p90 -> index 4 (floor 4.5), p99 -> index 4 (floor 4.95)
  const LatencyStatistics s = compute_latency_statistics({5, 1, 4, 2, 3});
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.reported, 3);
  EXPECT_DOUBLE_EQ(s.average, 3);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.p90, 5);
  EXPECT_DOUBLE_EQ(s.p99, 5);
}

TEST(BenchmarkStatistics, EvenCountTakesTheUpperMiddleSampleAsBenchmarkAppDoes) {
  // sorted: 10 20 30 40; p50 -> index 2 (30, not the interpolated 25), p25 -> index 1, p1 -> index 0,
  // p100 -> clamped to the last sample; average (10+20+30+40)/4 = 25
  const std::vector<double> latencies = {40, 10, 30, 20};
  const LatencyStatistics s = compute_latency_statistics(latencies, 25);
  EXPECT_DOUBLE_EQ(s.median, 30);
  EXPECT_DOUBLE_EQ(s.reported, 20);
  EXPECT_EQ(s.reported_percentile, 25);
  EXPECT_DOUBLE_EQ(s.average, 25);
  EXPECT_DOUBLE_EQ(s.p90, 40);  // floor(3.6) = 3
  EXPECT_DOUBLE_EQ(percentile_of_sorted({10, 20, 30, 40}, 1), 10);
  EXPECT_DOUBLE_EQ(percentile_of_sorted({10, 20, 30, 40}, 100), 40);
}

TEST(BenchmarkStatistics, HundredSamples) {
  std::vector<double> latencies(100);
  std::iota(latencies.rbegin(), latencies.rend(), 1.0);  // 100, 99, ..., 1
  const LatencyStatistics s = compute_latency_statistics(latencies, 90);
  EXPECT_DOUBLE_EQ(s.median, 51);  // index 50
  EXPECT_DOUBLE_EQ(s.reported, 91);
  EXPECT_DOUBLE_EQ(s.p90, 91);
  EXPECT_DOUBLE_EQ(s.p99, 100);  // index 99
  EXPECT_DOUBLE_EQ(s.average, 50.5);
}

TEST(BenchmarkStatistics, RejectsNoSamplesAndBadPercentiles) {
  EXPECT_THROW(compute_latency_statistics({}), Error);
  EXPECT_THROW(compute_latency_statistics({1.0}, 0), Error);
  EXPECT_THROW(compute_latency_statistics({1.0}, 101), Error);
}

TEST(BenchmarkStatistics, ThroughputAsBenchmarkAppComputesIt) {
  LatencyStatistics latency;
  latency.reported = 4.0;  // ms
  // sync: batch / reported latency = 2 * 1000 / 4
  EXPECT_DOUBLE_EQ(throughput_fps(true, 2, 10, 123.0, latency), 500.0);
  // async: batch * iterations / duration = 3 * 10 * 1000 / 2000
  EXPECT_DOUBLE_EQ(throughput_fps(false, 3, 10, 2000.0, latency), 15.0);
  EXPECT_DOUBLE_EQ(throughput_fps(false, 1, 0, 0.0, latency), 0.0);
}

}  // namespace
}  // namespace octet::tools::benchmark
