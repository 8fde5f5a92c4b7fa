// QLinearConv on oneDNN's int8 convolution (jit_uni_int8 on AVX2): u8 source (an s8 source is shifted to u8,
// see onednn_qsigned_source.h), s8 weights with their zero point subtracted at compile time, s32 bias,
// per-tensor or per-output-channel output scales x_scale * w_scale[m] / y_scale (float, the op's order), and
// oneDNN's runtime zero points on source and destination. oneDNN's source zero point is exact with padding
// (padding reads as the zero point, i.e. real zero, as in ONNX); without padding it is folded into the bias
// instead, which skips oneDNN's compensation pass. Layouts are left to oneDNN (format any); the plugin
// inserts reorders as for fp32.
//
// Exactness against the op: the same s32 accumulator; oneDNN adds bias and zero point in float and rounds
// once (round(v + zp) vs the op's round(v) + zp), so an output may be one step off at a tie. Weights whose
// adjacent pairs could saturate vpmaddubsw's i16 on a CPU without VNNI are rejected
// (onednn_int8_exactness.h).
//
// The one post-op it takes is a kQuantizedSum (the residual QLinearAdd after the conv, fuse_post_ops.h): the
// add's operand is a second runtime input read in dst's layout and written over in place, and the chain of
// onednn_qlinear_sum_post_op.h makes the conv's own requantization exact (rounded before its zero point).
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_qlinear_conv(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
