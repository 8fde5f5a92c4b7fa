// The residual QLinearAdd of an int8 network as post-ops of oneDNN's int8 convolution, computing what the
// two nodes compute one after the other:
//   a = saturate_a(round(acc * x_scale * w_scale / a_scale) + a_zero)            (QLinearConv)
//   c = saturate_c(round(((a - a_zero) * a_scale + (b - b_zero) * b_scale) / c_scale) + c_zero)  (QLinearAdd)
// oneDNN applies the output scales, then the post-ops in order, then the dst zero point (c_zero), then a
// saturating conversion; the chain is
//   eltwise_round                      -> round(acc * M): a - a_zero before saturation (ties to even, exact)
//   eltwise_clip(lo - a_zero, hi - a_zero) -> a's saturation to its own type (exact: integers)
//   eltwise_linear(a_scale / c_scale)  -> a's share of the sum in c's units
//   sum(b_scale / c_scale, b_zero, b's type) -> plus (b - b_zero) * b_scale / c_scale, read from dst in place
//   eltwise_round                      -> round before c_zero is added, as the op does (else an odd c_zero
//                                         would move ties: round(0.5) + 1 = 1, round(1.5) = 2); only for
//                                         an odd c_zero: adding an even integer keeps a tie's nearest even
//                                         integer, so dst's own conversion (ties to even) rounds the same.
//                                         ResNet-50's adds (ReLU folded into c, c_zero 0) save a pass over
//                                         every output vector (about 2% of their convolutions' time).
// Exactness: a is exact (given the accumulator stays below 2^24, as for the unfused kernel). The add is
// computed as a * (a_scale / c_scale) + (b - b_zero) * (b_scale / c_scale) (fused multiply-add) instead of
// (a * a_scale + b * b_scale) / c_scale: a few ulps apart, so an output can differ by one step only when the
// exact sum lies within a few ulps of a rounding tie (k + 0.5).
#pragma once

#include <dnnl.hpp>

#include "cpu/post_ops.h"
#include "octet/element_type.h"

namespace octet::cpu {

// a_type / a_zero: the convolution's own output type and zero point; b_type: the residual operand's type.
dnnl::post_ops quantized_sum_post_ops(const QuantizedSumParams& params, ElementType a_type, int32_t a_zero,
                                      ElementType b_type);

}  // namespace octet::cpu
