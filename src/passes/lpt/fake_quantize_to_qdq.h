// fake_quantize_to_qdq (docs/int8.md, pass 1): an OpenVINO FakeQuantize that is a real 8-bit quantization
// becomes ONNX QuantizeLinear / DequantizeLinear.
//
// On an activation (per-tensor limits, levels 256, input and output ranges containing 0 with integer zero
// points):
//   before: %y = FakeQuantize 'fq'(x, il, ih, ol, oh) {levels=256}
//   after:  %q = QuantizeLinear 'fq'(x, s_in = (ih-il)/255, zp_in = -il/s_in)   (u8)
//           %y = DequantizeLinear 'fq/dq'(%q, s_out = (oh-ol)/255, zp_out = -ol/s_out)
// Exact: FakeQuantize's grid index round((x - il) / s_in) clamped to [0, 255] is round(x / s_in) + zp_in
// clamped to u8 (zp_in integer), and its output index / 255 * (oh - ol) + ol is (q - zp_out) * s_out; only
// float rounding differs (ties: both round half to even here).
//
// On a constant (weights; levels 256 or 255; limits per tensor or varying along one axis):
//   before: %w = FakeQuantize 'fq_w'(w: f32 const, il, ih, ol, oh)
//   after:  %w = DequantizeLinear 'fq_w'(q: i8 const, s_out, zp_out) {axis}
// with q = FakeQuantize's own grid index (its rounding, computed once now) - 128 (levels 256) or - 127
// (levels 255), so the dequantized weights are the FakeQuantize outputs up to float rounding. A weight
// FakeQuantize whose only use is a Reshape by a constant shape (OpenVINO's GroupConvolution weights) is
// quantized after that Reshape, so that its channels become the convolution's output channels.
//
// Any other FakeQuantize (other level counts, per-channel activation ranges, a range not containing 0,
// non-integer zero points, non-constant limits) stays as it is, in fp32, with the reason in its
// `lpt_fp32_reason` attribute.
#pragma once

#include <cstddef>

#include "graph/graph.h"
#include "passes/pass_context.h"

namespace octet {

// Returns the number of FakeQuantize nodes rewritten.
size_t fake_quantize_to_qdq(Graph& graph, PassContext& context);

}  // namespace octet
