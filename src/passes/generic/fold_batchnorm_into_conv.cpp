#include "passes/generic/fold_batchnorm_into_conv.h"

#include <optional>

#include "passes/generic/batchnorm_affine.h"
#include "passes/generic/channel_affine_folding.h"
#include "passes/generic/rewrite_helpers.h"

namespace octet {

size_t fold_batchnorm_into_conv(Graph& graph, PassContext& context) {
  size_t folded = 0;
  for (Node* bn : graph.topological_order()) {
    if (bn->op_type() != "BatchNormalization" || !bn->has_input(0)) continue;
    Node* producer = bn->input(0)->producer();
    if (!producer || sole_consumer(graph, bn->input(0)) != bn) continue;
    const int64_t channels = foldable_output_channels(*producer);
    if (channels == 0 || batchnorm_channels(*bn) != channels) continue;
    // The Gemm / MatMul forms need the channels on the last axis of a 2-d output (BN's axis 1).
    if ((producer->op_type() == "Gemm" || producer->op_type() == "MatMul") &&
        producer->output(0)->shape().rank() != 2)
      continue;
    const std::optional<ChannelAffine> affine = batchnorm_affine(*bn, channels);
    if (!affine) continue;
    Node* result = fold_channel_affine(graph, producer, *affine);
    bypass_node(graph, context, bn, result->output(0), result->name());
    ++folded;
  }
  return folded;
}

}  // namespace octet
