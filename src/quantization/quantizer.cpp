#include "quantization/quantizer.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "graph/graph_clone.h"
#include "octet/error.h"
#include "ops/shape_inference.h"
#include "passes/generic/fold_batchnorm_into_conv.h"
#include "passes/generic/fold_scale_shift_into_conv.h"
#include "passes/generic/fuse_matmul_add_into_gemm.h"
#include "passes/generic/remove_identity_ops.h"
#include "quantization/bias_correction.h"
#include "quantization/cross_layer_equalization.h"
#include "quantization/graph_runner.h"
#include "quantization/insert_fake_quantize.h"
#include "quantization/weight_quantization.h"

namespace octet::quantization {
namespace {

// The model inputs fed by the dataset, with their dims taken from the first sample (batch 1, image size).
void bind_inputs(Graph& graph, const dataset::Dataset& data) {
  OCTET_CHECK(data.size() > 0, ErrorCode::kInvalidArgument, "the calibration data ", data.source(),
              " has no sample");
  const std::map<std::string, Tensor> first = data.load_inputs(0, graph.inputs());
  for (Value* input : graph.inputs()) input->set_shape(Shape(first.at(input->name()).dims()));
  infer_shapes(graph);
}

// What OpenVINO's model conversion does before quantization: batch norms and per-channel scale/shift folded
// into the convolutions, MatMul + Add as Gemm, identities gone, so that the FakeQuantize on a layer's output
// sits where the int8 kernel's requantization will be. (Constant folding is left out: with the input's
// static dims it would freeze shape subgraphs, and the written model keeps the user's dynamic dims.)
void prepare_for_quantization(Graph& graph) {
  PassContext context;
  context.dump_folder.clear();
  remove_identity_ops(graph, context);
  fold_batchnorm_into_conv(graph, context);
  fold_scale_shift_into_conv(graph, context);
  fuse_matmul_add_into_gemm(graph, context);
  graph.remove_unused();
  infer_shapes(graph);
}

bool has_depthwise_convolution(const Graph& graph) {
  for (const Node* node : graph.nodes()) {
    if (node->op_type() != "Conv" || !node->has_input(1)) continue;
    const int64_t group = node->attribute_or<int64_t>("group", 1);
    const Shape& w = node->input(1)->shape();
    if (group > 1 && w.rank_known() && w.rank() >= 2 && w.dims()[1] == 1) return true;
  }
  return false;
}

// Tensors to observe: every activation target (for its range) and the direct input of every layer with
// quantized weights (for bias correction's per-channel means).
std::vector<ObservedTensor> observed_tensors(const Graph& graph, const QuantizationPlan& plan,
                                             bool bias_correction) {
  std::map<std::string, bool> observed;
  for (const ActivationTarget& target : plan.activations) observed[target.tensor] = false;
  if (bias_correction) {
    for (const WeightTarget& weight : plan.weights) {
      const Node* node = graph.find_node(weight.node);
      if (node && node->has_input(0) && node->input(0)->type() == ElementType::kF32)
        observed[node->input(0)->name()] = true;
    }
  }
  std::vector<ObservedTensor> result;
  for (const auto& [name, channel_mean] : observed) result.push_back({name, channel_mean});
  return result;
}

RangeOptions range_options(const QuantizeOptions& options) {
  RangeOptions range;
  range.estimator = options.activation_estimator;
  range.percentile = options.percentile;
  range.symmetric = options.preset == Preset::kPerformance;
  range.levels = 256;
  return range;
}

// The quantized layers, in plan order: nodes with quantized weights and the other consumers of quantized
// activations (Add, Concat, pooling).
std::vector<std::string> quantized_layers(const QuantizationPlan& plan) {
  std::vector<std::string> layers;
  std::set<std::string> seen;
  const auto add = [&](const std::string& node) {
    if (seen.insert(node).second) layers.push_back(node);
  };
  for (const WeightTarget& weight : plan.weights) add(weight.node);
  for (const ActivationTarget& target : plan.activations) {
    for (const std::string& consumer : target.consumers) add(consumer);
  }
  return layers;
}

}  // namespace

QuantizationResult quantize_model(const Graph& model, const dataset::Dataset& calibration,
                                  const dataset::Dataset& evaluation, const QuantizeOptions& options,
                                  const QuantizeCallbacks& callbacks) {
  const auto status = [&](const std::string& line) {
    if (callbacks.status) callbacks.status(line);
  };
  QuantizationResult result{clone_graph(model), {}};
  QuantizationReport& report = result.report;
  Graph& graph = result.graph;
  std::vector<Shape> original_input_shapes;
  for (const Value* input : graph.inputs()) original_input_shapes.push_back(input->shape());
  bind_inputs(graph, calibration);
  prepare_for_quantization(graph);

  const bool equalize = options.equalization == Switch::kOn ||
                        (options.equalization == Switch::kAuto && has_depthwise_convolution(graph));
  if (equalize) {
    report.equalized_pairs = equalize_cross_layer(graph);
    status(str_cat("cross-layer equalization: ", report.equalized_pairs, " convolution pairs"));
  }
  // The fp32 model that accuracy control and the latency comparison start from (equalized: same function).
  const Graph fp32 = clone_graph(graph);

  const QuantizationPlan plan = plan_quantization(graph, options.ignored);
  // Checked before calibration: an int8 model identical to the fp32 one is never what the user wanted.
  OCTET_CHECK(
      !plan.activations.empty() || !plan.weights.empty(), ErrorCode::kInvalidArgument,
      "the model has no layer to quantize: none of its nodes runs in int8 (Conv, MatMul/Gemm and the "
      "layers around them, docs/int8.md)",
      options.ignored.names.empty() && options.ignored.patterns.empty() && options.ignored.types.empty()
          ? ""
          : ", or the ignored scope covers all of them");
  report.weights = plan.weights;
  const std::vector<ObservedTensor> observed = observed_tensors(graph, plan, options.bias_correction);
  const SampleSource samples = [&](size_t index) { return calibration.load_inputs(index, graph.inputs()); };
  const auto start = std::chrono::steady_clock::now();
  const std::map<std::string, TensorStatistics> statistics = collect_statistics(
      graph, observed, calibration.size(), samples, options.num_threads, callbacks.calibration_progress);
  report.calibration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.calibration_samples = calibration.size();

  std::map<std::string, QuantizationRange> ranges;
  const RangeOptions range = range_options(options);
  for (const ActivationTarget& target : plan.activations) {
    const TensorStatistics& stats = statistics.at(target.tensor);
    ranges[target.tensor] = estimate_range(stats, range);
    report.activations.push_back(
        {target.tensor, target.consumers, stats.min(), stats.max(), ranges[target.tensor], false});
  }
  WeightOptions weights;
  weights.saturation_safe =
      options.saturation_safe_weights == Switch::kOn ||
      (options.saturation_safe_weights == Switch::kAuto && cpu_needs_saturation_safe_weights());
  report.saturation_safe_weights = weights.saturation_safe;
  insert_fake_quantize(graph, plan, ranges, weights);
  if (options.bias_correction) {
    std::map<std::string, std::vector<double>> means;
    for (const auto& [name, stats] : statistics) {
      if (stats.has_channel_means()) means[name] = stats.channel_means();
    }
    report.corrected_biases = correct_biases(graph, means);
    status(str_cat("bias correction: ", report.corrected_biases, " layers"));
  }

  const std::vector<std::string> layers = quantized_layers(plan);
  if (options.accuracy.max_drop >= 0) {
    report.accuracy_controlled = true;
    report.accuracy = control_accuracy(graph, fp32, layers, evaluation, options.accuracy, options.num_threads,
                                       callbacks.status);
  }
  // What the written graph does, not only what accuracy control chose: a revert also makes the pooling or
  // reshape that only led to the reverted layer fp32 (revert_layer_to_fp32).
  std::map<std::string, double> sensitivity(report.accuracy.sensitivity.begin(),
                                            report.accuracy.sensitivity.end());
  for (const std::string& name : layers) {
    const Node* node = fp32.find_node(name);
    const auto it = sensitivity.find(name);
    report.layers.push_back({name, node ? node->op_type() : "", reads_fake_quantize(graph, name),
                             it == sensitivity.end() ? -1.0 : it->second});
  }
  for (ActivationReport& activation : report.activations) {
    activation.reverted =
        std::none_of(activation.consumers.begin(), activation.consumers.end(),
                     [&](const std::string& consumer) { return reads_fake_quantize(graph, consumer); });
  }
  // The written model keeps the input dims the user's model had (a dynamic batch stays dynamic).
  for (size_t i = 0; i < original_input_shapes.size(); ++i)
    graph.inputs()[i]->set_shape(original_input_shapes[i]);
  infer_shapes(graph);
  return result;
}

void measure_latency(const Graph& fp32, QuantizationResult& result, const dataset::Dataset& data,
                     int num_threads, int rounds) {
  Graph model = clone_graph(fp32);
  bind_inputs(model, data);
  const auto [fp32_ms, int8_ms] = median_latencies_ms(model, InferencePrecision::kF32, result.graph,
                                                      InferencePrecision::kModel, data, num_threads, rounds);
  result.report.fp32_latency_ms = fp32_ms;
  result.report.int8_latency_ms = int8_ms;
}

}  // namespace octet::quantization
