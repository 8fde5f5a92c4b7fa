// The results of `octet benchmark`: benchmark_app's console report (Count / Duration / Latency / Throughput),
// its CSV statistics report, and Octet's --json document (the schema the bench/ suite reads).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "tools/benchmark/latency_statistics.h"
#include "tools/benchmark/performance_counters.h"

namespace octet::tools::benchmark {

struct BenchmarkResult {
  std::string model;
  std::string api;        // sync|async
  std::string precision;  // f32|model, as compiled
  int nthreads = 0;
  int nstreams = 0;
  int nireq = 0;
  int64_t batch = 1;
  int64_t iterations = 0;
  double duration_ms = 0;
  double load_ms = 0;
  double compile_ms = 0;
  double first_inference_ms = 0;
  double throughput_fps = 0;
  LatencyStatistics latency;
  std::vector<LayerCounters> per_layer;  // average counters of request 0; empty without profiling
};

// benchmark_app's throughput: sync, batch / the reported latency percentile (the loop's own overhead is not
// counted); async, frames / wall time of the whole run (batch * iterations / duration).
double throughput_fps(bool sync, int64_t batch, int64_t iterations, double duration_ms,
                      const LatencyStatistics& latency);

// "12.35": two decimals, as benchmark_app prints every number.
std::string two_decimals(double value);

// "[ INFO ] Count: ..." through "[ INFO ] Throughput: ...", in benchmark_app's layout.
void print_results(std::ostream& out, const BenchmarkResult& result);

// The --json document: model, api, precision, nthreads, nstreams, nireq, batch, iterations, duration_s,
// load_ms, compile_ms, first_inference_ms, throughput_fps, latency_ms {median, average, min, max, p90, p99},
// per_layer.
nlohmann::json to_json(const BenchmarkResult& result);

// benchmark_report.csv: "Command line parameters", "Configuration setup" and "Execution results" sections of
// ';'-separated name;value lines, as benchmark_app writes it.
void write_statistics_csv(std::ostream& out,
                          const std::vector<std::pair<std::string, std::string>>& command_line,
                          const BenchmarkResult& result);

}  // namespace octet::tools::benchmark
