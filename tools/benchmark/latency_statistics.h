// Latency statistics of a benchmark run, computed the way OpenVINO's benchmark_app computes them so that the
// numbers compare one to one: a percentile is the sample at index floor(n * p / 100) of the sorted latencies
// (no interpolation; for an even count the "median" is the upper of the two middle samples).
#pragma once

#include <vector>

namespace octet::tools::benchmark {

struct LatencyStatistics {
  int reported_percentile = 50;  // -latency_percentile: the console's "Median" line shows this one
  double reported = 0;           // latency at reported_percentile
  double median = 0;             // always the 50th percentile (the JSON's "median")
  double average = 0;
  double min = 0;
  double max = 0;
  double p90 = 0;
  double p99 = 0;
};

// `sorted` must be sorted ascending and non-empty; `percentile` in [1, 100] (100 gives the maximum).
double percentile_of_sorted(const std::vector<double>& sorted, int percentile);

// Throws octet::Error (kInvalidArgument) when `latencies_ms` is empty or the percentile is outside [1, 100].
LatencyStatistics compute_latency_statistics(std::vector<double> latencies_ms, int reported_percentile = 50);

}  // namespace octet::tools::benchmark
