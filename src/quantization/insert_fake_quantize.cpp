#include "quantization/insert_fake_quantize.h"

#include <algorithm>
#include <cmath>

#include "ops/shape_inference.h"
#include "passes/lpt/propagate_qdq.h"

namespace octet::quantization {
namespace {

// The range as the passes need it: contains 0, zero exactly on the grid, not empty.
QuantizationRange usable_range(const std::string& tensor, QuantizationRange range) {
  OCTET_CHECK(std::isfinite(range.low) && std::isfinite(range.high) && range.low <= range.high,
              ErrorCode::kInvalidArgument, "range of tensor '", tensor, "' is [", range.low, ", ", range.high,
              "], not a finite interval");
  OCTET_CHECK(range.levels >= 2, ErrorCode::kInvalidArgument, "range of tensor '", tensor, "' has ",
              range.levels, " levels");
  range.low = std::min(range.low, 0.0f);
  range.high = std::max(range.high, 0.0f);
  if (range.high == range.low) {
    // Only zeros were seen: any grid holds them; one of unit width keeps a few levels for other inputs.
    range.high = 1.0f;
    return range;
  }
  const float steps = static_cast<float>(range.levels - 1);
  const float scale = (range.high - range.low) / steps;
  const double zero_point = -static_cast<double>(range.low) / scale;
  if (std::abs(zero_point - std::round(zero_point)) > 0.01) {
    range.low = -static_cast<float>(std::round(zero_point)) * scale;
    range.high = range.low + steps * scale;
  }
  return range;
}

Value* scalar(Graph& graph, const std::string& name, float value) {
  return graph.add_constant(graph.unique_name(name), Tensor::scalar(value));
}

Node* add_fake_quantize(Graph& graph, const std::string& name, Value* x, Value* low, Value* high,
                        int64_t levels) {
  Node* fq = graph.add_node("FakeQuantize", graph.unique_name(name), {x, low, high, low, high},
                            {graph.unique_name(name)}, {{"levels", levels}});
  infer_node(*fq);
  return fq;
}

void quantize_activation(Graph& graph, const ActivationTarget& target,
                         const std::map<std::string, QuantizationRange>& ranges) {
  Value* value = graph.find_value(target.tensor);
  OCTET_CHECK(value, ErrorCode::kInvalidArgument, "quantization plan: no tensor '", target.tensor,
              "' in the graph");
  const auto it = ranges.find(target.tensor);
  OCTET_CHECK(it != ranges.end(), ErrorCode::kInvalidArgument, "no calibrated range for tensor '",
              target.tensor, "'");
  const QuantizationRange range = usable_range(target.tensor, it->second);
  // Collected before the FakeQuantize adds its own use.
  std::vector<Use> uses;
  if (target.consumers.empty()) {
    uses = value->uses();
  } else {
    for (const std::string& name : target.consumers) {
      Node* consumer = graph.find_node(name);
      OCTET_CHECK(consumer, ErrorCode::kInvalidArgument, "quantization plan: no node '", name,
                  "' (a consumer of '", target.tensor, "') in the graph");
      for (size_t i = 0; i < consumer->input_count(); ++i)
        if (consumer->input(i) == value) uses.push_back({consumer, i});
    }
  }
  if (uses.empty()) return;
  const std::string base = target.tensor + "/fq";
  Node* fq = add_fake_quantize(graph, base, value, scalar(graph, base + "/low", range.low),
                               scalar(graph, base + "/high", range.high), range.levels);
  for (const Use& use : uses) graph.set_input(use.node, use.input_index, fq->output(0));
}

// One input channel per group: the runtime's own depthwise kernel is exact for any int8 weights.
bool is_depthwise(const Node& node) {
  if (node.op_type() != "Conv" || !node.input(1) || !node.input(1)->shape().rank_known()) return false;
  const int64_t group = node.attribute_or<int64_t>("group", 1);
  const Shape& w = node.input(1)->shape();
  return group > 1 && w.rank() >= 2 && w[1] == 1;
}

void quantize_weight(Graph& graph, const WeightTarget& target, const WeightOptions& options) {
  Node* node = graph.find_node(target.node);
  OCTET_CHECK(node, ErrorCode::kInvalidArgument, "quantization plan: no node '", target.node,
              "' in the graph");
  Value* w = node->input(target.input);
  OCTET_CHECK(w && w->is_constant(), ErrorCode::kUnsupported, node->label(), ": input ", target.input,
              " is not a constant, so it cannot be quantized as weights");
  WeightOptions layer_options = options;
  if (is_depthwise(*node)) layer_options.saturation_safe = false;
  const WeightLimits limits = symmetric_weight_limits(w->constant(), target.axis, layer_options);
  const std::string base = node->name() + "/weights/fq";
  Node* fq =
      add_fake_quantize(graph, base, w, graph.add_constant(graph.unique_name(base + "/low"), limits.low),
                        graph.add_constant(graph.unique_name(base + "/high"), limits.high), limits.levels);
  graph.set_input(node, target.input, fq->output(0));
}

}  // namespace

void insert_fake_quantize(Graph& graph, const QuantizationPlan& plan,
                          const std::map<std::string, QuantizationRange>& activation_ranges,
                          const WeightOptions& weights) {
  for (const ActivationTarget& target : plan.activations)
    quantize_activation(graph, target, activation_ranges);
  for (const WeightTarget& target : plan.weights) quantize_weight(graph, target, weights);
}

namespace {

// The FakeQuantize a layer input reads, possibly through precision-preserving ops the plan put it above
// (quantization_plan.h), with those ops from the layer up; fq is null when the input is not quantized.
struct QuantizedInput {
  Node* fq = nullptr;
  std::vector<Node*> chain;
};

QuantizedInput quantized_input(Value* in) {
  QuantizedInput found;
  Node* p = in ? in->producer() : nullptr;
  while (p && p->op_type() != "FakeQuantize" && p->output_count() == 1 && p->input(0) &&
         (is_precision_preserving(*p) || p->op_type() == "Identity")) {
    found.chain.push_back(p);
    p = p->input(0)->producer();
  }
  if (p && p->op_type() == "FakeQuantize") found.fq = p;
  return found;
}

}  // namespace

bool reads_fake_quantize(const Graph& graph, const std::string& name) {
  const Node* node = graph.find_node(name);
  if (!node) return false;
  for (size_t i = 0; i < node->input_count(); ++i) {
    if (quantized_input(node->input(i)).fq) return true;
  }
  return false;
}

void revert_layer_to_fp32(Graph& graph, const std::string& name) {
  Node* node = graph.find_node(name);
  OCTET_CHECK(node, ErrorCode::kInvalidArgument, "cannot revert '", name, "' to fp32: no such node");
  for (size_t i = 0; i < node->input_count(); ++i) {
    const QuantizedInput found = quantized_input(node->input(i));
    if (!found.fq) continue;
    Node* fq = found.fq;
    // Ops between the FakeQuantize and the layer that only lead to this layer become fp32 in place (they
    // keep their names, so they can still be reverted or reported); from the first one that also feeds other
    // readers up, which keep the quantized tensor, the layer gets its own fp32 copies.
    size_t exclusive = 0;
    while (exclusive < found.chain.size() && found.chain[exclusive]->output(0)->uses().size() == 1 &&
           !graph.is_graph_output(found.chain[exclusive]->output(0)))
      ++exclusive;
    Value* value = fq->input(0);
    for (size_t k = found.chain.size(); k > exclusive; --k) {
      Node* shared = found.chain[k - 1];
      std::vector<Value*> inputs = shared->inputs();
      inputs[0] = value;
      const std::string copy = graph.unique_name(shared->name() + "/fp32");
      Node* clone =
          graph.add_node(shared->op_type(), copy, inputs, {graph.unique_name(copy)}, shared->attributes());
      infer_node(*clone);
      value = clone->output(0);
    }
    if (exclusive == 0) {
      graph.set_input(node, i, value);
    } else {
      graph.set_input(found.chain[exclusive - 1], 0, value);
    }
    if (fq->output(0)->uses().empty() && !graph.is_graph_output(fq->output(0))) graph.remove_node(fq);
  }
  graph.remove_unused();  // the limit constants of removed FakeQuantizes, ops no longer read
}

}  // namespace octet::quantization
