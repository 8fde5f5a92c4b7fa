#include "quantization/accuracy_control.h"

#include <algorithm>
#include <limits>

#include "evaluation/evaluate_model.h"
#include "evaluation/top1_agreement.h"
#include "graph/graph_clone.h"
#include "octet/error.h"
#include "quantization/bias_correction.h"
#include "quantization/graph_runner.h"
#include "quantization/insert_fake_quantize.h"

namespace octet::quantization {
namespace {

struct Evaluation {
  double metric = 0;
  std::vector<int> predictions;
};

class MetricEvaluator {
 public:
  MetricEvaluator(const dataset::Dataset& data, int num_threads) : data_(data) {
    options_.metric = evaluation::Metric::kTop1;
    options_.top_k = 1;
    options_.compile.num_threads = num_threads;
  }

  // The fp32 model: its predictions are the reference of the agreement metric.
  Evaluation evaluate_fp32(const Graph& graph) {
    const evaluation::EvaluationResult result = run(graph, InferencePrecision::kF32);
    labelled_ = !result.values.empty();
    fp32_predictions_ = result.predictions;
    return {labelled_ ? result.value("top1") : 1.0, result.predictions};
  }

  Evaluation evaluate(const Graph& graph) {
    const evaluation::EvaluationResult result = run(graph, InferencePrecision::kModel);
    const double metric =
        labelled_ ? result.value("top1") : evaluation::top1_agreement(result.predictions, fp32_predictions_);
    return {metric, result.predictions};
  }

  const char* metric_name() const { return labelled_ ? "top1" : "agreement"; }
  size_t count() const { return fp32_predictions_.size(); }

 private:
  evaluation::EvaluationResult run(const Graph& graph, InferencePrecision precision) {
    evaluation::EvaluationOptions options = options_;
    options.compile.precision = precision;
    return evaluation::evaluate_model(model_from_graph(graph), data_, options);
  }

  const dataset::Dataset& data_;
  evaluation::EvaluationOptions options_;
  bool labelled_ = false;
  std::vector<int> fp32_predictions_;
};

// The layer back in fp32: no FakeQuantize on its inputs (insert_fake_quantize.h) and the bias it had before
// bias correction, so that reverting every layer gives back the fp32 model.
void revert(Graph& quantized, const Graph& fp32, const std::string& layer) {
  revert_layer_to_fp32(quantized, layer);
  restore_fp32_bias(quantized, fp32, layer);
}

// Candidates sorted by the output error with each one alone reverted (smallest first: reverting it brings
// the model closest to fp32).
std::vector<std::pair<std::string, double>> rank_layers(const Graph& quantized, const Graph& fp32,
                                                        const std::vector<std::string>& candidates,
                                                        const dataset::Dataset& data, size_t subset,
                                                        const std::vector<std::vector<float>>& reference,
                                                        int num_threads, const StatusCallback& status) {
  std::vector<std::pair<std::string, double>> ranking;
  for (size_t i = 0; i < candidates.size(); ++i) {
    Graph trial = clone_graph(quantized);
    revert(trial, fp32, candidates[i]);
    const auto outputs = first_outputs(trial, data, subset, num_threads, InferencePrecision::kModel);
    ranking.emplace_back(candidates[i], normalized_output_error(outputs, reference));
    if (status) status(str_cat("ranking layers ", i + 1, "/", candidates.size()));
  }
  std::stable_sort(ranking.begin(), ranking.end(),
                   [](const auto& a, const auto& b) { return a.second < b.second; });
  return ranking;
}

}  // namespace

AccuracyControlResult control_accuracy(Graph& quantized, const Graph& fp32,
                                       const std::vector<std::string>& layers, const dataset::Dataset& data,
                                       const AccuracyControlOptions& options, int num_threads,
                                       const StatusCallback& status) {
  OCTET_CHECK(options.max_drop >= 0, ErrorCode::kInvalidArgument, "accuracy control needs --max-drop >= 0");
  OCTET_CHECK(data.size() > 0, ErrorCode::kInvalidArgument, "accuracy control needs evaluation samples");
  MetricEvaluator evaluator(data, num_threads);
  AccuracyControlResult result;
  result.fp32 = evaluator.evaluate_fp32(fp32).metric;
  result.metric = evaluator.metric_name();
  result.count = evaluator.count();
  result.allowed_drop = options.relative ? options.max_drop * result.fp32 : options.max_drop;
  double current = evaluator.evaluate(quantized).metric;
  result.initial = current;
  if (status) status(str_cat(result.metric, ": fp32 ", result.fp32, ", int8 ", current));

  const size_t subset = std::min(options.ranking_subset, data.size());
  const auto reference = first_outputs(fp32, data, subset, num_threads, InferencePrecision::kF32);
  std::vector<std::string> candidates = layers;
  std::vector<std::pair<std::string, double>> ranking;
  // A tiny tolerance so that float noise in the metric does not force one revert too many.
  const auto within_limit = [&](double metric) {
    return result.fp32 - metric <= result.allowed_drop + 1e-12;
  };
  while (!within_limit(current) && !candidates.empty() &&
         (options.max_reverted == 0 || result.reverted.size() < options.max_reverted)) {
    // A revert also makes the precision-preserving ops that only led to it fp32 (insert_fake_quantize.h),
    // so a candidate may have nothing left to revert.
    std::erase_if(candidates, [&](const std::string& name) { return !reads_fake_quantize(quantized, name); });
    std::erase_if(ranking, [&](const auto& entry) { return !reads_fake_quantize(quantized, entry.first); });
    if (candidates.empty()) break;
    if (ranking.empty()) {
      ranking = rank_layers(quantized, fp32, candidates, data, subset, reference, num_threads, status);
      if (result.sensitivity.empty()) result.sensitivity = ranking;
    }
    const auto [node, error] = ranking.front();
    ranking.erase(ranking.begin());
    candidates.erase(std::find(candidates.begin(), candidates.end(), node));
    revert(quantized, fp32, node);
    const double after = evaluator.evaluate(quantized).metric;
    result.reverted.push_back({node, error, after});
    if (status) status(str_cat("reverted ", node, " to fp32: ", result.metric, " ", after));
    // No gain: the ranking was made for a model that no longer exists; rank again.
    if (after <= current) ranking.clear();
    current = after;
  }
  result.final = current;
  result.met = within_limit(current);
  return result;
}

}  // namespace octet::quantization
