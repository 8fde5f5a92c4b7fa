// Depthwise 2-d convolution, u8 activations x s8 weights (zero point 0) -> int32 -> u8 / i8 / f32, the
// arithmetic of ONNX QLinearConv with group == channels: y[c] = out(sum_taps (x - x_zero) * w[c] + bias[c]),
// padding reading x_zero. Activations and results are NHWC (channels in vector lanes); the plugin asks for
// dnnl::memory::format_tag::nhwc on both sides.
//
// Created once per layer (weights packed for the chosen ISA), then run() any number of times, from any
// number of threads at once (it keeps no per-call state). OpenMP splits the output rows.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kernels/x86/int8_common.h"
#include "kernels/x86/x86_isa.h"

namespace octet::x86 {

struct DepthwiseConvShape {
  int64_t batch = 1, channels = 0, in_h = 0, in_w = 0;
  int64_t kernel_h = 3, kernel_w = 3, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int64_t out_h() const;
  int64_t out_w() const;
};

class DepthwiseConvU8S8 {
 public:
  // weights: channels * kernel_h * kernel_w s8 values ([C, 1, kh, kw]); bias: channels values or empty.
  // block_bytes: the channel block (vector width); 0 takes the ISA's full width (AVX2 32, AVX-512 64), 32
  // is also accepted on the VNNI path (256-bit vectors: less padding for 32, 96, 160... channels).
  // Throws kUnsupported for kernels over 7x7 taps or a bias so large that int32 could overflow.
  DepthwiseConvU8S8(const DepthwiseConvShape& shape, std::span<const int8_t> weights,
                    std::span<const int32_t> bias, int32_t x_zero, OutputQuantization output, Isa isa,
                    int64_t block_bytes = 0);

  // x: batch x in_h x in_w x channels u8; y: batch x out_h x out_w x channels of the output kind.
  void run(const uint8_t* x, void* y) const;

  Isa isa() const { return isa_; }
  int64_t block_bytes() const { return block_; }  // 0 on the reference path
  const DepthwiseConvShape& shape() const { return shape_; }

 private:
  void run_reference(const uint8_t* x, void* y) const;

  DepthwiseConvShape shape_;
  Isa isa_;
  int32_t x_zero_;
  OutputQuantization output_;
  OutputStage stage_;
  // Reference path: the weights and bias as given.
  std::vector<int8_t> weights_;
  std::vector<int32_t> bias_;
  // Vector paths: packed as int8_kernel_args.h describes, for blocks of block_ channels and groups of
  // group_taps_ taps (2: vpmaddubsw pairs, 4: VNNI quads).
  int64_t block_ = 0;
  int64_t group_taps_ = 0;
  bool column_quads_ = false;  // VNNI 3x3 windows: quads of one column's three rows (int8_kernel_args.h)
  std::vector<int8_t> packed_weights_;
  std::vector<int32_t> packed_bias_;
  std::vector<float> packed_scales_;
  std::vector<uint8_t> pad_row_;
};

}  // namespace octet::x86
