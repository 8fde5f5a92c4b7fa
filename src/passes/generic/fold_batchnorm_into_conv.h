// fold_batchnorm_into_conv: an inference BatchNormalization with constant parameters after a node that
// computes a per-channel linear function of its input is folded into that node's weights and bias.
//   before: %c = Conv 'conv1'(x, w, b) {group=g}; %y = BatchNormalization 'bn1'(%c, scale, B, mean, var)
//   after:  %y = Conv 'conv1'(x, w', b')   with a = scale / sqrt(var + epsilon),
//           w'[m, ...] = w[m, ...] * a[m],  b' = (b - mean) * a + B   ('bn1' recorded as absorbed into
//           'conv1')
// Producers: Conv (any group, with or without bias), ConvTranspose (output channels on axis 1 of the weights,
// per group), Gemm with constant B (and C), MatMul of a 2-d input with constant 2-d weights (it becomes a
// Gemm named like the MatMul). Only when the producer's output has no other use. See
// channel_affine_folding.h.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of BatchNormalization nodes folded.
size_t fold_batchnorm_into_conv(Graph& graph, PassContext& context);

}  // namespace octet
