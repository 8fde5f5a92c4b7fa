#include "passes/lpt/quantize_gathered_table.h"

#include <optional>
#include <string>
#include <vector>

#include "ops/op_registry.h"
#include "ops/shape_inference.h"
#include "passes/lpt/qdq_utils.h"

namespace octet {

size_t quantize_gathered_table(Graph& graph, PassContext& context) {
  // The lookups first: the loop removes QuantizeLinear nodes that a walk over every node would visit later.
  std::vector<Node*> gathers;
  for (Node* node : graph.topological_order())
    if (node->op_type() == "Gather") gathers.push_back(node);
  size_t moved = 0;
  for (Node* gather : gathers) {
    const Value* table = gather->input(0);
    const Value* indices = gather->input(1);
    if (!table || !indices || !table->is_constant() || table->type() != ElementType::kF32 ||
        indices->is_constant() || graph.is_graph_output(gather->output(0)))
      continue;
    Node* quantize = lpt::sole_quantize_consumer(graph, gather->output(0));
    if (!quantize || graph.is_graph_output(quantize->output(0))) continue;
    const std::optional<lpt::QuantParams> p = lpt::qdq_params(*quantize);
    if (!p || !p->per_tensor()) continue;
    // The table quantized by the QuantizeLinear node's own definition (its scale and zero point are
    // constants).
    std::vector<const Tensor*> args = {&table->constant()};
    for (size_t i = 1; i < quantize->inputs().size(); ++i) {
      const Value* in = quantize->input(i);
      args.push_back(in ? &in->constant() : nullptr);
    }
    std::vector<Tensor> quantized = with_node_context(
        *quantize, [&] { return OpRegistry::instance().get(*quantize).evaluate(*quantize, args); });
    Value* table_q =
        graph.add_constant(graph.unique_name(table->name() + "_quantized"), std::move(quantized.at(0)));
    graph.set_input(gather, 0, table_q);
    const std::string quantize_name = quantize->name();
    graph.replace_all_uses(quantize->output(0), gather->output(0));
    graph.remove_node(quantize);
    context.note_absorbed(quantize_name, gather->name());
    ++moved;
  }
  if (moved > 0) {
    graph.remove_unused();
    infer_shapes(graph);  // the lookups' outputs are integer tensors now
  }
  return moved;
}

}  // namespace octet
