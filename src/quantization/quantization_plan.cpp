#include "quantization/quantization_plan.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>

#include "graph/constant_values.h"
#include "passes/lpt/propagate_qdq.h"

namespace octet::quantization {
namespace {

bool is_f32_activation(const Value* value) {
  return value && !value->is_constant() && value->type() == ElementType::kF32;
}

// How an int8 op's own output is quantized.
enum class OutputQuantization {
  kRequired,      // the op has no f32-output form (QLinearMatMul, QLinearAdd...): no int8 without it
  kWhenPossible,  // quantized when every reader may read it quantized, else the f32 form (QLinearConv)
  kNever,         // f32 (a fully connected QGemm); its readers quantize it if they take int8 inputs
};

// What the low-precision passes need to turn `node` into an int8 op.
struct Quantizable {
  std::vector<size_t> activation_inputs;
  std::optional<WeightTarget> weight;
  OutputQuantization output = OutputQuantization::kRequired;
};

// ReduceMean over every spatial axis with keepdims: the passes treat it as GlobalAveragePool.
bool is_spatial_mean(const Node& node) {
  const Shape& x = node.input(0)->shape();
  if (!x.rank_known() || x.rank() < 3 || node.attribute_or<int64_t>("keepdims", 1) != 1) return false;
  const Value* axes = node.input(1);
  if (!axes || !axes->is_constant()) return false;
  std::vector<int64_t> list = axes->constant().to_int64_vector();
  const auto rank = static_cast<int64_t>(x.rank());
  for (int64_t& a : list) a = a < 0 ? a + rank : a;
  std::sort(list.begin(), list.end());
  std::vector<int64_t> spatial;
  for (int64_t a = 2; a < rank; ++a) spatial.push_back(a);
  return list == spatial;
}

std::optional<Quantizable> classify(const Node& node) {
  const std::string& type = node.op_type();
  if (node.output_count() != 1 || !is_f32_activation(node.input(0))) return std::nullopt;
  if (type == "Conv") {
    if (!is_f32_constant(node.input(1)) || node.input(1)->constant().rank() < 3) return std::nullopt;
    return Quantizable{{0}, WeightTarget{node.name(), 1, 0}, OutputQuantization::kWhenPossible};
  }
  if (type == "Gemm") {
    if (!is_f32_constant(node.input(1)) || node.input(1)->constant().rank() != 2) return std::nullopt;
    const int axis = node.attribute_or<int64_t>("transB", 0) != 0 ? 0 : 1;
    return Quantizable{{0}, WeightTarget{node.name(), 1, axis}, OutputQuantization::kNever};
  }
  if (type == "MatMul") {
    const Value* b = node.input(1);
    if (is_f32_activation(b)) return Quantizable{{0, 1}, std::nullopt, OutputQuantization::kRequired};
    if (!is_f32_constant(b) || b->constant().rank() != 2) return std::nullopt;
    // 2-d activations by constant weights become QGemm (f32 output allowed); batched ones QLinearMatMul.
    const Shape& a = node.input(0)->shape();
    const bool fully_connected = a.rank_known() && a.rank() == 2;
    return Quantizable{{0},
                       WeightTarget{node.name(), 1, 1},
                       fully_connected ? OutputQuantization::kNever : OutputQuantization::kRequired};
  }
  if (type == "Add" || type == "Mul") {
    if (node.input_count() != 2 || !is_f32_activation(node.input(1))) return std::nullopt;
    return Quantizable{{0, 1}, std::nullopt, OutputQuantization::kRequired};
  }
  if (type == "Concat") {
    Quantizable q;
    for (size_t i = 0; i < node.input_count(); ++i) {
      if (!is_f32_activation(node.input(i))) return std::nullopt;
      q.activation_inputs.push_back(i);
    }
    return q;
  }
  if (type == "AveragePool") {
    for (int64_t d : node.attribute_or<std::vector<int64_t>>("dilations", {}))
      if (d != 1) return std::nullopt;
    return Quantizable{{0}, std::nullopt, OutputQuantization::kRequired};
  }
  if (type == "GlobalAveragePool" || (type == "ReduceMean" && is_spatial_mean(node)))
    return Quantizable{{0}, std::nullopt, OutputQuantization::kRequired};
  return std::nullopt;
}

// Ops the passes run on the quantized tensor (docs/int8.md), and Identity, which the pipeline removes
// before them: a FakeQuantize after such an op is the same as one before it.
bool moves_values_only(const Node& node) {
  return is_precision_preserving(node) || (node.op_type() == "Identity" && node.output_count() == 1);
}

bool is_foldable_activation(const Node& node) {
  if (node.op_type() == "Relu") return node.input_count() == 1;
  if (node.op_type() != "Clip") return false;
  for (size_t i = 1; i <= 2; ++i)
    if (node.has_input(i) && !scalar_constant(node.input(i))) return false;
  return true;
}

// A per-channel (or scalar) f32 constant added to a convolution's output: the passes merge it into the bias.
bool is_bias_add(const Node& add, const Value* conv_output) {
  if (add.op_type() != "Add" || add.input_count() != 2) return false;
  const Value* other = add.input(0) == conv_output ? add.input(1) : add.input(0);
  return other != conv_output && is_f32_constant(other);
}

// The tensor whose quantization makes `node` an int8 op: its output, past a bias Add (Conv) and a Relu /
// Clip the passes fold into the QuantizeLinear, as long as each step is the only reader.
Value* quantized_output(const Graph& graph, const Node& node) {
  Value* value = node.output(0);
  bool bias_seen = node.op_type() != "Conv";
  while (!graph.is_graph_output(value) && value->uses().size() == 1) {
    const Node& user = *value->uses()[0].node;
    if (!bias_seen && is_bias_add(user, value)) {
      bias_seen = true;
      value = user.output(0);
      continue;
    }
    if (is_foldable_activation(user) && value->uses()[0].input_index == 0) value = user.output(0);
    break;
  }
  return value;
}

bool non_negative(const Value* value, int depth = 0) {
  const Node* p = value->producer();
  if (!p || depth > 32) return false;
  const std::string& type = p->op_type();
  if (type == "Relu" || type == "Sigmoid") return true;
  if (type == "Clip") {
    const std::optional<float> low = scalar_constant(p->input(1));
    return low && *low >= 0.0f;
  }
  if (type == "Concat" || type == "Add" || type == "Mul") {
    for (const Value* in : p->inputs())
      if (!in || !non_negative(in, depth + 1)) return false;
    return !p->inputs().empty();
  }
  if (moves_values_only(*p) || type == "AveragePool" || type == "GlobalAveragePool" || type == "ReduceMean" ||
      type == "ReduceMax")
    return non_negative(p->input(0), depth + 1);
  return false;
}

std::regex compile_pattern(const std::string& pattern) {
  try {
    return std::regex(pattern);
  } catch (const std::regex_error& e) {
    fail(ErrorCode::kInvalidArgument, "ignored scope: invalid regular expression '", pattern,
         "': ", e.what());
  }
}

class Planner {
 public:
  Planner(const Graph& graph, const IgnoredScope& ignored) : graph_(graph), ignored_(ignored) {
    for (const std::string& pattern : ignored.patterns) patterns_.push_back(compile_pattern(pattern));
    order_ = graph.topological_order();
    for (size_t i = 0; i < order_.size(); ++i) position_[order_[i]] = static_cast<int64_t>(i);
  }

  QuantizationPlan plan() {
    QuantizationPlan plan;
    for (const Node* node : order_) {
      if (ignored(*node)) continue;
      const std::optional<Quantizable> q = classify(*node);
      if (!q) continue;
      Value* output = nullptr;
      if (q->output != OutputQuantization::kNever) {
        output = quantized_output(graph_, *node);
        if (!output_quantizable(output)) {
          if (q->output == OutputQuantization::kRequired) continue;  // it would run in fp32 anyway
          output = nullptr;
        }
      }
      for (size_t i : q->activation_inputs) add_input_target(*node, i);
      if (output)
        for (const Use& use : output->uses()) targets_[output].insert(use.node);
      if (q->weight) plan.weights.push_back(*q->weight);
    }
    std::vector<std::pair<const Value*, std::set<const Node*>>> sorted(targets_.begin(), targets_.end());
    std::stable_sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
      const int64_t ra = rank(a.first), rb = rank(b.first);
      return ra != rb ? ra < rb : a.first->name() < b.first->name();
    });
    for (const auto& [value, consumers] : sorted) {
      std::vector<const Node*> nodes(consumers.begin(), consumers.end());
      std::sort(nodes.begin(), nodes.end(),
                [&](const Node* a, const Node* b) { return position_.at(a) < position_.at(b); });
      ActivationTarget target{value->name(), {}, non_negative(value)};
      for (const Node* n : nodes) target.consumers.push_back(n->name());
      plan.activations.push_back(std::move(target));
    }
    return plan;
  }

 private:
  bool ignored(const Node& node) const {
    if (std::find(ignored_.names.begin(), ignored_.names.end(), node.name()) != ignored_.names.end() ||
        std::find(ignored_.types.begin(), ignored_.types.end(), node.op_type()) != ignored_.types.end())
      return true;
    return std::any_of(patterns_.begin(), patterns_.end(),
                       [&](const std::regex& r) { return std::regex_match(node.name(), r); });
  }

  // Every reader of the tensor may read it quantized: none is ignored and it is not a graph output, also
  // behind precision-preserving ops (which the passes run on the quantized tensor).
  bool output_quantizable(const Value* value, int depth = 0) const {
    if (graph_.is_graph_output(value) || depth > 64) return false;
    return std::all_of(value->uses().begin(), value->uses().end(), [&](const Use& use) {
      const Node& reader = *use.node;
      if (ignored(reader)) return false;
      if (!moves_values_only(reader) || use.input_index != 0) return true;
      return std::all_of(reader.outputs().begin(), reader.outputs().end(),
                         [&](const Value* out) { return output_quantizable(out, depth + 1); });
    });
  }

  // Input `index` of `node`, the FakeQuantize moved above precision-preserving producers.
  void add_input_target(const Node& node, size_t index) {
    const Node* consumer = &node;
    Value* value = node.input(index);
    while (const Node* p = value->producer()) {
      if (p->output_count() != 1 || ignored(*p) || !moves_values_only(*p) ||
          !is_f32_activation(p->input(0)) || !output_quantizable(p->output(0)))
        break;
      consumer = p;
      value = p->input(0);
    }
    targets_[value].insert(consumer);
  }

  // Graph inputs first (in input order), then values in the topological order of their producers.
  int64_t rank(const Value* value) const {
    if (const Node* p = value->producer()) return position_.at(p);
    const auto& inputs = graph_.inputs();
    return static_cast<int64_t>(std::find(inputs.begin(), inputs.end(), value) - inputs.begin()) -
           static_cast<int64_t>(inputs.size()) - 1;
  }

  const Graph& graph_;
  const IgnoredScope& ignored_;
  std::vector<std::regex> patterns_;
  std::vector<Node*> order_;
  std::unordered_map<const Node*, int64_t> position_;
  std::map<const Value*, std::set<const Node*>> targets_;
};

}  // namespace

bool is_ignored(const Node& node, const IgnoredScope& ignored) {
  if (std::find(ignored.names.begin(), ignored.names.end(), node.name()) != ignored.names.end() ||
      std::find(ignored.types.begin(), ignored.types.end(), node.op_type()) != ignored.types.end())
    return true;
  return std::any_of(ignored.patterns.begin(), ignored.patterns.end(), [&](const std::string& pattern) {
    return std::regex_match(node.name(), compile_pattern(pattern));
  });
}

QuantizationPlan plan_quantization(const Graph& graph, const IgnoredScope& ignored) {
  return Planner(graph, ignored).plan();
}

}  // namespace octet::quantization
