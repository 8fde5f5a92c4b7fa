#include "ops/shape_inference.h"

#include "octet/error.h"
#include "ops/op_registry.h"

namespace octet {

void infer_shapes(Graph& graph) {
  const std::vector<std::string> unsupported = unsupported_nodes(graph);
  if (!unsupported.empty()) {
    std::string list;
    for (const auto& u : unsupported) list += "\n  " + u;
    fail(ErrorCode::kUnsupported, unsupported.size(), " node(s) use unsupported ops:", list);
  }
  for (Node* node : graph.topological_order()) infer_node(*node);
}

void infer_node(Node& node) {
  const OpDefinition& op = OpRegistry::instance().get(node);
  OCTET_CHECK(node.input_count() >= op.min_inputs && node.input_count() <= op.max_inputs,
              ErrorCode::kInvalidModel, node.label(), ": has ", node.input_count(), " inputs, expected ",
              op.min_inputs, "..", op.max_inputs);
  OCTET_CHECK(node.output_count() >= op.min_outputs && node.output_count() <= op.max_outputs,
              ErrorCode::kInvalidModel, node.label(), ": has ", node.output_count(), " outputs, expected ",
              op.min_outputs, "..", op.max_outputs);
  for (size_t i = 0; i < op.min_inputs; ++i)
    OCTET_CHECK(node.has_input(i), ErrorCode::kInvalidModel, node.label(), ": required input ", i,
                " is missing");
  with_node_context(node, [&] { op.infer(node); });
}

std::vector<std::string> unsupported_nodes(const Graph& graph) {
  const OpRegistry& registry = OpRegistry::instance();
  std::vector<std::string> out;
  for (const Node* node : graph.nodes())
    if (!registry.find(node->op_type())) out.push_back(node->label());
  return out;
}

}  // namespace octet
