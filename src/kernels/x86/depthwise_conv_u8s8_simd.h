// The depthwise row kernel, written once over a vector-traits type V (V::kBytes channels per block) and
// instantiated by each ISA file under its own #pragma GCC target. Only ISA files include this, and only
// after their target pragma; everything here has internal linkage so that no AVX-512 copy can leak into
// other translation units. See int8_kernel_args.h for the packed layouts.
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/x86/int8_kernel_args.h"

namespace octet::x86 {
namespace {  // NOLINT(build/namespaces): per-ISA instantiations must stay internal

// Requantizes (or dequantizes) four int32 accumulator vectors of one channel block and writes `count`
// channels to y. acc[j] holds, in 128-bit lane L, channels 16L + 4j + 0..3.
template <class V>
inline void store_depthwise_block(const typename V::I (&acc)[4], const int32_t* bias, const float* scales,
                                  const OutputStage& out, void* y, int64_t count) {
  constexpr int kB = V::kBytes, kLanes = kB / 4;
  typename V::F value[4];
  for (int j = 0; j < 4; ++j)
    value[j] = V::mul(V::cvt(V::add32(acc[j], V::load(bias + j * kLanes))), V::loadf(scales + j * kLanes));
  if (out.kind == OutputKind::kF32) {
    alignas(64) float tmp[kLanes];
    float* dst = static_cast<float*>(y);
    for (int j = 0; j < 4; ++j) {
      V::storef(tmp, value[j]);
      for (int m = 0; m < kLanes; ++m) {
        const int64_t c = 16 * (m / 4) + 4 * j + m % 4;
        if (c < count) dst[c] = tmp[m];
      }
    }
    return;
  }
  typename V::I q[4];
  const typename V::F zero = V::setf(out.zero_point), lo = V::setf(out.min), hi = V::setf(out.max);
  for (int j = 0; j < 4; ++j) q[j] = V::cvtt(V::minf(V::maxf(V::addf(V::round(value[j]), zero), lo), hi));
  // packs(acc0, acc1) puts channels 16L + 0..7 in lane L, packs(acc2, acc3) 16L + 8..15; the byte pack
  // then leaves channels 16L + 0..15 in lane L: natural order.
  const typename V::I p01 = V::packs32(q[0], q[1]), p23 = V::packs32(q[2], q[3]);
  const typename V::I bytes = out.kind == OutputKind::kU8 ? V::packus16(p01, p23) : V::packs16(p01, p23);
  if (count == kB) {
    V::store(y, bytes);
  } else {
    alignas(64) uint8_t tmp[kB];
    V::store(tmp, bytes);
    std::memcpy(y, tmp, static_cast<size_t>(count));
  }
}

// One block of kB channels at one output pixel: tap t reads taps[t] + offset (taps has an even count; a
// phantom last tap has zero weights). kPairs > 0 fixes the number of tap pairs at compile time (3x3: 5,
// 5x5: 13) so that the loops unroll and the tap pointers stay in registers; 0 reads it from `pairs`.
template <class V, int kPairs>
inline void depthwise_block(const uint8_t* const* taps, int64_t offset, int64_t runtime_pairs,
                            const int8_t* w, typename V::I (&acc)[4]) {
  constexpr int kB = V::kBytes;
  using I = typename V::I;
  const int64_t pairs = kPairs > 0 ? kPairs : runtime_pairs;
  for (int j = 0; j < 4; ++j) acc[j] = V::zero();
  const I part_weights = V::set32(0x00100001);  // int16 pairs (lo part, hi part) * (1, 16)
  for (int64_t p0 = 0; p0 < pairs; p0 += 8) {
    // Eight pairs at most per int16 accumulation: 8 * 4080 <= 32767.
    const int64_t p_end = pairs < p0 + 8 ? pairs : p0 + 8;
    I lo_hi = V::zero(), lo_lo = V::zero(), hi_hi = V::zero(), hi_lo = V::zero();
    for (int64_t p = p0; p < p_end; ++p) {
      const I a = V::load(taps[2 * p] + offset), b = V::load(taps[2 * p + 1] + offset);
      const I lo = V::unpacklo8(a, b), hi = V::unpackhi8(a, b);
      const int8_t* wp = w + p * 4 * kB;
      lo_hi = V::add16(lo_hi, V::maddubs(lo, V::load(wp)));
      lo_lo = V::add16(lo_lo, V::maddubs(lo, V::load(wp + kB)));
      hi_hi = V::add16(hi_hi, V::maddubs(hi, V::load(wp + 2 * kB)));
      hi_lo = V::add16(hi_lo, V::maddubs(hi, V::load(wp + 3 * kB)));
    }
    acc[0] = V::madd_add(acc[0], V::unpacklo16(lo_lo, lo_hi), part_weights);
    acc[1] = V::madd_add(acc[1], V::unpackhi16(lo_lo, lo_hi), part_weights);
    acc[2] = V::madd_add(acc[2], V::unpacklo16(hi_lo, hi_hi), part_weights);
    acc[3] = V::madd_add(acc[3], V::unpackhi16(hi_lo, hi_hi), part_weights);
  }
}

// All channel blocks of one output pixel whose tap pointers are set (tap_rows[taps] is the phantom).
template <class V, int kPairs>
inline void depthwise_pixel(const DepthwiseConvArgs& a, const uint8_t* const* tap_rows, int64_t pairs,
                            char* y, int64_t out_bytes, uint8_t (*tail)[V::kBytes]) {
  constexpr int kB = V::kBytes;
  const int64_t full_blocks = a.channels / kB;
  typename V::I acc[4];
  for (int64_t block = 0; block < full_blocks; ++block) {
    const int64_t c0 = block * kB;
    depthwise_block<V, kPairs>(tap_rows, c0, pairs, a.weights + block * pairs * 4 * kB, acc);
    store_depthwise_block<V>(acc, a.bias + c0, a.scales + c0, a.out, y + c0 * out_bytes, kB);
  }
  const int64_t c0 = full_blocks * kB, count = a.channels - c0;
  if (count == 0) return;
  // The last, partial block: copied so that the vector loads stay inside the input buffer (pad_row is
  // padded to whole blocks and needs no copy).
  const uint8_t* tail_taps[kMaxDepthwiseTaps + 1];
  for (int64_t t = 0; t < 2 * pairs; ++t) {
    if (tap_rows[t] == a.pad_row) {
      tail_taps[t] = a.pad_row + c0;
    } else {
      std::memcpy(tail[t], tap_rows[t] + c0, static_cast<size_t>(count));
      tail_taps[t] = tail[t];
    }
  }
  depthwise_block<V, kPairs>(tail_taps, 0, pairs, a.weights + full_blocks * pairs * 4 * kB, acc);
  store_depthwise_block<V>(acc, a.bias + c0, a.scales + c0, a.out, y + c0 * out_bytes, count);
}

template <class V, int kPairs>
void depthwise_rows_fixed(const DepthwiseConvArgs& a, int64_t row_begin, int64_t row_end) {
  constexpr int kB = V::kBytes;
  const int64_t taps = a.kernel_h * a.kernel_w, pairs = (taps + 1) / 2;
  const int64_t out_bytes = a.out.kind == OutputKind::kF32 ? 4 : 1;
  const uint8_t* tap_rows[kMaxDepthwiseTaps + 1];
  int64_t tap_offsets[kMaxDepthwiseTaps];  // from the window's top-left pixel, for windows inside the image
  for (int64_t kh = 0; kh < a.kernel_h; ++kh)
    for (int64_t kw = 0; kw < a.kernel_w; ++kw)
      tap_offsets[kh * a.kernel_w + kw] = (kh * a.dilation_h * a.in_w + kw * a.dilation_w) * a.channels;
  tap_rows[taps] = a.pad_row;
  alignas(64) uint8_t tail[kMaxDepthwiseTaps + 1][kB] = {};  // bytes past the channels meet zero weights
  // Output columns whose window lies inside the image horizontally: [ow_begin, ow_end).
  const int64_t span_w = (a.kernel_w - 1) * a.dilation_w;
  int64_t ow_begin = (a.pad_left + a.stride_w - 1) / a.stride_w;
  int64_t ow_end = a.in_w - span_w + a.pad_left > 0 ? (a.in_w - span_w + a.pad_left - 1) / a.stride_w + 1 : 0;
  ow_end = ow_end < a.out_w ? ow_end : a.out_w;
  ow_begin = ow_begin < ow_end ? ow_begin : ow_end;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t n = row / a.out_h, oh = row % a.out_h;
    const int64_t ih0 = oh * a.stride_h - a.pad_top;
    const bool row_inside = ih0 >= 0 && ih0 + (a.kernel_h - 1) * a.dilation_h < a.in_h;
    char* y_row = static_cast<char*>(a.y) + row * a.out_w * a.channels * out_bytes;
    for (int64_t ow = 0; ow < a.out_w; ++ow) {
      const int64_t iw0 = ow * a.stride_w - a.pad_left;
      if (row_inside && ow >= ow_begin && ow < ow_end) {
        const uint8_t* corner = a.x + ((n * a.in_h + ih0) * a.in_w + iw0) * a.channels;
        for (int64_t t = 0; t < taps; ++t) tap_rows[t] = corner + tap_offsets[t];
      } else {
        for (int64_t kh = 0; kh < a.kernel_h; ++kh) {
          const int64_t ih = ih0 + kh * a.dilation_h;
          for (int64_t kw = 0; kw < a.kernel_w; ++kw) {
            const int64_t iw = iw0 + kw * a.dilation_w;
            const bool inside = ih >= 0 && ih < a.in_h && iw >= 0 && iw < a.in_w;
            tap_rows[kh * a.kernel_w + kw] =
                inside ? a.x + ((n * a.in_h + ih) * a.in_w + iw) * a.channels : a.pad_row;
          }
        }
      }
      depthwise_pixel<V, kPairs>(a, tap_rows, pairs, y_row + ow * a.channels * out_bytes, out_bytes, tail);
    }
  }
}

template <class V>
void depthwise_rows(const DepthwiseConvArgs& a, int64_t row_begin, int64_t row_end) {
  switch ((a.kernel_h * a.kernel_w + 1) / 2) {
    case 5:  // 3x3
      return depthwise_rows_fixed<V, 5>(a, row_begin, row_end);
    case 13:  // 5x5
      return depthwise_rows_fixed<V, 13>(a, row_begin, row_end);
    default:
      return depthwise_rows_fixed<V, 0>(a, row_begin, row_end);
  }
}

}  // namespace
}  // namespace octet::x86
