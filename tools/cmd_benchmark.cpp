// `octet benchmark -m MODEL [-niter N] [-t S] [-api sync|async] [-nireq N] [-pc] [--json FILE] ...`: measures
// latency and throughput of the CPU runtime with OpenVINO benchmark_app's flags, steps and report layout, so
// that numbers and habits carry over. The work lives in tools/benchmark/; this file is the step sequence.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "io/binary_file.h"
#include "octet/core.h"
#include "tools/benchmark/benchmark_flags.h"
#include "tools/benchmark/benchmark_report.h"
#include "tools/benchmark/input_data.h"
#include "tools/benchmark/measurement.h"
#include "tools/benchmark/performance_counters.h"
#include "tools/benchmark/precision_summary.h"
#include "tools/commands.h"

namespace octet::tools {
namespace {

using namespace benchmark;  // NOLINT: this file is the benchmark tool's front
using Clock = std::chrono::steady_clock;

// A Chrome trace of tens of thousands of events is already hard to open; the first inferences show the
// pattern.
constexpr size_t kMaxTraceEvents = 20000;

void step(int number, const std::string& what) {
  std::cout << "[Step " << number << "/11] " << what << "\n";
}
void info(const std::string& line) {
  std::cout << "[ INFO ] " << line << "\n";
}
void warning(const std::string& line) {
  std::cout << "[ WARNING ] " << line << "\n";
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string cpu_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return "CPU";
}

void log_ports(const std::string& title, const std::vector<PortInfo>& ports) {
  info(title);
  for (const PortInfo& p : ports)
    info("    " + p.name + " : " + std::string(to_string(p.type)) + " " + p.shape.to_string());
}

// The batch for FPS: -b, else dim 0 of a 4-D / 5-D (image or volume) first input, else 1 (as benchmark_app
// assumes when it finds no batch dimension).
int64_t batch_size(const BenchmarkFlags& flags, const std::vector<PortInfo>& inputs) {
  if (flags.batch > 0) return flags.batch;
  if (inputs.empty()) return 1;
  const Dims& dims = inputs[0].shape.dims();
  return (dims.size() == 4 || dims.size() == 5) && dims[0] > 0 ? dims[0] : 1;
}

std::vector<std::pair<std::string, std::string>> command_line_table(const BenchmarkFlags& f) {
  std::ostringstream inputs;
  for (const std::string& i : f.inputs) inputs << (inputs.tellp() > 0 ? " " : "") << i;
  return {{"-m", f.model},
          {"-d", f.device},
          {"-api", f.api},
          {"-niter", f.niter > 0 ? std::to_string(f.niter) : ""},
          {"-t", f.time_s > 0 ? two_decimals(f.time_s) : ""},
          {"-nthreads", f.nthreads > 0 ? std::to_string(f.nthreads) : ""},
          {"-nstreams", f.nstreams > 0 ? std::to_string(f.nstreams) : ""},
          {"-nireq", f.nireq > 0 ? std::to_string(f.nireq) : ""},
          {"-hint", f.hint},
          {"-b", f.batch > 0 ? std::to_string(f.batch) : ""},
          {"-shape", f.shape},
          {"-i", inputs.str()},
          {"-pc", f.pc ? "true" : "false"},
          {"-pcsort", f.pcsort},
          {"-report_type", f.report_type},
          {"-report_folder", f.report_folder},
          {"-latency_percentile", std::to_string(f.latency_percentile)},
          {"-infer_precision", f.infer_precision}};
}

void write_reports(const BenchmarkFlags& flags, const BenchmarkResult& result,
                   const std::vector<std::vector<LayerCounters>>& counters) {
  const std::filesystem::path folder = flags.report_folder.empty() ? "." : flags.report_folder;
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  std::ostringstream statistics;
  write_statistics_csv(statistics, command_line_table(flags), result);
  write_binary_file((folder / "benchmark_report.csv").string(), statistics.str());
  info("Statistics report is stored to " + (folder / "benchmark_report.csv").string());
  if (flags.report_type == "no_counters") return;
  std::ostringstream csv;
  if (flags.report_type == "average_counters") {
    write_counters_csv(csv, average_over_requests(counters));
  } else {
    for (const auto& request : counters) write_counters_csv(csv, request);
  }
  const std::string path = (folder / ("benchmark_" + flags.report_type + "_report.csv")).string();
  write_binary_file(path, csv.str());
  info("Performance counters report is stored to " + path);
}

void run_benchmark(const BenchmarkFlags& flags) {
  step(1, "Parsing and validating input arguments");
  validate_benchmark_flags(flags);
  const double seconds = measurement_seconds(flags);
  if (flags.niter == 0 && flags.time_s == 0)
    info("Neither -niter nor -t is given: measuring for " + two_decimals(seconds) + " s");

  step(2, "Loading the Octet runtime");
  Core core;
  info("Device: CPU (" + cpu_name() + ")");

  step(3, "Setting device configuration");
  const CompileConfig requested = compile_config_from(flags);
  if (flags.hint.empty())
    warning(
        std::string("Performance hint was not explicitly specified in command line. Device(CPU) performance "
                    "hint will be set to ") +
        to_string(requested.hint) + ".");

  step(4, "Reading model files");
  Clock::time_point start = Clock::now();
  const std::shared_ptr<Model> model = core.read_model(flags.model);
  const double load_ms = ms_since(start);
  info("Read model took " + two_decimals(load_ms) + " ms");
  log_ports("Original model I/O parameters:", model->inputs());

  step(5, "Resizing model to match image sizes and given batch");
  const std::map<std::string, Dims> dims = input_dims_from_flags(flags, model->inputs());
  if (!dims.empty()) {
    start = Clock::now();
    model->reshape(dims);
    info("Reshaping model took " + two_decimals(ms_since(start)) + " ms");
  }

  step(6, "Configuring input of the model");
  log_ports("Model inputs:", model->inputs());
  log_ports("Model outputs:", model->outputs());

  step(7, "Loading the model to the device");
  start = Clock::now();
  CompiledModel compiled = core.compile_model(model, requested);
  const double compile_ms = ms_since(start);
  info("Compile model took " + two_decimals(compile_ms) + " ms");

  step(8, "Querying optimal runtime parameters");
  const CompileConfig& config = compiled.config();
  const int nireq = is_sync(flags)    ? 1
                    : flags.nireq > 0 ? flags.nireq
                                      : compiled.optimal_number_of_infer_requests();
  info("  NUM_STREAMS: " + std::to_string(config.num_streams));
  info("  INFERENCE_NUM_THREADS: " + std::to_string(config.num_threads));
  info(std::string("  PERFORMANCE_HINT: ") + to_string(config.hint));
  info(std::string("  INFERENCE_PRECISION_HINT: ") + to_string(config.precision));
  info(std::string("  PERF_COUNT: ") + (config.profiling ? "YES" : "NO"));
  info("  OPTIMAL_NUMBER_OF_INFER_REQUESTS: " + std::to_string(compiled.optimal_number_of_infer_requests()));

  step(9, "Creating infer requests and preparing input tensors");
  const std::vector<PortInfo> inputs = compiled.inputs();
  const std::vector<InputData> data = make_inputs(flags.inputs, inputs);
  for (size_t i = 0; i < inputs.size(); ++i)
    info("Input '" + inputs[i].name + "' " + data[i].tensor.description() + ": " + data[i].source);
  std::vector<InferRequest> requests;
  for (int r = 0; r < nireq; ++r) {
    requests.push_back(compiled.create_infer_request());
    for (size_t i = 0; i < inputs.size(); ++i) requests.back().set_input_tensor(i, data[i].tensor);
  }

  std::string limits = flags.niter > 0 ? std::to_string(flags.niter) + " iterations" : "";
  if (seconds > 0)
    limits +=
        (limits.empty() ? "" : ", ") + std::to_string(static_cast<int64_t>(seconds * 1000)) + " ms duration";
  step(10, is_sync(flags) ? "Measuring performance (Start inference synchronously, limits: " + limits + ")"
                          : "Measuring performance (Start inference asynchronously, " +
                                std::to_string(nireq) + " inference requests, limits: " + limits + ")");
  const MeasurementLimits measurement_limits{is_sync(flags), flags.niter, seconds,
                                             flags.trace_path.empty() ? 0 : kMaxTraceEvents};
  const Measurement measured = measure(requests, measurement_limits);
  info("First inference took " + two_decimals(measured.first_inference_ms) + " ms");

  step(11, "Dumping statistics report");
  BenchmarkResult result;
  result.model = flags.model;
  result.api = flags.api;
  result.precision = to_string(config.precision);
  result.nthreads = config.num_threads;
  result.nstreams = config.num_streams;
  result.nireq = nireq;
  result.batch = batch_size(flags, inputs);
  result.iterations = static_cast<int64_t>(measured.latencies_ms.size());
  result.duration_ms = measured.duration_ms;
  result.load_ms = load_ms;
  result.compile_ms = compile_ms;
  result.first_inference_ms = measured.first_inference_ms;
  result.latency = compute_latency_statistics(measured.latencies_ms, flags.latency_percentile);
  result.throughput_fps =
      throughput_fps(is_sync(flags), result.batch, result.iterations, result.duration_ms, result.latency);

  std::vector<std::vector<LayerCounters>> counters;
  if (config.profiling)
    for (const InferRequest& request : requests)
      counters.push_back(average_counters(request.get_profiling_info()));
  if (!counters.empty()) result.per_layer = counters[0];
  if (flags.pc || !flags.pcsort.empty()) {
    for (size_t r = 0; r < counters.size(); ++r) {
      info("Performance counts for " + std::to_string(r) + "-th infer request (average of its inferences):");
      print_counters_table(std::cout, counters[r], flags.pcsort, cpu_name());
    }
    // Only for quantized models: an fp32 model's summary would list every layer as an fp32 island.
    if (!counters.empty()) {
      const PrecisionSummary summary = summarize_precision(counters[0]);
      if (summary.int8_macs > 0 || summary.conversions > 0) print_precision_summary(std::cout, summary);
    }
  }
  if (!flags.report_type.empty()) write_reports(flags, result, counters);
  if (!flags.trace_path.empty()) {
    write_binary_file(flags.trace_path, to_chrome_trace_json(measured.trace_events));
    info("Chrome trace (" + std::to_string(measured.trace_events.size()) + " kernel events) is stored to " +
         flags.trace_path);
    if (measured.trace_truncated)
      warning("The trace keeps the first " + std::to_string(kMaxTraceEvents) +
              " events only; use -niter for a shorter run to see every inference");
  }
  if (!flags.json_path.empty()) {
    write_binary_file(flags.json_path, to_json(result).dump(2) + "\n");
    info("JSON results are stored to " + flags.json_path);
  }
  print_results(std::cout, result);
}

}  // namespace

void register_benchmark_command(CLI::App& app) {
  auto flags = std::make_shared<BenchmarkFlags>();
  CLI::App* cmd = app.add_subcommand(
      "benchmark",
      "Measure latency and throughput (flags as OpenVINO's benchmark_app: -m MODEL -niter N -pc ...)");
  add_benchmark_flags(*cmd, *flags);
  cmd->callback([flags] { run_benchmark(*flags); });
}

}  // namespace octet::tools
