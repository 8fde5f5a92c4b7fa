// fold_scale_shift_into_conv: a Mul and/or Add by a constant that is a single value or one value per output
// channel ([1,C,1,1], [C,1,1], [1,1,1,1], ...) after a convolution is folded into its weights and bias.
//   before: %c = Conv 'conv1'(x, w, b); %s = Mul 'mul1'(%c, s: [1,C,1,1]); %y = Add 'add1'(%s, t: [C,1,1])
//   after:  %y = Conv 'conv1'(x, w * s[m], b * s + t)        ('mul1', 'add1' absorbed into 'conv1')
// Also Sub by such a constant (conv - t) and Div (conv / s). Producers: Conv (any group: an output channel
// only reads its own row of weights), ConvTranspose and Gemm / MatMul as in channel_affine_folding.h. Only
// when the producer's output has no other use; repeats along a chain until nothing folds.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of Mul / Add / Sub / Div nodes folded.
size_t fold_scale_shift_into_conv(Graph& graph, PassContext& context);

}  // namespace octet
