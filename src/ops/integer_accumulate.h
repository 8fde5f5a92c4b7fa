// The int32 accumulation shared by the integer convolution and matmul ops: ConvInteger / MatMulInteger return
// it as is, QLinearConv / QLinearMatMul requantize it. The loops themselves are conv_reference and
// matmul_reference (convolution_kernel.h); this adds the u8/i8 type dispatch and the shape inference.
#pragma once

#include <cstdint>
#include <span>

#include "graph/graph.h"
#include "octet/tensor.h"
#include "ops/convolution_kernel.h"

namespace octet {

// Output shape of an integer convolution of x [N, C, D...] with weights w [M, C/group, k...] (the ONNX Conv
// attributes of `node`); unknown where the inputs' shapes are not known well enough.
Shape integer_conv_output_shape(const Node& node, const Shape& x, const Shape& w);

// y[n, m, o...] = sum (x - x_zero) * (w - w_zero[m]) as int32 ([N, M, out...]); x and w are u8 or i8 (any
// mix), w_zero has 1 or M entries. `geometry` receives the resolved convolution geometry when not null.
Tensor integer_conv(const Node& node, const Tensor& x, const Tensor& w, int32_t x_zero,
                    std::span<const int32_t> w_zero, ConvGeometry* geometry = nullptr);

// y = (a - a_zero) x (b - b_zero[n]) as int32 with ONNX MatMul's broadcasting; a and b are u8 or i8 (any
// mix), b_zero has 1 entry or one per column (b's last dim).
Tensor integer_matmul(const Node& node, const Tensor& a, const Tensor& b, int32_t a_zero,
                      std::span<const int32_t> b_zero);

}  // namespace octet
