// What the per-ISA int8 row kernels receive: plain structs of raw pointers and sizes. The ISA files are
// compiled with wider target options (#pragma GCC target), so they include nothing that instantiates a
// standard-library template: an inline std:: function emitted there with AVX-512 code could be the copy the
// linker keeps for the whole program.
#pragma once

#include <cstdint>

namespace octet::x86 {

enum class OutputKind : int32_t {
  kU8,   // y = saturate_u8(round_half_to_even(float(acc) * scale[c]) + zero_point)
  kI8,   // the same, saturated to i8
  kF32,  // y = float(acc) * scale[c]  (the dequantized result: scale = x_scale * w_scale[c])
};

// The output stage after the int32 accumulator (bias included). The clamp happens in float before the
// conversion to int, as octet::requantize does, so every path saturates identically.
// saturate_in_integers: the kernel proved |float(acc) * scale| <= 2^30 for every reachable accumulator, so
// the rounded value and the zero point add exactly in int32 and the saturating packs do the clamp (the same
// integers, fewer instructions).
struct OutputStage {
  OutputKind kind = OutputKind::kU8;
  float zero_point = 0;
  float min = 0, max = 255;
  bool saturate_in_integers = false;
};

// Depthwise convolution, NHWC u8 in, NHWC out. Weights are packed per block of `block` channels (the vector
// width in bytes) and per group of taps, four vectors per group:
// - pairs of taps (AVX2, AVX-512 BW): [lo_hi, lo_lo, hi_hi, hi_lo]: each s8 weight w is split as
//   16 * w_hi + w_lo with both parts in [-8, 8], so vpmaddubsw of a u8 pair with a part pair is at most
//   16 * 255 = 4080 and eight of them still fit in int16 (no saturation, for any weights);
// - quads of taps (VNNI): vector j holds, in int32 lane m, the four s8 weights of channel
//   16 * (m / 4) + 4j + m % 4 for the group's taps, unsplit (vpdpbusd accumulates in int32: exact).
// Bias and scales are permuted into the order the accumulators come out in (see depthwise_conv_u8s8.cpp).
struct DepthwiseConvArgs {
  const uint8_t* x = nullptr;
  void* y = nullptr;
  const uint8_t* pad_row = nullptr;  // blocks * block bytes of x_zero: what a tap in the padding reads
  const int8_t* weights = nullptr;
  const int32_t* bias = nullptr;  // bias - x_zero * sum(w): lets padding taps read x_zero instead of 0
  const float* scales = nullptr;
  int64_t batch = 0, channels = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  int64_t kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  // VNNI, 3x3, dilation 1, horizontal stride 1 or 2: the quads are columns (depthwise_items_columns in
  // depthwise_conv_u8s8_simd.h); group g holds, in byte k of a lane, tap (kh = k, kw = g), byte 3 zero. The
  // row kernel's range then counts (output row, channel block) items: row * blocks + block.
  bool column_quads = false;
  OutputStage out;
};

// Matrix-vector product y[n] = sum_k (a[k] - a_zero) * b[k][n] + bias[n]. B is packed in groups of 4 column
// blocks (a block = one vector of int32 columns) as, per pair of rows k = 2p, 2p + 1 and per column, the two
// s8 values next to each other (widened to int16 pairs for vpmaddwd: exact, no saturation).
struct GemvArgs {
  const int32_t* a_pairs = nullptr;  // a[2p] | a[2p + 1] << 16 (a zero-padded to an even length)
  const int8_t* b = nullptr;
  const int32_t* bias = nullptr;  // bias - a_zero * sum_k b[k][n], padded to groups * group width
  const float* scales = nullptr;
  void* y = nullptr;
  int64_t k_pairs = 0, n = 0;
  OutputStage out;
};

// The row kernels each ISA file defines; rows are batch * out_h output rows (or, with column_quads, (row,
// channel block) items), groups are column groups.
void depthwise_conv_u8s8_rows_avx2(const DepthwiseConvArgs& args, int64_t row_begin, int64_t row_end);
void depthwise_conv_u8s8_rows_avx512bw(const DepthwiseConvArgs& args, int64_t row_begin, int64_t row_end);
void depthwise_conv_u8s8_rows_avx512vnni(const DepthwiseConvArgs& args, int64_t row_begin, int64_t row_end);
// The VNNI algorithm on 256-bit vectors (AVX-512 VL): 32-channel blocks, for channel counts they pad less.
void depthwise_conv_u8s8_rows_avx512vnni_ymm(const DepthwiseConvArgs& args, int64_t row_begin,
                                             int64_t row_end);
void gemv_u8s8_groups_avx2(const GemvArgs& args, int64_t group_begin, int64_t group_end);
void gemv_u8s8_groups_avx512bw(const GemvArgs& args, int64_t group_begin, int64_t group_end);
void gemv_u8s8_groups_avx512vnni(const GemvArgs& args, int64_t group_begin, int64_t group_end);

constexpr int64_t kMaxDepthwiseTaps = 49;      // up to 7x7 kernels
constexpr int64_t kMaxDepthwiseTapSlots = 52;  // taps rounded up to whole quads (phantom taps read pad_row)
constexpr int64_t kGemvBlocksPerGroup = 4;

}  // namespace octet::x86
