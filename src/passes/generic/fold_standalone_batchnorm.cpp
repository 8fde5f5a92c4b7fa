#include "passes/generic/fold_standalone_batchnorm.h"

#include <optional>

#include "ops/shape_inference.h"
#include "passes/generic/batchnorm_affine.h"
#include "passes/generic/rewrite_helpers.h"

namespace octet {
namespace {

// values as a constant of dims [C, 1, ..., 1] (rank - 1 dims), which broadcasts along axis 1 of a rank-r
// input.
Value* channel_constant(Graph& graph, const std::string& name, const std::vector<double>& values,
                        size_t rank) {
  Dims dims(rank - 1, 1);
  dims[0] = static_cast<int64_t>(values.size());
  Tensor t(ElementType::kF32, dims);
  for (size_t c = 0; c < values.size(); ++c) t.data<float>()[c] = static_cast<float>(values[c]);
  return graph.add_constant(graph.unique_name(name), std::move(t));
}

}  // namespace

size_t fold_standalone_batchnorm(Graph& graph, PassContext& context) {
  size_t rewritten = 0;
  for (Node* bn : graph.topological_order()) {
    if (bn->op_type() != "BatchNormalization" || !bn->has_input(0)) continue;
    const Shape& x_shape = bn->input(0)->shape();
    if (!x_shape.rank_known() || x_shape.rank() < 2) continue;
    const std::optional<ChannelAffine> affine = batchnorm_affine(*bn, batchnorm_channels(*bn));
    if (!affine) continue;
    const size_t rank = x_shape.rank();
    const std::string name = bn->name();
    Value* scale = channel_constant(graph, name + ".scale_folded", affine->scale, rank);
    Value* shift = channel_constant(graph, name + ".shift_folded", affine->shift, rank);
    Value* y = bn->output(0);
    const std::string output_name = y->name();
    const bool was_graph_output = graph.is_graph_output(y);
    // The Mul takes the BatchNormalization's node name, briefly shared until the old node is removed.
    Node* mul =
        graph.add_node("Mul", name, {bn->input(0), scale}, {graph.unique_name(output_name + "_scaled")});
    Node* add = graph.add_node("Add", fresh_node_name(graph, context, name + "_shift"),
                               {mul->output(0), shift}, {graph.unique_name(output_name + "_shifted")});
    graph.replace_all_uses(y, add->output(0));
    graph.remove_node(bn);
    if (!was_graph_output) graph.rename_value(add->output(0), output_name);
    infer_node(*mul);
    infer_node(*add);
    ++rewritten;
  }
  return rewritten;
}

}  // namespace octet
