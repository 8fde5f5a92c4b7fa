#include "passes/lpt/remove_redundant_qdq.h"

#include <optional>
#include <string>
#include <vector>

#include "ops/op_registry.h"
#include "passes/lpt/qdq_utils.h"

namespace octet {

namespace {

// DequantizeLinear / FakeQuantize of constants that no QOperator node took (weights of units left in fp32)
// become f32 constants: computed once here instead of at every inference.
size_t fold_constant_quantization(Graph& graph, PassContext& context) {
  size_t folded = 0;
  for (Node* node : graph.topological_order()) {
    if (node->op_type() != "DequantizeLinear" && node->op_type() != "FakeQuantize") continue;
    std::vector<const Tensor*> args;
    bool constant = true;
    for (const Value* in : node->inputs()) {
      constant = constant && (!in || in->is_constant());
      args.push_back(in && in->is_constant() ? &in->constant() : nullptr);
    }
    if (!constant || graph.is_graph_output(node->output(0))) continue;
    std::vector<Tensor> result =
        with_node_context(*node, [&] { return OpRegistry::instance().get(*node).evaluate(*node, args); });
    Value* out = node->output(0);
    const std::string name = out->name();
    Value* value = graph.add_constant(graph.unique_name(name + "_f32"), std::move(result.at(0)));
    graph.replace_all_uses(out, value);
    const std::string node_name = node->name();
    graph.remove_node(node);
    context.note_absorbed(node_name, "");
    graph.rename_value(value, name);
    ++folded;
  }
  return folded;
}

}  // namespace

size_t remove_redundant_qdq(Graph& graph, PassContext& context) {
  size_t removed = 0;
  for (Node* q : graph.topological_order()) {
    if (q->op_type() != "QuantizeLinear") continue;
    Node* dq = lpt::dequantize_producer(q->input(0));
    if (!dq) continue;
    const std::optional<lpt::QuantParams> q_params = lpt::qdq_params(*q);
    const std::optional<lpt::QuantParams> dq_params = lpt::qdq_params(*dq);
    if (!q_params || !dq_params || !lpt::same_params(*q_params, *dq_params)) continue;
    if (dq->input(0)->type() != q_params->type || graph.is_graph_output(q->output(0))) continue;
    const std::string name = q->name();
    graph.replace_all_uses(q->output(0), dq->input(0));
    graph.remove_node(q);
    context.note_absorbed(name, "");
    ++removed;
  }
  removed += fold_constant_quantization(graph, context);
  graph.remove_unused();
  return removed;
}

}  // namespace octet
