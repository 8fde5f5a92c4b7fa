#include "passes/generic/fold_scale_shift_into_conv.h"

#include <optional>

#include "passes/generic/channel_affine_folding.h"
#include "passes/generic/rewrite_helpers.h"

namespace octet {
namespace {

// The affine map of a Mul / Add / Sub / Div of the producer's output by a per-channel constant, or nullopt.
// `data_index` is the input that reads the producer.
std::optional<ChannelAffine> elementwise_affine(const Node& node, size_t data_index, size_t output_rank,
                                                int64_t channels) {
  const std::string& op = node.op_type();
  const bool commutative = op == "Mul" || op == "Add";
  if (!commutative && data_index != 0) return std::nullopt;  // t - conv and s / conv are not affine in conv
  const Tensor* constant = f32_constant(node.input(1 - data_index));
  if (!constant) return std::nullopt;
  std::optional<std::vector<double>> values = per_channel_values(*constant, output_rank, channels);
  if (!values) return std::nullopt;
  const size_t n = values->size();
  ChannelAffine affine{std::vector<double>(n, 1.0), std::vector<double>(n, 0.0)};
  for (size_t c = 0; c < n; ++c) {
    const double v = (*values)[c];
    if (op == "Mul") affine.scale[c] = v;
    if (op == "Add") affine.shift[c] = v;
    if (op == "Sub") affine.shift[c] = -v;
    if (op == "Div") {
      if (v == 0.0) return std::nullopt;  // keep the infinities / NaNs the model asks for
      affine.scale[c] = 1.0 / v;
    }
  }
  return affine;
}

bool is_scale_shift_op(const Node& node) {
  const std::string& op = node.op_type();
  return (op == "Mul" || op == "Add" || op == "Sub" || op == "Div") && node.input_count() == 2 &&
         node.output_count() == 1;
}

// Folds `node` into the producer of one of its inputs if it can; returns whether it did.
bool try_fold(Graph& graph, PassContext& context, Node* node) {
  for (size_t data_index = 0; data_index < 2; ++data_index) {
    Value* data = node->input(data_index);
    if (!data || !data->producer() || sole_consumer(graph, data) != node) continue;
    // The Mul must not change the producer's output type or shape (broadcasting could grow it).
    if (node->output(0)->type() != data->type() || node->output(0)->shape() != data->shape()) continue;
    Node* producer = data->producer();
    const int64_t channels = foldable_output_channels(*producer);
    if (channels == 0) continue;
    const std::optional<ChannelAffine> affine =
        elementwise_affine(*node, data_index, data->shape().rank(), channels);
    if (!affine) continue;
    Node* result = fold_channel_affine(graph, producer, *affine);
    bypass_node(graph, context, node, result->output(0), result->name());
    return true;
  }
  return false;
}

}  // namespace

size_t fold_scale_shift_into_conv(Graph& graph, PassContext& context) {
  size_t folded = 0;
  // Consumers in topological order, so a chain conv -> Mul -> Add folds in one sweep; a sweep only removes
  // the node it is looking at (and may replace an earlier producer), so the order stays valid.
  for (bool changed = true; changed;) {
    changed = false;
    for (Node* node : graph.topological_order()) {
      if (!is_scale_shift_op(*node) || !try_fold(graph, context, node)) continue;
      ++folded;
      changed = true;
    }
  }
  return folded;
}

}  // namespace octet
