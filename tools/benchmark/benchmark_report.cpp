#include "tools/benchmark/benchmark_report.h"

#include <iomanip>
#include <sstream>

#include "tools/benchmark/precision_summary.h"

namespace octet::tools::benchmark {

double throughput_fps(bool sync, int64_t batch, int64_t iterations, double duration_ms,
                      const LatencyStatistics& latency) {
  if (sync) return latency.reported > 0 ? static_cast<double>(batch) * 1000.0 / latency.reported : 0.0;
  return duration_ms > 0 ? static_cast<double>(batch * iterations) * 1000.0 / duration_ms : 0.0;
}

std::string two_decimals(double value) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << value;
  return s.str();
}

void print_results(std::ostream& out, const BenchmarkResult& result) {
  const LatencyStatistics& l = result.latency;
  const std::string reported = l.reported_percentile == 50
                                   ? "Median:           "
                                   : std::to_string(l.reported_percentile) + " percentile:     ";
  out << "[ INFO ] Count:               " << result.iterations << " iterations\n"
      << "[ INFO ] Duration:            " << two_decimals(result.duration_ms) << " ms\n"
      << "[ INFO ] Latency:\n"
      << "[ INFO ]    " << reported << two_decimals(l.reported) << " ms\n"
      << "[ INFO ]    Average:          " << two_decimals(l.average) << " ms\n"
      << "[ INFO ]    Min:              " << two_decimals(l.min) << " ms\n"
      << "[ INFO ]    Max:              " << two_decimals(l.max) << " ms\n"
      << "[ INFO ] Throughput:          " << two_decimals(result.throughput_fps) << " FPS\n";
}

namespace {

// Null without per-layer counters.
nlohmann::json precision_summary_json(const std::vector<LayerCounters>& rows) {
  if (rows.empty()) return nullptr;
  const PrecisionSummary summary = summarize_precision(rows);
  nlohmann::json fp32_layers = nlohmann::json::array();
  for (const LayerCounters& row : summary.fp32_layers)
    fp32_layers.push_back({{"name", row.name},
                           {"layer_type", row.layer_type},
                           {"exec_type", row.exec_type},
                           {"macs", row.multiply_accumulates},
                           {"reason", row.fp32_reason}});
  return {{"total_macs", summary.total_macs},
          {"int8_macs", summary.int8_macs},
          {"int8_mac_share", summary.int8_share()},
          {"quantize_dequantize_steps", summary.conversions},
          {"fp32_layers_with_macs", fp32_layers}};
}

}  // namespace

nlohmann::json to_json(const BenchmarkResult& result) {
  nlohmann::json per_layer = nlohmann::json::array();
  for (const LayerCounters& row : result.per_layer) {
    per_layer.push_back({{"name", row.name},
                         {"status", to_string(row.status)},
                         {"layer_type", row.layer_type},
                         {"exec_type", row.exec_type},
                         {"real_time_us", row.real_time_us},
                         {"cpu_time_us", row.cpu_time_us},
                         {"fused_into", row.fused_into},
                         {"macs", row.multiply_accumulates}});
  }
  const LatencyStatistics& l = result.latency;
  // nlohmann's object keeps keys sorted; the bench suite reads keys, not positions.
  return {{"model", result.model},
          {"api", result.api},
          {"precision", result.precision},
          {"nthreads", result.nthreads},
          {"nstreams", result.nstreams},
          {"nireq", result.nireq},
          {"batch", result.batch},
          {"iterations", result.iterations},
          {"duration_s", result.duration_ms / 1000.0},
          {"load_ms", result.load_ms},
          {"compile_ms", result.compile_ms},
          {"first_inference_ms", result.first_inference_ms},
          {"throughput_fps", result.throughput_fps},
          {"latency_ms",
           {{"median", l.median},
            {"average", l.average},
            {"min", l.min},
            {"max", l.max},
            {"p90", l.p90},
            {"p99", l.p99}}},
          {"per_layer", per_layer},
          {"precision_summary", precision_summary_json(result.per_layer)}};
}

void write_statistics_csv(std::ostream& out,
                          const std::vector<std::pair<std::string, std::string>>& command_line,
                          const BenchmarkResult& result) {
  out << "Command line parameters\n";
  for (const auto& [name, value] : command_line) out << name << ";" << value << "\n";
  out << "\nConfiguration setup\n"
      << "model;" << result.model << "\n"
      << "api;" << result.api << "\n"
      << "inference precision;" << result.precision << "\n"
      << "number of threads;" << result.nthreads << "\n"
      << "number of streams;" << result.nstreams << "\n"
      << "number of parallel infer requests;" << result.nireq << "\n"
      << "batch size;" << result.batch << "\n"
      << "\nExecution results\n"
      << "read model time (ms);" << two_decimals(result.load_ms) << "\n"
      << "compile model time (ms);" << two_decimals(result.compile_ms) << "\n"
      << "first inference time (ms);" << two_decimals(result.first_inference_ms) << "\n"
      << "total execution time (ms);" << two_decimals(result.duration_ms) << "\n"
      << "total number of iterations;" << result.iterations << "\n";
  const LatencyStatistics& l = result.latency;
  const std::string label = l.reported_percentile == 50
                                ? "Median latency (ms)"
                                : "latency (" + std::to_string(l.reported_percentile) + " percentile) (ms)";
  out << label << ";" << two_decimals(l.reported) << "\n"
      << "Average latency (ms);" << two_decimals(l.average) << "\n"
      << "Min latency (ms);" << two_decimals(l.min) << "\n"
      << "Max latency (ms);" << two_decimals(l.max) << "\n"
      << "throughput;" << two_decimals(result.throughput_fps) << "\n\n";
}

}  // namespace octet::tools::benchmark
