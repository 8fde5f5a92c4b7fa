#include "passes/generic/fold_constants.h"

#include <set>
#include <string_view>

#include "ops/op_registry.h"
#include "ops/shape_inference.h"

namespace octet {
namespace {

bool is_quantization_op(std::string_view type) {
  static const std::set<std::string_view> kKeep = {"QuantizeLinear", "DequantizeLinear", "FakeQuantize",
                                                   "DynamicQuantizeLinear"};
  return kKeep.contains(type);
}

// Shape and Size only need the input's dims, which inference already knows when they are static.
bool is_static_shape_query(const Node& node) {
  return (node.op_type() == "Shape" || node.op_type() == "Size") && node.has_input(0) &&
         node.input(0)->shape().is_static();
}

bool all_inputs_constant(const Node& node) {
  for (const Value* in : node.inputs())
    if (in && !in->is_constant()) return false;
  return true;
}

// For a static shape query the input tensor's contents are irrelevant; a zero tensor of the right dims stands
// in.
std::vector<Tensor> evaluate_on_constants(const Node& node) {
  std::vector<Tensor> storage;
  std::vector<const Tensor*> args;
  storage.reserve(node.input_count());
  for (const Value* in : node.inputs()) {
    if (!in) {
      args.push_back(nullptr);
    } else if (in->is_constant()) {
      args.push_back(&in->constant());
    } else {
      storage.emplace_back(in->type(), in->shape().static_dims());
      args.push_back(&storage.back());
    }
  }
  return with_node_context(node, [&] { return OpRegistry::instance().get(node).evaluate(node, args); });
}

size_t static_output_bytes(const Node& node) {
  size_t bytes = 0;
  for (const Value* out : node.outputs()) {
    if (!out->shape().is_static() || out->type() == ElementType::kUndefined) return SIZE_MAX;
    bytes += static_cast<size_t>(element_count(out->shape().static_dims())) * size_of(out->type());
  }
  return bytes;
}

}  // namespace

size_t fold_constants(Graph& graph, const FoldConstantsOptions& options) {
  size_t folded = 0;
  for (Node* node : graph.topological_order()) {
    infer_node(*node);
    if (is_quantization_op(node->op_type())) continue;
    if (!all_inputs_constant(*node) && !is_static_shape_query(*node)) continue;
    // Outputs whose size inference could not bound are folded too when small; the size check runs on the
    // result.
    const size_t predicted = static_output_bytes(*node);
    if (predicted != SIZE_MAX && predicted > options.max_output_bytes) continue;
    std::vector<Tensor> results = evaluate_on_constants(*node);
    size_t bytes = 0;
    for (const Tensor& t : results) bytes += t.byte_size();
    if (bytes > options.max_output_bytes) continue;

    const std::vector<Value*> outputs = node->outputs();
    std::vector<std::pair<Value*, std::string>> renames;
    for (size_t i = 0; i < outputs.size(); ++i) {
      Value* constant =
          graph.add_constant(graph.unique_name(outputs[i]->name() + "_folded"), std::move(results[i]));
      const bool was_output = graph.is_graph_output(outputs[i]);
      const std::string name = outputs[i]->name();
      graph.replace_all_uses(outputs[i], constant);
      if (!was_output) renames.emplace_back(constant, name);  // a graph output already took over the name
    }
    graph.remove_node(node);
    for (auto& [constant, name] : renames) graph.rename_value(constant, name);
    ++folded;
  }
  return folded;
}

}  // namespace octet
