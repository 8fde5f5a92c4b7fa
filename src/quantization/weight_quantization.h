// Symmetric weight quantization as FakeQuantize limits: per output channel (or per tensor), zero on the grid
// (zero point 0), which fake_quantize_to_qdq turns into an i8 constant and a per-channel DequantizeLinear.
#pragma once

#include "octet/tensor.h"

namespace octet::quantization {

struct WeightOptions {
  int levels = 255;          // 255 with narrow_range (grid -127..127), 256 without (-128..127)
  bool per_channel = true;   // one scale per output channel (along the target's axis), else one per tensor
  bool narrow_range = true;  // symmetric grid without the extra negative level
  // Saturation-safe weights for x86 CPUs without VNNI. AVX2's vpmaddubsw adds two u8 x s8 products into a
  // saturating i16, which is exact only while (|q0| + |q1|) * 255 <= 32767, i.e. |q0| + |q1| <= 128 for every
  // pair the kernel adds (docs/int8.md, "Saturation"); oneDNN's int8 convolutions and matmuls are taken only
  // then, else the layer runs on the exact fp32 fallback. Instead of halving every weight's grid (7 bits,
  // what OpenVINO and onnxruntime do), the step is the smallest that keeps every such pair within the bound
  // after rounding: a channel whose largest weights are not neighbours keeps nearly all of its 8 bits. The
  // pairs are the adjacent elements of each channel's reduction row (gemm-based kernels, matmul K) and, for
  // convolution weights [O, I, taps...], adjacent input channels at one tap (direct kernels).
  // insert_fake_quantize does not apply it to depthwise convolutions, whose own kernel is exact for any
  // weights.
  bool saturation_safe = false;
};

// The four FakeQuantize limits (input low/high equal to output low/high) for weights `w`, shaped to
// broadcast against it: [1, .., C, .., 1] with C at `axis` per channel, [1, .., 1] per tensor. A channel
// of zeros gets the step of the whole tensor (all-zero weights: step 1), never an empty range.
struct WeightLimits {
  Tensor low, high;
  int levels = 255;
};
WeightLimits symmetric_weight_limits(const Tensor& w, int axis, const WeightOptions& options);

// Whether this CPU's int8 dot products can saturate (x86 without AVX512-VNNI / AVX-VNNI), i.e. whether
// WeightOptions::saturation_safe makes the runtime's int8 kernels applicable.
bool cpu_needs_saturation_safe_weights();

}  // namespace octet::quantization
