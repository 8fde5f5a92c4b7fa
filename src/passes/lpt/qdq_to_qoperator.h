// qdq_to_qoperator (docs/int8.md, pass 4): each node unit "DequantizeLinear inputs -> op -> QuantizeLinear"
// becomes the QOperator op on the integer tensors; the node keeps the op's name, its output takes the
// QuantizeLinear's output, and the QuantizeLinear (and a bias Add) are recorded as absorbed into it.
//
//   Conv (grouped, depthwise) [+ Add(per-channel const)] -> QLinearConv (bias i32, scale x_s * w_s[oc]; its
//                                                             f32 form when nothing quantizes the result)
//   Gemm, 2-d MatMul [+ Add(row const)]                    -> QGemm (bias i32 likewise; f32 output when
//                                                             nothing quantizes the result)
//   MatMul (other ranks)                                   -> QLinearMatMul
//   Add / Mul of two dequantized tensors                   -> QLinearAdd / QLinearMul
//   Mul [+ Add] / Add of per-channel constants             -> QLinearScaleShift (BatchNorm between quantized
//                                                             tensors)
//   Concat                                                 -> QLinearConcat (Concat when every input has
//                                                             the output's parameters)
//   GlobalAveragePool, ReduceMean over spatial axes        -> QLinearGlobalAveragePool
//   AveragePool                                            -> QLinearAveragePool
//   Sigmoid, HardSigmoid, HardSwish, LeakyRelu, Tanh, ...  -> QLinearLookup (the chain tabulated for all 256
//                                                             inputs: bit-exact)
//   precision-preserving op (propagate_qdq.h), the same
//   parameters on its input DQ and output Q                -> the op itself on the integer tensor
//
// Weights: DequantizeLinear of an i8/u8 constant, or an f32 constant on an int8 grid (qdq_weights.h),
// per tensor or per output channel. Activations: per-tensor u8/i8. Biases are rounded to nearest; the
// integer result is requantized once, so the unit's output differs from the Q/DQ graph by at most one
// quantization step (float rounding of the same real number).
//
// Units that do not fit (per-channel activations, weights quantized along another axis or not at all, an
// output without a QuantizeLinear for ops without an f32 form) stay as they are and run in fp32 with their
// Q/DQ nodes.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of nodes rewritten into QOperator form.
size_t qdq_to_qoperator(Graph& graph, PassContext& context);

}  // namespace octet
