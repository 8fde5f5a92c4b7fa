#include "passes/generic/remove_identity_ops.h"

#include <set>
#include <string_view>

#include "passes/generic/rewrite_helpers.h"

namespace octet {
namespace {

bool same_static_shape(const Value& a, const Value& b) {
  return a.shape().is_static() && a.shape() == b.shape();
}

bool dropout_is_inference(const Node& node) {
  if (!node.has_input(2)) return true;
  const Value* training = node.input(2);
  return training->is_constant() && training->constant().element_count() == 1 &&
         training->constant().value_as_int64(0) == 0;
}

bool is_identity(const Node& node) {
  static const std::set<std::string_view> kReshapeLike = {"Reshape", "Flatten", "Squeeze", "Unsqueeze"};
  if (node.output_count() != 1 || !node.has_input(0)) return false;
  const Value& in = *node.input(0);
  const Value& out = *node.output(0);
  if (in.type() != out.type() || in.type() == ElementType::kUndefined) return false;
  const std::string& op = node.op_type();
  if (op == "Identity") return true;
  if (op == "Dropout") return dropout_is_inference(node);
  if (op == "Cast") return in.shape() == out.shape();  // the types were compared above
  if (kReshapeLike.contains(op)) return same_static_shape(in, out);
  return false;
}

// Taking over a graph output's name is only harmless for an internal value computed by a node.
bool can_bypass(const Graph& graph, const Node& node) {
  if (!graph.is_graph_output(node.output(0))) return true;
  const Value* in = node.input(0);
  return in->producer() != nullptr && !graph.is_graph_output(in);
}

}  // namespace

size_t remove_identity_ops(Graph& graph, PassContext& context) {
  size_t removed = 0;
  for (Node* node : graph.topological_order()) {
    if (!is_identity(*node) || !can_bypass(graph, *node)) continue;
    bypass_node(graph, context, node, node->input(0), "");
    ++removed;
  }
  return removed;
}

}  // namespace octet
