// fold_activation_into_quantize (docs/int8.md, pass 3): a Relu or Clip whose every use is a QuantizeLinear
// that saturates at least as tightly disappears into the quantization.
//   before: %r = Relu 'relu'(%y); %q = QuantizeLinear 'q'(%r, s, zp = 0) (u8)
//   after:  %q = QuantizeLinear 'q'(%y, s, zp)                             ('relu' absorbed into 'q')
// Exact: quantization is monotone, so Q(clip(y, a, b)) = clamp(Q(y), Q(a), Q(b)); when Q(a) (unsaturated)
// is <= the type's lowest value and Q(b) >= its highest, the clamp is what the saturation already does.
// Relu is Clip(0, +inf): it folds into a quantization whose zero point is the type's lowest value (u8 range
// starting at 0). Clip bounds must be constants (an absent bound is unbounded).
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of activations folded.
size_t fold_activation_into_quantize(Graph& graph, PassContext& context);

}  // namespace octet
