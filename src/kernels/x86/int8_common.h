// Pieces shared by our int8 kernels: the output quantization a kernel is created with, its scalar form
// (the reference paths' requantization, identical to octet::requantize), and the vpmaddubsw saturation rule.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kernels/x86/int8_kernel_args.h"

namespace octet::x86 {

// How the int32 accumulator becomes the output: kind, one scale per output channel (or a single one for
// all), and for u8 / i8 the zero point. scale = x_scale * w_scale[c] / y_scale for u8 / i8, x_scale *
// w_scale[c] for f32 (the dequantized output).
struct OutputQuantization {
  OutputKind kind = OutputKind::kU8;
  std::vector<float> scales;
  int32_t zero_point = 0;

  float scale(int64_t channel) const { return scales.size() == 1 ? scales[0] : scales[channel]; }
};

// The clamp bounds and zero point of an output kind.
OutputStage make_output_stage(const OutputQuantization& output);

// One output element from its int32 accumulator (bias included), written to y[index] of the output kind:
// the reference paths' output stage.
void store_output(const OutputStage& stage, float scale, int64_t acc, void* y, int64_t index);

// The vpmaddubsw saturation rule: true when no pair of adjacent weights (w[2i], w[2i+1]) can make
// vpmaddubsw's int16 sum saturate for u8 inputs up to x_max: max (|w0| + |w1|) * x_max <= 32767.
bool maddubs_cannot_saturate(std::span<const int8_t> pair_interleaved_weights, int32_t x_max);

// Checks the output parameters a kernel was given (kind, scale count 1 or `channels`); throws
// kInvalidArgument naming `what`.
void check_output_quantization(const OutputQuantization& output, int64_t channels, const char* what);

}  // namespace octet::x86
