// fold_standalone_batchnorm: an inference BatchNormalization with constant parameters that could not be
// folded into a producer becomes a Mul and an Add by per-channel constants, so the CPU plugin needs no
// BatchNormalization kernel (and a later fold_scale_shift_into_conv may still fold them).
//   before: %y = BatchNormalization 'bn'(x: f32[N,C,H,W], scale, B, mean, var) {epsilon=e}
//   after:  %s = Mul 'bn'(x, a: f32[C,1,1]); %y = Add 'bn_shift'(%s, b: f32[C,1,1])
//           with a = scale / sqrt(var + e), b = B - mean * a
// The Mul keeps the BatchNormalization's node name (the counters show its time under that name); the Add is
// a new node. The constants have rank(x) - 1 dims, so they broadcast along axis 1 only.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of BatchNormalization nodes rewritten.
size_t fold_standalone_batchnorm(Graph& graph, PassContext& context);

}  // namespace octet
