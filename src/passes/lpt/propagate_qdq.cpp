#include "passes/lpt/propagate_qdq.h"

#include <optional>
#include <set>
#include <string_view>

#include "passes/lpt/qdq_utils.h"

namespace octet {
namespace {

using lpt::QuantParams;

// Every use of `value` is a QuantizeLinear with parameters `p`.
bool already_quantized(const Value* value, const QuantParams& p) {
  for (const Use& use : value->uses()) {
    if (use.node->op_type() != "QuantizeLinear" || use.input_index != 0) return false;
    const std::optional<QuantParams> q = lpt::qdq_params(*use.node);
    if (!q || !lpt::same_params(*q, p)) return false;
  }
  return true;
}

// Every use of `value` is a QuantizeLinear (with any parameters).
bool all_quantized(const Value* value) {
  for (const Use& use : value->uses())
    if (use.node->op_type() != "QuantizeLinear" || use.input_index != 0) return false;
  return true;
}

// The quantization of every data input of `node` when they all agree (Concat: every input; others: input 0).
std::optional<QuantParams> input_params(const Node& node) {
  std::optional<QuantParams> p = lpt::activation_dq_params(node.input(0));
  if (!p || node.op_type() != "Concat") return p;
  for (const Value* in : node.inputs()) {
    const std::optional<QuantParams> other = lpt::activation_dq_params(in);
    if (!other || !lpt::same_params(*p, *other)) return std::nullopt;
  }
  return p;
}

}  // namespace

bool is_precision_preserving(const Node& node) {
  static const std::set<std::string_view> kOps = {"MaxPool", "Reshape",   "Flatten", "Transpose",
                                                  "Squeeze", "Unsqueeze", "Split",   "Slice"};
  const std::string& type = node.op_type();
  if (kOps.contains(type)) return type != "MaxPool" || node.output_count() == 1;
  if (type == "Resize") return node.attribute_or<std::string>("mode", "nearest") == "nearest";
  if (type == "Pad") {
    // A constant pad value of 0 is on every grid (the zero point); edge and reflect copy values.
    if (node.attribute_or<std::string>("mode", "constant") != "constant") return true;
    const std::optional<float> value = scalar_constant(node.input(2));
    return !node.has_input(2) || (value && *value == 0.0f);
  }
  return false;
}

size_t propagate_qdq(Graph& graph, PassContext& context) {
  size_t propagated = 0;
  for (Node* node : graph.topological_order()) {
    if (!is_precision_preserving(*node) && node->op_type() != "Concat") continue;
    const std::optional<QuantParams> p = input_params(*node);
    if (!p) continue;
    bool changed = false;
    for (Value* out : node->outputs()) {
      if (out->uses().empty() || graph.is_graph_output(out) || already_quantized(out, *p)) continue;
      // A Concat quantized afterwards becomes QLinearConcat, which requantizes in the same step.
      if (node->op_type() == "Concat" && all_quantized(out)) continue;
      const std::vector<Use> uses = out->uses();
      Value* q = lpt::add_quantize(graph, context, out, *p, node->name() + "/q");
      Value* dq = lpt::add_dequantize(graph, context, q, *p, node->name() + "/dq");
      for (const Use& use : uses) graph.set_input(use.node, use.input_index, dq);
      changed = true;
    }
    propagated += changed;
  }
  return propagated;
}

}  // namespace octet
