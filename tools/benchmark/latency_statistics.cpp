#include "tools/benchmark/latency_statistics.h"

#include <algorithm>
#include <numeric>

#include "octet/error.h"

namespace octet::tools::benchmark {

double percentile_of_sorted(const std::vector<double>& sorted, int percentile) {
  OCTET_CHECK(!sorted.empty(), ErrorCode::kInvalidArgument, "no latencies to take a percentile of");
  OCTET_CHECK(percentile >= 1 && percentile <= 100, ErrorCode::kInvalidArgument, "percentile ", percentile,
              " is outside [1, 100]");
  // benchmark_app's index; p = 100 would index one past the end there, here it is the maximum.
  const auto index = static_cast<size_t>(static_cast<double>(sorted.size()) / 100.0 * percentile);
  return sorted[std::min(index, sorted.size() - 1)];
}

LatencyStatistics compute_latency_statistics(std::vector<double> latencies_ms, int reported_percentile) {
  OCTET_CHECK(!latencies_ms.empty(), ErrorCode::kInvalidArgument,
              "no inference was measured, so there are no latency statistics");
  std::sort(latencies_ms.begin(), latencies_ms.end());
  LatencyStatistics stats;
  stats.reported_percentile = reported_percentile;
  stats.reported = percentile_of_sorted(latencies_ms, reported_percentile);
  stats.median = percentile_of_sorted(latencies_ms, 50);
  stats.p90 = percentile_of_sorted(latencies_ms, 90);
  stats.p99 = percentile_of_sorted(latencies_ms, 99);
  stats.min = latencies_ms.front();
  stats.max = latencies_ms.back();
  stats.average = std::accumulate(latencies_ms.begin(), latencies_ms.end(), 0.0) /
                  static_cast<double>(latencies_ms.size());
  return stats;
}

}  // namespace octet::tools::benchmark
