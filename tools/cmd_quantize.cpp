// `octet quantize MODEL --data LIST|DIR --out OUT.xml|OUT.onnx [...]`: post-training quantization of an fp32
// model (src/quantization/quantizer.h): calibrates on the data, inserts FakeQuantize, corrects biases,
// optionally keeps the accuracy drop under --max-drop, writes a quantized OpenVINO IR (FakeQuantize) or ONNX
// QDQ model, a JSON report and a summary.
//
// Every flag can also come from a JSON config file (--config); a flag given on the command line wins over the
// file. --write-config saves the settings actually used, so that a run can be repeated exactly.
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>

#include "frontends/model_reader.h"
#include "frontends/onnx/onnx_writer.h"
#include "frontends/openvino_ir/ir_writer.h"
#include "io/file_extension.h"
#include "quantization/quantization_report.h"
#include "quantization/quantizer.h"
#include "tools/cli_parsing.h"
#include "tools/commands.h"
#include "tools/preprocess_flags.h"
#include "tools/progress_bar.h"

namespace octet::tools {
namespace {

struct QuantizeFlags {
  std::string model;
  std::string data;
  std::string out;
  std::string eval_data;  // accuracy control's data; "" = --data
  size_t eval_subset = 0;
  std::vector<std::string> shapes;
  int nthreads = 0;
  int latency_rounds = 20;
  std::string report;
  std::string config;
  std::string write_config;
  int ir_version = 11;
  PreprocessFlags preprocess;
  // Quantization options as flags (strings where the options have enums).
  std::string preset = "performance";
  std::string estimator = "minmax";
  double percentile = 99.99;
  std::vector<std::string> ignored_names, ignored_patterns, ignored_types;
  bool no_bias_correction = false;
  std::string cle = "auto";
  std::string saturation_safe_weights = "auto";
  double max_drop = -1;
  std::string drop_type = "absolute";
  size_t ranking_subset = 100;
  size_t max_reverted = 0;
};

// A flag and the config-file key that can set it instead.
struct ConfigBinding {
  const char* key;
  const char* flag;
  std::function<void(const nlohmann::json&)> set;
};

template <typename T>
std::function<void(const nlohmann::json&)> setter(T& field) {
  return [&field](const nlohmann::json& value) { field = value.get<T>(); };
}

std::vector<ConfigBinding> config_bindings(QuantizeFlags& f) {
  PreprocessFlags& p = f.preprocess;
  return {
      {"model", "model", setter(f.model)},
      {"data", "--data", setter(f.data)},
      {"out", "--out", setter(f.out)},
      {"eval_data", "--eval-data", setter(f.eval_data)},
      {"eval_subset", "--eval-subset", setter(f.eval_subset)},
      {"shape", "--shape", setter(f.shapes)},
      {"nthreads", "--nthreads", setter(f.nthreads)},
      {"latency_rounds", "--latency-rounds", setter(f.latency_rounds)},
      {"report", "--report", setter(f.report)},
      {"ir_version", "--ir-version", setter(f.ir_version)},
      {"resize", "--resize", setter(p.resize)},
      {"crop", "--crop", setter(p.crop)},
      {"mean", "--mean", setter(p.mean)},
      {"std", "--std", setter(p.std)},
      {"color", "--color", setter(p.color)},
      {"layout", "--layout", setter(p.layout)},
      {"label_offset", "--label-offset", setter(p.label_offset)},
      {"subset", "--subset", setter(p.subset)},
      {"seed", "--seed", setter(p.seed)},
      {"preset", "--preset", setter(f.preset)},
      {"estimator", "--estimator", setter(f.estimator)},
      {"percentile", "--percentile", setter(f.percentile)},
      {"ignored_names", "--ignore-name", setter(f.ignored_names)},
      {"ignored_patterns", "--ignore-pattern", setter(f.ignored_patterns)},
      {"ignored_types", "--ignore-type", setter(f.ignored_types)},
      {"bias_correction", "--no-bias-correction",
       [&f](const nlohmann::json& value) { f.no_bias_correction = !value.get<bool>(); }},
      {"cle", "--cle", setter(f.cle)},
      {"saturation_safe_weights", "--saturation-safe-weights", setter(f.saturation_safe_weights)},
      {"max_drop", "--max-drop", setter(f.max_drop)},
      {"drop_type", "--drop-type", setter(f.drop_type)},
      {"ranking_subset", "--ranking-subset", setter(f.ranking_subset)},
      {"max_reverted", "--max-reverted", setter(f.max_reverted)},
  };
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  OCTET_CHECK(in, ErrorCode::kIo, "cannot read config file ", path);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorCode::kInvalidArgument, "config file ", path, ": ", e.what());
  }
}

// Config values for every flag not given on the command line. Unknown keys are an error (a typo would
// otherwise silently change nothing).
void apply_config(const CLI::App& command, QuantizeFlags& flags) {
  if (flags.config.empty()) return;
  const nlohmann::json config = read_json_file(flags.config);
  OCTET_CHECK(config.is_object(), ErrorCode::kInvalidArgument, "config file ", flags.config,
              " must hold a JSON object");
  std::vector<ConfigBinding> bindings = config_bindings(flags);
  for (const auto& [key, value] : config.items()) {
    const auto it =
        std::find_if(bindings.begin(), bindings.end(), [&](const auto& b) { return key == b.key; });
    OCTET_CHECK(it != bindings.end(), ErrorCode::kInvalidArgument, "config file ", flags.config,
                ": unknown key '", key, "'");
    if (command.get_option(it->flag)->count() > 0) continue;
    try {
      it->set(value);
    } catch (const nlohmann::json::exception& e) {
      fail(ErrorCode::kInvalidArgument, "config file ", flags.config, ": key '", key, "': ", e.what());
    }
  }
}

nlohmann::json settings_json(const QuantizeFlags& f) {
  const PreprocessFlags& p = f.preprocess;
  return {{"model", f.model},
          {"data", f.data},
          {"out", f.out},
          {"eval_data", f.eval_data},
          {"eval_subset", f.eval_subset},
          {"shape", f.shapes},
          {"nthreads", f.nthreads},
          {"latency_rounds", f.latency_rounds},
          {"report", f.report},
          {"ir_version", f.ir_version},
          {"resize", p.resize},
          {"crop", p.crop},
          {"mean", p.mean},
          {"std", p.std},
          {"color", p.color},
          {"layout", p.layout},
          {"label_offset", p.label_offset},
          {"subset", p.subset},
          {"seed", p.seed},
          {"preset", f.preset},
          {"estimator", f.estimator},
          {"percentile", f.percentile},
          {"ignored_names", f.ignored_names},
          {"ignored_patterns", f.ignored_patterns},
          {"ignored_types", f.ignored_types},
          {"bias_correction", !f.no_bias_correction},
          {"cle", f.cle},
          {"saturation_safe_weights", f.saturation_safe_weights},
          {"max_drop", f.max_drop},
          {"drop_type", f.drop_type},
          {"ranking_subset", f.ranking_subset},
          {"max_reverted", f.max_reverted}};
}

quantization::QuantizeOptions quantize_options(const QuantizeFlags& f) {
  quantization::QuantizeOptions o;
  o.preset = quantization::parse_preset(f.preset);
  o.activation_estimator = quantization::parse_range_estimator(f.estimator);
  o.percentile = f.percentile;
  o.ignored = {f.ignored_names, f.ignored_patterns, f.ignored_types};
  o.bias_correction = !f.no_bias_correction;
  o.equalization = quantization::parse_switch(f.cle, "--cle");
  o.saturation_safe_weights =
      quantization::parse_switch(f.saturation_safe_weights, "--saturation-safe-weights");
  o.num_threads = f.nthreads;
  o.accuracy.max_drop = f.max_drop;
  OCTET_CHECK(f.drop_type == "absolute" || f.drop_type == "relative", ErrorCode::kInvalidArgument,
              "--drop-type must be absolute or relative, got '", f.drop_type, "'");
  o.accuracy.relative = f.drop_type == "relative";
  o.accuracy.ranking_subset = f.ranking_subset;
  o.accuracy.max_reverted = f.max_reverted;
  OCTET_CHECK(o.percentile > 50 && o.percentile <= 100, ErrorCode::kInvalidArgument,
              "--percentile must be in (50, 100], got ", o.percentile);
  return o;
}

void write_json(const nlohmann::json& json, const std::string& path) {
  std::ofstream out(path);
  OCTET_CHECK(out, ErrorCode::kIo, "cannot write ", path);
  out << json.dump(2) << "\n";
  OCTET_CHECK(out.good(), ErrorCode::kIo, "cannot write ", path);
}

void run_quantize(const CLI::App& command, QuantizeFlags& flags) {
  apply_config(command, flags);
  OCTET_CHECK(!flags.model.empty(), ErrorCode::kInvalidArgument,
              "no model given (argument or config 'model')");
  OCTET_CHECK(!flags.data.empty(), ErrorCode::kInvalidArgument, "--data is required (or config 'data')");
  OCTET_CHECK(!flags.out.empty(), ErrorCode::kInvalidArgument, "--out is required (or config 'out')");
  const std::string extension = lowercase_extension(flags.out);
  // Checked before the (long) calibration, so that a typo costs nothing.
  OCTET_CHECK(extension == ".xml" || extension == ".onnx", ErrorCode::kInvalidArgument, "--out ", flags.out,
              ": the output must end in .xml (OpenVINO IR with FakeQuantize) or .onnx (QDQ)");
  OCTET_CHECK(flags.ir_version == 10 || flags.ir_version == 11, ErrorCode::kInvalidArgument,
              "--ir-version must be 10 or 11, got ", flags.ir_version);
  const quantization::QuantizeOptions options = quantize_options(flags);
  if (!flags.write_config.empty()) write_json(settings_json(flags), flags.write_config);

  const Graph model = read_model(flags.model, parse_shape_flags(flags.shapes));
  const dataset::DatasetOptions data_options = to_dataset_options(flags.preprocess);
  const dataset::Dataset calibration = dataset::Dataset::open(flags.data, data_options);
  dataset::DatasetOptions eval_options = data_options;
  eval_options.subset = flags.eval_subset;
  const dataset::Dataset evaluation =
      dataset::Dataset::open(flags.eval_data.empty() ? flags.data : flags.eval_data, eval_options);

  std::unique_ptr<ProgressBar> bar;
  quantization::QuantizeCallbacks callbacks;
  callbacks.calibration_progress = [&](size_t done, size_t total) {
    if (!bar) bar = std::make_unique<ProgressBar>("Calibrating", total);
    bar->update(done);
  };
  callbacks.status = [](const std::string& line) { std::cerr << line << "\n"; };
  quantization::QuantizationResult result =
      quantization::quantize_model(model, calibration, evaluation, options, callbacks);
  if (bar) bar->finish();
  if (flags.latency_rounds > 0) {
    quantization::measure_latency(model, result, calibration, flags.nthreads, flags.latency_rounds);
  }

  if (extension == ".xml") {
    write_openvino_ir(result.graph, flags.out, flags.ir_version == 10 ? IrVersion::k10 : IrVersion::k11);
  } else {
    write_onnx(result.graph, flags.out);
  }
  quantization::print_summary(result.report, std::cout);
  std::cout << "wrote " << flags.out << "\n";
  if (!flags.report.empty()) {
    nlohmann::json report = quantization::report_to_json(result.report, options);
    report["model"] = flags.model;
    report["out"] = flags.out;
    report["settings"] = settings_json(flags);
    write_json(report, flags.report);
    std::cout << "wrote " << flags.report << "\n";
  }
}

}  // namespace

void register_quantize_command(CLI::App& app) {
  auto flags = std::make_shared<QuantizeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "quantize",
      "Post-training quantization: calibrate an fp32 model, write an int8 (FakeQuantize / QDQ) model");
  cmd->add_option("model", flags->model, "fp32 model (.onnx or .xml)");
  cmd->add_option("--data", flags->data,
                  "Calibration data: list file (path<TAB>label), image folder or .npy; several model inputs: "
                  "NAME=SOURCE,NAME=SOURCE");
  cmd->add_option("--out,-o", flags->out, "Output: OUT.xml (OpenVINO IR + OUT.bin) or OUT.onnx (QDQ)");
  cmd->add_option("--eval-data", flags->eval_data, "Accuracy control's evaluation data (default: --data)");
  cmd->add_option("--eval-subset", flags->eval_subset, "Use N evaluation samples (0 = all)");
  cmd->add_option("--shape", flags->shapes, "Override an input shape: name=[1,3,224,224] (repeatable)");
  cmd->add_option("--nthreads", flags->nthreads, "Threads (0 = every core)");
  cmd->add_option("--latency-rounds", flags->latency_rounds,
                  "Interleaved fp32/int8 timing rounds for the summary (0 = do not time)");
  cmd->add_option("--report", flags->report, "Write the JSON report here");
  cmd->add_option("--config", flags->config, "JSON config file with any of the flags (flags win)");
  cmd->add_option("--write-config", flags->write_config, "Write the settings used as a JSON config file");
  cmd->add_option("--ir-version", flags->ir_version, "IR version for .xml output: 10 or 11 (default 11)");
  add_preprocess_flags(*cmd, flags->preprocess);
  cmd->add_option("--preset", flags->preset, "performance (symmetric activations) or mixed (asymmetric)");
  cmd->add_option("--estimator", flags->estimator,
                  "Activation ranges: minmax, mean_minmax, percentile, kl, mse");
  cmd->add_option("--percentile", flags->percentile, "Percentile for --estimator percentile (default 99.99)");
  cmd->add_option("--ignore-name", flags->ignored_names, "Keep this node in fp32 (repeatable)");
  cmd->add_option("--ignore-pattern", flags->ignored_patterns,
                  "Keep nodes whose name matches this regex in fp32");
  cmd->add_option("--ignore-type", flags->ignored_types, "Keep nodes of this op type in fp32 (repeatable)");
  cmd->add_flag("--no-bias-correction", flags->no_bias_correction, "Skip fast bias correction");
  cmd->add_option("--cle", flags->cle, "Cross-layer equalization: auto (depthwise models), on, off");
  cmd->add_option(
      "--saturation-safe-weights", flags->saturation_safe_weights,
      "Weights whose adjacent pairs cannot saturate AVX2's i16 sums: auto (CPUs without VNNI), on, off");
  cmd->add_option("--max-drop", flags->max_drop,
                  "Accuracy control: largest allowed top-1 drop (0.01 = 1 point absolute; see --drop-type)");
  cmd->add_option("--drop-type", flags->drop_type,
                  "absolute (points of 0..1) or relative (fraction of fp32)");
  cmd->add_option("--ranking-subset", flags->ranking_subset, "Samples used to rank layers (default 100)");
  cmd->add_option("--max-reverted", flags->max_reverted, "Revert at most N layers (0 = no limit)");
  cmd->callback([flags, cmd] { run_quantize(*cmd, *flags); });
}

}  // namespace octet::tools
