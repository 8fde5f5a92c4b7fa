// fold_constants: evaluates, with the reference ops, every node whose inputs are all constants, and every
// Shape/Size of a statically shaped value, and replaces its outputs by constants of the same names. Runs with
// shape inference node by node, so shape subgraphs as exported by PyTorch fold in one sweep:
//   before: %s = Shape(x: f32[1,64,7,7]); %n = Gather(%s, 0); %v = Concat(Unsqueeze(%n), [-1]); Reshape(x,
//   %v) after:  Reshape(x, const %v = [1,-1])
// Quantization ops (QuantizeLinear, DequantizeLinear, FakeQuantize) are never folded: the low-precision
// passes need to see them explicitly. Leaves every remaining node's outputs inferred.
#pragma once

#include "graph/graph.h"

namespace octet {

struct FoldConstantsOptions {
  // Skip folds whose outputs would exceed this many bytes in total (Expand/ConstantOfShape/Tile can blow up).
  size_t max_output_bytes = size_t{64} << 20;
};

// Returns the number of nodes folded.
size_t fold_constants(Graph& graph, const FoldConstantsOptions& options = {});

}  // namespace octet
