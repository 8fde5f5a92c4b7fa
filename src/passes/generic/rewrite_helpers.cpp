#include "passes/generic/rewrite_helpers.h"

#include "ops/shape_inference.h"

namespace octet {

Node* sole_consumer(const Graph& graph, const Value* value) {
  if (value->uses().size() != 1 || graph.is_graph_output(value)) return nullptr;
  return value->uses()[0].node;
}

const Tensor* f32_constant(const Value* value) {
  if (!value || !value->is_constant() || value->constant().type() != ElementType::kF32) return nullptr;
  return &value->constant();
}

std::optional<std::vector<double>> per_channel_values(const Tensor& constant, size_t output_rank,
                                                      int64_t channels) {
  if (constant.type() != ElementType::kF32 || constant.rank() > output_rank || output_rank < 2)
    return std::nullopt;
  const size_t count = static_cast<size_t>(channels);
  if (constant.element_count() == 1) return std::vector<double>(count, constant.data<float>()[0]);
  // Right-aligned broadcasting: output axis 1 meets the constant's axis (rank - output_rank + 1).
  const int64_t channel_axis = static_cast<int64_t>(constant.rank()) - static_cast<int64_t>(output_rank) + 1;
  if (channel_axis < 0) return std::nullopt;
  for (size_t axis = 0; axis < constant.rank(); ++axis) {
    const int64_t expected = static_cast<int64_t>(axis) == channel_axis ? channels : 1;
    if (constant.dims()[axis] != expected) return std::nullopt;
  }
  const float* data = constant.data<float>();
  return std::vector<double>(data, data + count);
}

std::string fresh_node_name(Graph& graph, const PassContext& context, const std::string& base) {
  std::string name = graph.unique_name(base);
  for (int suffix = 1; context.was_removed(name); ++suffix)
    name = graph.unique_name(base + "_" + std::to_string(suffix));
  return name;
}

std::string folded_constant_name(Graph& graph, const std::string& base) {
  // unique_name() numbers repeats as "w_folded_1", so cut at the first "_folded" to find the stem.
  const size_t at = base.find("_folded");
  const std::string stem = at == std::string::npos || at == 0 ? base : base.substr(0, at);
  return graph.unique_name(stem + "_folded");
}

Node* replace_node(Graph& graph, Node* node, const std::string& op_type, std::vector<Value*> inputs,
                   Attributes attributes) {
  OCTET_ASSERT(node->output_count() == 1);
  Value* old_output = node->output(0);
  const std::string output_name = old_output->name();
  // The node list allows a duplicate name for this short moment: the old node goes before anyone looks.
  Node* replacement = graph.add_node(op_type, node->name(), std::move(inputs),
                                     {graph.unique_name(output_name + "_new")}, std::move(attributes));
  Value* new_output = replacement->output(0);
  const bool was_graph_output = graph.is_graph_output(old_output);
  graph.replace_all_uses(old_output, new_output);
  graph.remove_node(node);
  if (!was_graph_output) graph.rename_value(new_output, output_name);
  infer_node(*replacement);
  return replacement;
}

void bypass_node(Graph& graph, PassContext& context, Node* node, Value* replacement,
                 const std::string& into_node) {
  OCTET_ASSERT(node->output_count() == 1);
  const std::string name = node->name();
  graph.replace_all_uses(node->output(0), replacement);
  graph.remove_node(node);
  context.note_absorbed(name, into_node);
}

}  // namespace octet
