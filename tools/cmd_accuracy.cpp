// `octet accuracy MODEL --data LIST|DIR [--metric top1|map|miou|hitrate] [--compare OTHER] [--json FILE]
// ...`: evaluates a model (and optionally a second one on the same samples) on the CPU runtime and prints a
// table: model, metric values, sample count, time; with --compare also the difference and the top-1
// agreement.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "evaluation/evaluate_model.h"
#include "evaluation/top1_agreement.h"
#include "octet/core.h"
#include "tools/commands.h"
#include "tools/preprocess_flags.h"
#include "tools/progress_bar.h"

namespace octet::tools {
namespace {

struct AccuracyFlags {
  std::string model;
  std::string data;
  std::string metric = "top1";
  int top_k = 0;
  std::string compare;
  std::string json;
  int threads = 0;
  std::string output;
  std::string ap = "11point";
  std::string precision = "model";
  PreprocessFlags preprocess;
};

std::string percent(double fraction) {
  return str_cat(std::fixed, std::setprecision(2), 100.0 * fraction, "%");
}

evaluation::EvaluationResult evaluate(const std::string& path, const dataset::Dataset& data,
                                      evaluation::EvaluationOptions options) {
  ProgressBar bar("Evaluating " + std::filesystem::path(path).filename().string(), data.size());
  options.progress = [&bar](size_t done, size_t /*total*/) { bar.update(done); };
  evaluation::EvaluationResult result = evaluation::evaluate_model(path, data, options);
  bar.finish();
  return result;
}

void print_table(const std::vector<evaluation::EvaluationResult>& results) {
  std::vector<std::string> names;  // value columns, in the first result's order
  for (const auto& [name, v] : results[0].values) names.push_back(name);
  size_t model_width = 5;
  for (const auto& r : results) model_width = std::max(model_width, r.model.size());
  std::cout << std::left << std::setw(static_cast<int>(model_width)) << "model" << std::right;
  for (const std::string& n : names) std::cout << std::setw(10) << n;
  std::cout << std::setw(8) << "count" << std::setw(10) << "time" << std::setw(12) << "ms/sample"
            << "\n";
  for (const auto& r : results) {
    std::cout << std::left << std::setw(static_cast<int>(model_width)) << r.model << std::right;
    for (const auto& [n, v] : r.values) std::cout << std::setw(10) << percent(v);
    std::cout << std::setw(8) << r.count << std::setw(10)
              << str_cat(std::fixed, std::setprecision(1), r.seconds, " s") << std::setw(12)
              << str_cat(std::fixed, std::setprecision(2), 1000.0 * r.infer_seconds / r.count) << "\n";
  }
  if (results.size() == 2 && !names.empty()) {
    std::cout << std::left << std::setw(static_cast<int>(model_width)) << "difference" << std::right;
    for (const std::string& n : names) {
      const double d = 100.0 * (results[1].value(n) - results[0].value(n));
      std::cout << std::setw(10) << str_cat(std::showpos, std::fixed, std::setprecision(2), d);
    }
    std::cout << "   (points, second - first)\n";
  }
}

void write_json(const std::string& path, const std::vector<evaluation::EvaluationResult>& results,
                std::optional<double> agreement) {
  nlohmann::json root;
  root["results"] = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json entry;
    entry["model"] = r.model;
    for (const auto& [n, v] : r.values) entry[n] = v;
    entry["count"] = r.count;
    entry["seconds"] = r.seconds;
    root["results"].push_back(entry);
  }
  if (agreement) root["top1_agreement"] = *agreement;
  std::ofstream out(path);
  out << root.dump(2) << "\n";
  OCTET_CHECK(out.good(), ErrorCode::kIo, "cannot write ", path);
}

void run_accuracy(const AccuracyFlags& flags) {
  evaluation::EvaluationOptions options;
  options.metric = evaluation::parse_metric(flags.metric);
  options.top_k = flags.top_k > 0 ? flags.top_k : options.metric == evaluation::Metric::kHitRate ? 10 : 5;
  options.ap_method = evaluation::parse_ap_method(flags.ap);
  options.output = flags.output;
  options.compile.num_threads = flags.threads;
  options.compile.precision =
      flags.precision == "f32" ? InferencePrecision::kF32 : InferencePrecision::kModel;
  const dataset::Dataset data = dataset::Dataset::open(flags.data, to_dataset_options(flags.preprocess));

  std::vector<evaluation::EvaluationResult> results;
  results.push_back(evaluate(flags.model, data, options));
  if (!flags.compare.empty()) results.push_back(evaluate(flags.compare, data, options));
  OCTET_CHECK(!results[0].values.empty() || !flags.compare.empty(), ErrorCode::kInvalidArgument,
              "the samples of ", flags.data,
              " have no labels: give a labeled list file (path<TAB>label), or --compare OTHER_MODEL "
              "for the top-1 agreement of two models");
  print_table(results);
  std::optional<double> agreement;
  if (results.size() == 2 && !results[0].predictions.empty()) {
    agreement = evaluation::top1_agreement(results[0].predictions, results[1].predictions);
    const auto same = static_cast<size_t>(std::llround(*agreement * results[0].predictions.size()));
    std::cout << "top-1 agreement: " << percent(*agreement) << " (" << same << "/"
              << results[0].predictions.size() << " samples with the same top-1 class)\n";
  }
  if (!flags.json.empty()) write_json(flags.json, results, agreement);
}

}  // namespace

void register_accuracy_command(CLI::App& app) {
  auto flags = std::make_shared<AccuracyFlags>();
  CLI::App* cmd = app.add_subcommand("accuracy", "Evaluate a model's accuracy on a labeled dataset");
  cmd->add_option("model", flags->model, "Model file (.onnx or .xml)")->required();
  cmd->add_option("--data,-d", flags->data,
                  "List file (path<TAB>label [annotation]), image folder, or .npy file/folder; several model "
                  "inputs: NAME=SOURCE,NAME=SOURCE")
      ->required();
  cmd->add_option("--metric,-m", flags->metric, "top1 | map (VOC, SSD-style output) | miou | hitrate")
      ->check(CLI::IsMember({"top1", "map", "miou", "hitrate"}))
      ->capture_default_str();
  cmd->add_option("--top-k,-k", flags->top_k, "top1: also report top-K (default 5); hitrate: K (default 10)");
  cmd->add_option("--compare", flags->compare, "A second model evaluated on the same samples (fp32 vs int8)");
  cmd->add_option("--json", flags->json, "Write the results as JSON to FILE");
  cmd->add_option("--nthreads", flags->threads, "Inference threads (0 = every core)")->capture_default_str();
  cmd->add_option("--output", flags->output, "The model output to score (default: the first)");
  cmd->add_option("--ap", flags->ap, "map: 11point (VOC2007) or allpoints (VOC2010+)")
      ->check(CLI::IsMember({"11point", "allpoints"}))
      ->capture_default_str();
  cmd->add_option("--precision", flags->precision,
                  "model (int8 where the model is quantized) or f32 (quantization simulated)")
      ->check(CLI::IsMember({"model", "f32"}))
      ->capture_default_str();
  add_preprocess_flags(*cmd, flags->preprocess);
  cmd->callback([flags] { run_accuracy(*flags); });
}

}  // namespace octet::tools
