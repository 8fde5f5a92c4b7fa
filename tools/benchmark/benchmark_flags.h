// The flags of `octet benchmark`, spelled as OpenVINO's benchmark_app spells them (-m, -niter, -nireq, -pc,
// -report_type ...), and the parsers that turn their values into settings. Every error names the flag.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "octet/compile_config.h"
#include "octet/model.h"
#include "octet/shape.h"

namespace octet::tools::benchmark {

struct BenchmarkFlags {
  std::string model;
  std::string device = "CPU";
  int64_t niter = 0;  // 0: not given
  double time_s = 0;  // 0: not given (see measurement_seconds)
  int nthreads = 0;   // 0: every core
  int nstreams = 0;   // 0: chosen by the hint
  int nireq = 0;      // 0: the compiled model's optimal number (async), 1 (sync)
  std::string hint;   // latency|throughput|tput|none; empty: latency for -api sync, throughput for async
  std::string api = "async";
  int64_t batch = 0;                // 0: as the model (or -shape) says
  std::string shape;                // "name[1,3,224,224],other[1,4]" or "[1,3,224,224]"
  std::vector<std::string> inputs;  // -i: [NAME=]FILE items, comma-separated or repeated
  bool pc = false;
  std::string pcsort;       // no_sort|sort|simple_sort (implies -pc)
  std::string report_type;  // no_counters|average_counters|detailed_counters
  std::string report_folder;
  int latency_percentile = 50;
  std::string infer_precision;  // f32|model; empty: the model's own
  std::string json_path;
  std::string trace_path;
};

// benchmark_app's multi-letter flags take one dash (-niter 10, -pc); CLI11 only knows single-letter short
// names, so this rewrites `-niter` / `-niter=10` to `--niter` / `--niter=10` before CLI11 parses. Only the
// names of `octet benchmark` after the `benchmark` subcommand are touched, so values such as `-1` and the
// other subcommands' arguments pass through unchanged. args[0] is the program name.
std::vector<std::string> rewrite_single_dash_flags(std::vector<std::string> args);

// Registers every flag on `cmd` (CLI11 checks enumerations and ranges; its message names the flag).
void add_benchmark_flags(CLI::App& cmd, BenchmarkFlags& flags);

// Checks what CLI11 cannot check alone (device, combinations); throws kInvalidArgument naming the flag.
void validate_benchmark_flags(const BenchmarkFlags& flags);

// How long to measure: -t if given; otherwise 0 (iteration-bound) with -niter, else 60 s like benchmark_app.
double measurement_seconds(const BenchmarkFlags& flags);
bool is_sync(const BenchmarkFlags& flags);
bool profiling_requested(const BenchmarkFlags& flags);  // -pc, -pcsort, counters reports or --trace

// The compile configuration the flags ask for (threads, streams, hint, precision, profiling).
CompileConfig compile_config_from(const BenchmarkFlags& flags);

// -shape: a list of (input name, dims); an empty name means "every input" ("[1,3,224,224]").
std::vector<std::pair<std::string, Dims>> parse_shape_flag(const std::string& text);

// The static dims each input gets from -shape and then -b (which sets dim 0 of every input); inputs that
// neither flag touches are left out. `inputs` are the model's inputs as read.
std::map<std::string, Dims> input_dims_from_flags(const BenchmarkFlags& flags,
                                                  const std::vector<PortInfo>& inputs);

}  // namespace octet::tools::benchmark
