#include "tools/benchmark/benchmark_flags.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string_view>

#include "octet/error.h"

namespace octet::tools::benchmark {
namespace {

// benchmark_app's multi-letter flags (they take one dash there); `json` and `trace` are Octet's own.
constexpr std::string_view kLongFlagNames[] = {
    "niter",           "nthreads", "nstreams", "nireq",       "hint",          "api",
    "shape",           "pc",       "pcsort",   "report_type", "report_folder", "latency_percentile",
    "infer_precision", "json",     "trace"};

bool is_long_flag_name(std::string_view name) {
  return std::find(std::begin(kLongFlagNames), std::end(kLongFlagNames), name) != std::end(kLongFlagNames);
}

std::string input_names(const std::vector<PortInfo>& inputs) {
  std::string names;
  for (const PortInfo& in : inputs) names += (names.empty() ? "'" : ", '") + in.name + "'";
  return names.empty() ? "none" : names;
}

Dims parse_dims(const std::string& list, const std::string& item) {
  Dims dims;
  size_t start = 0;
  while (start <= list.size() && !list.empty()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string text = list.substr(start, comma - start);
    int64_t dim = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), dim);
    OCTET_CHECK(ec == std::errc() && end == text.data() + text.size() && dim > 0, ErrorCode::kInvalidArgument,
                "-shape '", item, "': '", text,
                "' is not a positive dimension (dynamic dims are not supported: give every dim)");
    dims.push_back(dim);
    start = comma + 1;
  }
  return dims;
}

}  // namespace

std::vector<std::string> rewrite_single_dash_flags(std::vector<std::string> args) {
  // The subcommand is the first argument after the program name that is not an option of `octet` itself.
  const auto subcommand = std::find_if(args.begin() + std::min<size_t>(1, args.size()), args.end(),
                                       [](const std::string& a) { return a.empty() || a[0] != '-'; });
  if (subcommand == args.end() || *subcommand != "benchmark") return args;
  for (auto it = subcommand + 1; it != args.end(); ++it) {
    std::string& arg = *it;
    if (arg == "--") break;  // everything after is positional
    if (arg.size() < 3 || arg[0] != '-' || arg[1] == '-') continue;
    const std::string_view name = std::string_view(arg).substr(1, arg.find('=') - 1);
    if (is_long_flag_name(name)) arg.insert(arg.begin(), '-');
  }
  return args;
}

void add_benchmark_flags(CLI::App& cmd, BenchmarkFlags& flags) {
  cmd.add_option("-m,--model", flags.model, "Model file (.onnx or OpenVINO .xml)")->required();
  cmd.add_option("-d,--device", flags.device, "Device to run on (only CPU)")->capture_default_str();
  cmd.add_option("--niter", flags.niter, "Number of measured iterations")->check(CLI::PositiveNumber);
  cmd.add_option("-t,--time", flags.time_s, "Seconds to measure (default 60, or only -niter when given)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--nthreads", flags.nthreads, "Threads for all streams together (default: every core)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--nstreams", flags.nstreams, "Streams (parallel inferences; default: from the hint)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--nireq", flags.nireq, "Infer requests (default: optimal for the streams)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--hint", flags.hint,
                 "Performance hint latency|throughput|none (default: latency for sync, throughput for async)")
      ->check(CLI::IsMember({"latency", "throughput", "tput", "none"}));
  cmd.add_option("--api", flags.api, "sync (one request in a loop) or async (-nireq requests kept busy)")
      ->check(CLI::IsMember({"sync", "async"}))
      ->capture_default_str();
  cmd.add_option("-b,--batch", flags.batch, "Batch size: sets dim 0 of every input")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--shape", flags.shape,
                 "Input shapes: \"name[1,3,224,224],other[1,4]\" or \"[1,3,224,224]\"");
  cmd.add_option("-i,--input", flags.inputs,
                 "Input files (.npy/.pb): NAME=FILE or FILE by input order; comma-separated or repeated "
                 "(default: random data)");
  cmd.add_flag("--pc", flags.pc, "Print performance counters of every infer request");
  cmd.add_option("--pcsort", flags.pcsort, "Print performance counters sorted: no_sort|sort|simple_sort")
      ->check(CLI::IsMember({"no_sort", "sort", "simple_sort"}));
  cmd.add_option("--report_type", flags.report_type,
                 "Statistics report: no_counters|average_counters|detailed_counters")
      ->check(CLI::IsMember({"no_counters", "average_counters", "detailed_counters"}));
  cmd.add_option("--report_folder", flags.report_folder,
                 "Folder for the -report_type CSV files (default: .)");
  cmd.add_option("--latency_percentile", flags.latency_percentile,
                 "Percentile reported as the latency (1..100, 50 = median)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd.add_option("--infer_precision", flags.infer_precision,
                 "f32 (everything in f32) or model (the model's own quantization)")
      ->check(CLI::IsMember({"f32", "model"}));
  cmd.add_option("--json", flags.json_path, "Write the results as JSON to FILE");
  cmd.add_option("--trace", flags.trace_path,
                 "Write a Chrome trace (chrome://tracing, Perfetto) of the measured inferences to FILE");
}

void validate_benchmark_flags(const BenchmarkFlags& flags) {
  std::string device = flags.device;
  std::transform(device.begin(), device.end(), device.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  OCTET_CHECK(device == "CPU", ErrorCode::kInvalidArgument, "-d ", flags.device,
              ": Octet runs on the CPU only (use -d CPU)");
  OCTET_CHECK(flags.report_folder.empty() || !flags.report_type.empty(), ErrorCode::kInvalidArgument,
              "-report_folder needs -report_type no_counters|average_counters|detailed_counters");
  OCTET_CHECK(!is_sync(flags) || flags.nireq <= 1, ErrorCode::kInvalidArgument, "-nireq ", flags.nireq,
              ": the sync API runs one infer request (use -api async for more)");
  if (!flags.shape.empty()) parse_shape_flag(flags.shape);
}

double measurement_seconds(const BenchmarkFlags& flags) {
  if (flags.time_s > 0) return flags.time_s;
  return flags.niter > 0 ? 0.0 : 60.0;
}

bool is_sync(const BenchmarkFlags& flags) {
  return flags.api == "sync";
}

bool profiling_requested(const BenchmarkFlags& flags) {
  const bool counters_report =
      flags.report_type == "average_counters" || flags.report_type == "detailed_counters";
  return flags.pc || !flags.pcsort.empty() || counters_report || !flags.trace_path.empty();
}

CompileConfig compile_config_from(const BenchmarkFlags& flags) {
  CompileConfig config;
  config.num_threads = flags.nthreads;
  config.num_streams = flags.nstreams;
  const std::string hint = flags.hint.empty() ? (is_sync(flags) ? "latency" : "throughput") : flags.hint;
  // "none" sets no hint: the runtime's default (latency) applies unless -nstreams says otherwise.
  config.hint =
      hint == "throughput" || hint == "tput" ? PerformanceHint::kThroughput : PerformanceHint::kLatency;
  config.precision = flags.infer_precision == "f32" ? InferencePrecision::kF32 : InferencePrecision::kModel;
  config.profiling = profiling_requested(flags);
  return config;
}

std::vector<std::pair<std::string, Dims>> parse_shape_flag(const std::string& text) {
  std::vector<std::pair<std::string, Dims>> shapes;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('[', pos);
    const size_t close = open == std::string::npos ? std::string::npos : text.find(']', open);
    OCTET_CHECK(close != std::string::npos, ErrorCode::kInvalidArgument, "-shape '", text,
                "': expected name[d0,d1,...] items separated by commas, or [d0,d1,...]");
    const std::string name = text.substr(pos, open - pos);
    const std::string item = text.substr(pos, close + 1 - pos);
    OCTET_CHECK(name.find_first_of(",]") == std::string::npos, ErrorCode::kInvalidArgument, "-shape '", text,
                "': '", name, "' is not an input name");
    const Dims dims = parse_dims(text.substr(open + 1, close - open - 1), item);
    for (const auto& [seen, unused] : shapes)
      OCTET_CHECK(seen != name, ErrorCode::kInvalidArgument, "-shape '", text, "': input '", name,
                  "' given twice");
    shapes.emplace_back(name, dims);
    pos = close + 1;
    if (pos < text.size()) {
      OCTET_CHECK(text[pos] == ',', ErrorCode::kInvalidArgument, "-shape '", text, "': expected ',' after '",
                  item, "'");
      ++pos;
      OCTET_CHECK(pos < text.size(), ErrorCode::kInvalidArgument, "-shape '", text, "': trailing ','");
    }
  }
  OCTET_CHECK(!shapes.empty(), ErrorCode::kInvalidArgument, "-shape is empty");
  const bool unnamed =
      std::any_of(shapes.begin(), shapes.end(), [](const auto& s) { return s.first.empty(); });
  OCTET_CHECK(!unnamed || shapes.size() == 1, ErrorCode::kInvalidArgument, "-shape '", text,
              "': a shape without an input name applies to every input, so it must be the only one");
  return shapes;
}

std::map<std::string, Dims> input_dims_from_flags(const BenchmarkFlags& flags,
                                                  const std::vector<PortInfo>& inputs) {
  std::map<std::string, Dims> dims;
  if (!flags.shape.empty()) {
    for (const auto& [name, shape] : parse_shape_flag(flags.shape)) {
      if (name.empty()) {
        for (const PortInfo& in : inputs) dims[in.name] = shape;
        continue;
      }
      const bool known =
          std::any_of(inputs.begin(), inputs.end(), [&](const PortInfo& in) { return in.name == name; });
      OCTET_CHECK(known, ErrorCode::kInvalidArgument, "-shape: the model has no input named '", name,
                  "' (its inputs: ", input_names(inputs), ")");
      dims[name] = shape;
    }
  }
  if (flags.batch > 0) {
    for (const PortInfo& in : inputs) {
      if (!dims.contains(in.name)) {
        OCTET_CHECK(in.shape.rank_known() && in.shape.rank() >= 1, ErrorCode::kInvalidArgument, "-b ",
                    flags.batch, ": input '", in.name, "' has shape ", in.shape.to_string(),
                    " with no batch dimension; give its shape with -shape");
        Dims d = in.shape.dims();
        for (size_t axis = 1; axis < d.size(); ++axis)
          OCTET_CHECK(d[axis] > 0, ErrorCode::kInvalidArgument, "-b ", flags.batch, ": input '", in.name,
                      "' has dynamic dims ", in.shape.to_string(), "; give its shape with -shape");
        dims[in.name] = d;
      }
      Dims& d = dims[in.name];
      OCTET_CHECK(!d.empty(), ErrorCode::kInvalidArgument, "-b ", flags.batch, ": input '", in.name,
                  "' is a scalar, so it has no batch dimension");
      d[0] = flags.batch;
    }
  }
  return dims;
}

}  // namespace octet::tools::benchmark
