// remove_redundant_qdq (docs/int8.md, pass 5): quantizing a dequantized tensor with the same parameters gives
// back the integers, so the pair collapses.
//   before: %d = DequantizeLinear 'dq'(%q, s, zp); %r = QuantizeLinear 'q'(%d, s, zp); ... =
//   QLinearConv(%r..) after:  ... = QLinearConv(%q, ...)                  ('q' removed; 'dq' too once nothing
//   else reads it)
// Exact: Q(DQ(q)) = saturate(round((q - zp) * s / s) + zp) = q for every q of the type (|q - zp| <= 255, so
// (q - zp) * s / s rounds back to q - zp). This also covers "Q -> DQ -> Q with the same parameters" (the
// second Q reads the DQ). Pairs with different parameters are a requantization and stay.
// Also, last: a DequantizeLinear (or kept FakeQuantize) of constants that no QOperator node took, the weights
// of a unit left in fp32, is evaluated once into an f32 constant (with the reference op, so exactly what it
// would compute at every inference).
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of QuantizeLinear nodes removed plus the number of constant quantizations folded.
size_t remove_redundant_qdq(Graph& graph, PassContext& context);

}  // namespace octet
