// compressed_weights_to_dequantize: OpenVINO's compressed weights are a DequantizeLinear written out.
//   before: %w = Mul 'scale'(Sub 'minus_zp'(Cast(q: i8/u8 const) {to=f32}, zp: f32 const), s: f32 const)
//   after:  %w = DequantizeLinear 'scale'(q, s', zp') {axis}
// where s and zp are per tensor or vary along one axis of q (any other broadcast leaves the chain as is) and
// zp is within 1e-2 of an integer (OpenVINO stores f16 zero points such as 7.6e-6 for 0). Exact up to the
// rounding of zp: (q - zp) * s is what DequantizeLinear computes. Runs before fold_constants, which would
// otherwise fold the chain into f32 weights (the IR reader already does so when it reads a model; the
// weights then reach qdq_to_qoperator as f32 on an int8 grid, see qdq_weights.h).
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of chains rewritten.
size_t compressed_weights_to_dequantize(Graph& graph, PassContext& context);

}  // namespace octet
