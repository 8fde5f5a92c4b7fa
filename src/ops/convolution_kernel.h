// The reference N-d convolution shared by Conv, ConvInteger and QLinearConv (and ConvTranspose's geometry).
// Plain loops, any spatial rank (1-d, 2-d, 3-d), groups, strides, dilations, explicit or auto pads.
#pragma once

#include <cstdint>
#include <span>

#include "core/shape.h"
#include "graph/graph.h"

namespace octet {

struct ConvGeometry {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  Dims in_spatial, kernel, out_spatial;  // spatial rank r each
  Dims strides, dilations;               // r each
  Dims pads_begin, pads_end;             // r each, resolved from `pads` or `auto_pad`
};

// Resolves the ONNX Conv attributes (auto_pad, pads, strides, dilations, group, kernel_shape) of `node` for an
// input of dims x [N, C, D1..Dr] and weights of dims w [M, C/group, k1..kr]. Throws kInvalidModel naming the node
// on inconsistent dims (channel mismatch, group not dividing, negative output size).
ConvGeometry conv_geometry(const Node& node, const Dims& x, const Dims& w);

// y[n, m, o...] = sum over (c, k...) of (x[n, g*C/g + c, o*s - pb + k*d] - x_zero) * (w[m, c, k...] - w_zero[m])
// with padding reading as x_zero (so it contributes 0). Acc is float for Conv, int32_t for integer convs.
// w_zero has 1 entry (per tensor) or out_channels entries (per output channel). y has N*M*prod(out_spatial)
// elements and is overwritten.
template <typename X, typename W, typename Acc>
void conv_reference(const ConvGeometry& g, const X* x, const W* w, Acc* y, Acc x_zero, std::span<const Acc> w_zero);

// y = A x B for batched, numpy-broadcast matrices as in ONNX MatMul (1-d operands promoted and squeezed back).
// a_zero / b_zero are subtracted first (b_zero per tensor or per column N). Returns the output dims.
Dims matmul_output_dims(const Node& node, const Dims& a, const Dims& b);
template <typename A, typename B, typename Acc>
void matmul_reference(const Dims& a_dims, const A* a, const Dims& b_dims, const B* b, Acc* y, Acc a_zero,
                      std::span<const Acc> b_zero);

}  // namespace octet
