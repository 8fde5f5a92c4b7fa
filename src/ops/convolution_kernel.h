// The reference N-d convolution shared by Conv, ConvInteger and QLinearConv (and ConvTranspose's geometry).
// Plain loops, any spatial rank (1-d, 2-d, 3-d), groups, strides, dilations, explicit or auto pads.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "graph/graph.h"
#include "octet/shape.h"

namespace octet {

// An attribute of r ints, or r copies of `fallback` when absent; throws naming the node on a wrong length
// (the spatial attributes of Conv and the pools: strides, dilations, kernel_shape, ...).
Dims spatial_attribute(const Node& node, std::string_view name, size_t rank, int64_t fallback);

struct ConvGeometry {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  Dims in_spatial, kernel, out_spatial;  // spatial rank r each
  Dims strides, dilations;               // r each
  Dims pads_begin, pads_end;             // r each, resolved from `pads` or `auto_pad`
};

// Resolves the ONNX Conv attributes (auto_pad, pads, strides, dilations, group, kernel_shape) of `node` for
// an input of dims x [N, C, D1..Dr] and weights of dims w [M, C/group, k1..kr]. Throws kInvalidModel naming
// the node on inconsistent dims (channel mismatch, group not dividing, negative output size). For shape
// inference, x may hold kDynamicDim: checks on that dim are skipped and the output dims it determines (and
// its pads) come out as kDynamicDim.
ConvGeometry conv_geometry(const Node& node, const Dims& x, const Dims& w);

// The padding and output size of a sliding window along r spatial axes, from the node's auto_pad / pads
// attributes (shared by Conv and the pools). ceil_mode rounds the output size up as the pools' ceil_mode
// does, dropping a last window that would start in the end padding. in[i] may be kDynamicDim (out[i] is then
// too).
struct ConvPadding {
  Dims begin, end, out;
};
ConvPadding conv_padding(const Node& node, const Dims& in, const Dims& kernel, const Dims& strides,
                         const Dims& dilations, bool ceil_mode = false);

// ConvTranspose: x [N, C, D1..Dr], w [C, M/group, k1..kr]. In the returned geometry in_spatial is x's and
// out_spatial is y's; pads come from `pads`, or from `output_shape` / auto_pad as ONNX defines;
// output_padding is folded into out_spatial. Same dynamic-dim rules as conv_geometry.
ConvGeometry conv_transpose_geometry(const Node& node, const Dims& x, const Dims& w);
// y[n, g*M/g + m, i*s - pb + k*d] += x[n, g*C/g + c, i...] * w[g*C/g + c, m, k...] (float only; y is
// overwritten).
void conv_transpose_reference(const ConvGeometry& g, const float* x, const float* w, float* y);

// y[n, m, o...] = sum over (c, k...) of (x[n, g*C/g + c, o*s - pb + k*d] - x_zero) * (w[m, c, k...] -
// w_zero[m]) with padding reading as x_zero (so it contributes 0). Acc is float for Conv, int32_t for integer
// convs. w_zero has 1 entry (per tensor), out_channels entries (per output channel) or none (0). y has
// N*M*prod(out_spatial) elements and is overwritten.
template <typename X, typename W, typename Acc>
void conv_reference(const ConvGeometry& g, const X* x, const W* w, Acc* y, Acc x_zero,
                    std::span<const Acc> w_zero);

// y = A x B for batched, numpy-broadcast matrices as in ONNX MatMul (1-d operands promoted and squeezed
// back). a_zero / b_zero are subtracted first (b_zero per tensor, per column N, or empty for 0). Returns the
// output dims.
Dims matmul_output_dims(const Node& node, const Dims& a, const Dims& b);
// The same for shape inference (dynamic dims and unknown rank allowed).
Shape matmul_output_shape(const Node& node, const Shape& a, const Shape& b);
template <typename A, typename B, typename Acc>
void matmul_reference(const Dims& a_dims, const A* a, const Dims& b_dims, const B* b, Acc* y, Acc a_zero,
                      std::span<const Acc> b_zero);

}  // namespace octet
