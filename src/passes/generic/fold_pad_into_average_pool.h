// fold_pad_into_average_pool: a zero constant Pad of the spatial axes in front of an unpadded AveragePool
// becomes the pooling's own padding, counted in the divisor.
//   before: %p = Pad(x, pads=[0,0,1,1, 0,0,1,1]) {mode=constant, value 0}; %y = AveragePool(%p) {kernel 3x3}
//   after:  %y = AveragePool(x) {kernel 3x3, pads=[1,1,1,1], count_include_pad=1}
// Exact: the padded zeros were inside the pooled tensor, so each window's divisor counted them, which is what
// count_include_pad does with explicit pads. PyTorch exports avg_pool2d(padding=p) so (Inception v3's pooling
// branches): one copy of the tensor less in fp32, and in a quantized model the zero point pads inside the
// int8 pooling instead of an int8 Pad in front of it. Not folded: other pad modes or values, padded batch or
// channel axes, negative pads (crops), Pad's axes input, a pooling with pads, auto_pad, dilations or
// ceil_mode, and a Pad whose output anything else reads.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of Pads folded.
size_t fold_pad_into_average_pool(Graph& graph, PassContext& context);

}  // namespace octet
