// Folding a per-output-channel affine map y' = y * scale[c] + shift[c] (c on axis 1 of the output) into the
// weights and bias of the node that computes y. Shared by fold_batchnorm_into_conv and
// fold_scale_shift_into_conv, so that both agree on which producers qualify and where each weight's output
// channel is:
//   Conv           W [M, C/g, k...]   channel of W[m, ...] is m (any group)
//   ConvTranspose  W [C, M/g, k...]   channel of W[ci, m, ...] is (ci / (C/g)) * (M/g) + m
//   Gemm           B [K, N] or [N, K] (transB)   channel is the column n of op(B); C becomes
//   beta*C*scale+shift MatMul         X 2-d, W [K, N]    becomes a Gemm of the same name with C = shift
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace octet {

struct ChannelAffine {
  std::vector<double> scale;  // one per output channel
  std::vector<double> shift;
};

// The number of output channels of `node` if an affine map of its output can be folded into it (constant
// f32 weights and bias, known output rank), else 0.
int64_t foldable_output_channels(const Node& node);

// Rewrites the weights and bias of `node` (which foldable_output_channels accepted) so that it computes
// y * scale + shift. New constants are created (weights may be shared with other nodes). Returns the node
// that now computes the output: `node` itself, or for MatMul the Gemm that replaced it under the same name.
Node* fold_channel_affine(Graph& graph, Node* node, const ChannelAffine& affine);

}  // namespace octet
