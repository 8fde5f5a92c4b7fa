// fuse_matmul_add_into_gemm: a 2-d MatMul by constant weights followed by the Add of a constant bias becomes
// one Gemm, the form the fully connected kernels take (bias included).
//   before: %m = MatMul 'fc'(x: f32[M,K], w: f32[K,N]); %y = Add 'fc_bias'(%m, b: f32[N] or f32[1,N])
//   after:  %y = Gemm 'fc'(x, w, b)                           ('fc_bias' absorbed into 'fc')
// The bias may be either Add operand; a single-value bias is accepted too. Only when the MatMul's output has
// no other use.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of MatMul + Add pairs fused.
size_t fuse_matmul_add_into_gemm(Graph& graph, PassContext& context);

}  // namespace octet
