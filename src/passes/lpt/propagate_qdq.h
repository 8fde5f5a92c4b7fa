// propagate_qdq (docs/int8.md, pass 2): a precision-preserving op whose data input is dequantized (per
// tensor) and whose output is not already quantized with the same parameters gets a Q/DQ pair with those
// parameters on each output, so that qdq_to_qoperator can run it on the integer tensor.
//   before: %d = DequantizeLinear(%q, s, zp); %y = MaxPool 'pool'(%d); ... = Conv(%y, ...)
//   after:  %d = DequantizeLinear(%q, s, zp); %p = MaxPool 'pool'(%d);
//           %y = DequantizeLinear(QuantizeLinear(%p, s, zp), s, zp); ... = Conv(%y, ...)
// Exact: MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Split, Slice, Resize (mode nearest) and
// Pad (constant value on the grid, or edge/reflect) only move, select or repeat values that are already
// (q - zp) * s, and quantizing such a value gives back q. Concat is propagated when every input is
// dequantized with the same parameters (then it is the same kind of op); otherwise it needs QLinearConcat,
// which qdq_to_qoperator makes when a QuantizeLinear follows it.
#pragma once

#include <cstddef>
#include <string>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// True for the ops above (for Resize and Pad: when their attributes / inputs keep values on the grid of
// `node`'s input 0 quantization, which the caller checks with pad_value_on_grid for Pad).
bool is_precision_preserving(const Node& node);

// Returns the number of ops that got a Q/DQ pair after them.
size_t propagate_qdq(Graph& graph, PassContext& context);

}  // namespace octet
