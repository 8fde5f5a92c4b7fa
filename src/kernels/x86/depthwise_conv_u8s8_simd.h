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

// Requantizes (or dequantizes) four int32 accumulator vectors of one channel block (bias included) and
// writes `count` channels to y. acc[j] holds, in 128-bit lane L, channels 16L + 4j + 0..3.
template <class V>
inline void store_depthwise_block(const typename V::I (&acc)[4], const float* scales, const OutputStage& out,
                                  void* y, int64_t count) {
  constexpr int kB = V::kBytes, kLanes = kB / 4;
  typename V::F value[4];
  for (int j = 0; j < 4; ++j) value[j] = V::mul(V::cvt(acc[j]), V::loadf(scales + j * kLanes));
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
  if (out.saturate_in_integers) {
    const typename V::I zero = V::set32(static_cast<int32_t>(out.zero_point));
    for (int j = 0; j < 4; ++j) q[j] = V::add32(V::cvtt(V::round(value[j])), zero);
  } else {
    const typename V::F zero = V::setf(out.zero_point), lo = V::setf(out.min), hi = V::setf(out.max);
    for (int j = 0; j < 4; ++j) q[j] = V::cvtt(V::minf(V::maxf(V::addf(V::round(value[j]), zero), lo), hi));
  }
  // packs(acc0, acc1) puts channels 16L + 0..7 in lane L, packs(acc2, acc3) 16L + 8..15; the byte pack
  // then leaves channels 16L + 0..15 in lane L: natural order.
  const typename V::I p01 = V::packs32(q[0], q[1]), p23 = V::packs32(q[2], q[3]);
  const typename V::I bytes = out.kind == OutputKind::kU8 ? V::packus16(p01, p23) : V::packs16(p01, p23);
  if (count == kB) {
    V::store(y, bytes);
  } else if constexpr (V::kMaskedLoads) {
    V::store_masked(y, V::first_bytes(count), bytes);
  } else {
    alignas(64) uint8_t tmp[kB];
    V::store(tmp, bytes);
    std::memcpy(y, tmp, static_cast<size_t>(count));
  }
}

// Where one block's taps come from: tap t's kB bytes at taps[t] + offset (phantom taps point at pad_row).
template <class V>
struct TapPointers {
  const uint8_t* const* taps;
  int64_t offset;
  typename V::I load(int64_t t) const { return V::load(taps[t] + offset); }
};

// The taps of a partial last block on AVX-512: masked loads of its `count` channels (the masked-off bytes are
// neither read nor faulted on, and come in as zeros).
template <class V>
struct MaskedTapPointers {
  const uint8_t* const* taps;
  int64_t offset;
  typename V::Mask mask;
  typename V::I load(int64_t t) const { return V::load_masked(taps[t] + offset, mask); }
};

// A 3x3 window inside the image with dilation 1: three row pointers and the channel stride, so that each tap
// is an addressing mode ([row + channels * kw]) instead of a pointer the loop keeps in memory (the pointer
// moves and spills were about a quarter of perf's samples in the general loop). Taps 9 and up are phantoms:
// zeros.
template <class V>
struct Window3x3 {
  const uint8_t* row0;
  const uint8_t* row1;
  const uint8_t* row2;
  int64_t channels;
  typename V::I load(int64_t t) const {
    if (t >= 9) return V::zero();
    const uint8_t* row = t < 3 ? row0 : t < 6 ? row1 : row2;
    return V::load(row + (t % 3) * channels);
  }
};

// One block of kB channels at one output pixel, vpmaddubsw form (V::kGroupTaps == 2): taps.load(t) gives tap
// t's channels; the taps come in whole pairs (a phantom last tap meets zero weights). kGroups > 0 fixes the
// number of tap pairs at compile time (3x3: 5, 5x5: 13) so that the loops unroll; 0 reads it from
// `runtime_groups`. The accumulators come in holding the bias (depthwise_block).
template <class V, int kGroups, class Taps>
inline void depthwise_block_pairs(const Taps& taps, int64_t runtime_groups, const int8_t* w,
                                  typename V::I (&acc)[4]) {
  constexpr int kB = V::kBytes;
  using I = typename V::I;
  const int64_t pairs = kGroups > 0 ? kGroups : runtime_groups;
  const I part_weights = V::set32(0x00100001);  // int16 pairs (lo part, hi part) * (1, 16)
  for (int64_t p0 = 0; p0 < pairs; p0 += 8) {
    // Eight pairs at most per int16 accumulation: 8 * 4080 <= 32767.
    const int64_t p_end = pairs < p0 + 8 ? pairs : p0 + 8;
    I lo_hi = V::zero(), lo_lo = V::zero(), hi_hi = V::zero(), hi_lo = V::zero();
#pragma GCC unroll 8
    for (int64_t p = p0; p < p_end; ++p) {
      const I a = taps.load(2 * p), b = taps.load(2 * p + 1);
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

// The same block, VNNI form (V::kGroupTaps == 4): the bytes of four taps are interleaved so that each int32
// lane holds one channel's four taps, and vpdpbusd adds their four u8 x s8 products to the lane. Exact for
// any weights (no int16 stage), half the multiplies of the pair form. The unpacks leave acc[j] in the order
// store_depthwise_block expects: lane L of unpack{lo,hi}16(unpacklo8(a, b), unpacklo8(c, d)) holds channels
// 16L + 0..3 / 16L + 4..7, and of the unpackhi8 pair 16L + 8..11 / 16L + 12..15.
template <class V, int kGroups, class Taps>
inline void depthwise_block_quads(const Taps& taps, int64_t runtime_groups, const int8_t* w,
                                  typename V::I (&acc)[4]) {
  constexpr int kB = V::kBytes;
  using I = typename V::I;
  const int64_t quads = kGroups > 0 ? kGroups : runtime_groups;
#pragma GCC unroll 16
  for (int64_t q = 0; q < quads; ++q) {
    const I a = taps.load(4 * q), b = taps.load(4 * q + 1), c = taps.load(4 * q + 2),
            d = taps.load(4 * q + 3);
    const I ab_lo = V::unpacklo8(a, b), ab_hi = V::unpackhi8(a, b);
    const I cd_lo = V::unpacklo8(c, d), cd_hi = V::unpackhi8(c, d);
    const int8_t* wq = w + q * 4 * kB;
    acc[0] = V::dpbusd(acc[0], V::unpacklo16(ab_lo, cd_lo), V::load(wq));
    acc[1] = V::dpbusd(acc[1], V::unpackhi16(ab_lo, cd_lo), V::load(wq + kB));
    acc[2] = V::dpbusd(acc[2], V::unpacklo16(ab_hi, cd_hi), V::load(wq + 2 * kB));
    acc[3] = V::dpbusd(acc[3], V::unpackhi16(ab_hi, cd_hi), V::load(wq + 3 * kB));
  }
}

// One block's accumulators: the bias (in accumulator order) plus the taps, in the ISA's grouping.
template <class V, int kGroups, class Taps>
inline void depthwise_block(const Taps& taps, int64_t runtime_groups, const int8_t* w, const int32_t* bias,
                            typename V::I (&acc)[4]) {
  constexpr int kLanes = V::kBytes / 4;
  for (int j = 0; j < 4; ++j) acc[j] = V::load(bias + j * kLanes);
  if constexpr (V::kGroupTaps == 4)
    depthwise_block_quads<V, kGroups>(taps, runtime_groups, w, acc);
  else
    depthwise_block_pairs<V, kGroups>(taps, runtime_groups, w, acc);
}

// The whole channel blocks of one output pixel; taps_at(c0) gives the taps of the block at channel c0.
template <class V, int kGroups, class TapsAt>
inline void depthwise_full_blocks(const DepthwiseConvArgs& a, const TapsAt& taps_at, int64_t groups, char* y,
                                  int64_t out_bytes) {
  constexpr int kB = V::kBytes;
  const int64_t full_blocks = a.channels / kB;
  typename V::I acc[4];
  for (int64_t block = 0; block < full_blocks; ++block) {
    const int64_t c0 = block * kB;
    depthwise_block<V, kGroups>(taps_at(c0), groups, a.weights + block * groups * 4 * kB, a.bias + c0, acc);
    store_depthwise_block<V>(acc, a.scales + c0, a.out, y + c0 * out_bytes, kB);
  }
}

// The last, partial channel block of one output pixel (tap_rows set; phantoms point at pad_row): read with
// masked loads where the ISA has them, else its taps are copied so that the vector loads stay inside the
// input buffer (pad_row is padded to whole blocks). MobileNet v2's 56x56x144 layers, 2 threads: 149 and 44 us
// with the copies, 91 and 28 us with masked loads.
template <class V, int kGroups>
inline void depthwise_tail_block(const DepthwiseConvArgs& a, const uint8_t* const* tap_rows, int64_t groups,
                                 char* y, int64_t out_bytes, uint8_t (*tail)[V::kBytes]) {
  constexpr int kB = V::kBytes;
  const int64_t full_blocks = a.channels / kB, c0 = full_blocks * kB, count = a.channels - c0;
  typename V::I acc[4];
  const int8_t* w = a.weights + full_blocks * groups * 4 * kB;
  if constexpr (V::kMaskedLoads) {
    depthwise_block<V, kGroups>(MaskedTapPointers<V>{tap_rows, c0, V::first_bytes(count)}, groups, w,
                                a.bias + c0, acc);
    store_depthwise_block<V>(acc, a.scales + c0, a.out, y + c0 * out_bytes, count);
    return;
  }
  const uint8_t* tail_taps[kMaxDepthwiseTapSlots];
  for (int64_t t = 0; t < groups * V::kGroupTaps; ++t) {
    if (tap_rows[t] == a.pad_row) {
      tail_taps[t] = a.pad_row + c0;
    } else {
      std::memcpy(tail[t], tap_rows[t] + c0, static_cast<size_t>(count));
      tail_taps[t] = tail[t];
    }
  }
  depthwise_block<V, kGroups>(TapPointers<V>{tail_taps, 0}, groups, w, a.bias + c0, acc);
  store_depthwise_block<V>(acc, a.scales + c0, a.out, y + c0 * out_bytes, count);
}

template <class V, int kGroups>
void depthwise_rows_fixed(const DepthwiseConvArgs& a, int64_t row_begin, int64_t row_end) {
  constexpr int kB = V::kBytes, kG = V::kGroupTaps;
  const int64_t taps = a.kernel_h * a.kernel_w, groups = (taps + kG - 1) / kG;
  const int64_t out_bytes = a.out.kind == OutputKind::kF32 ? 4 : 1;
  const bool has_tail = a.channels % kB != 0;
  const bool window_3x3 = a.kernel_h == 3 && a.kernel_w == 3 && a.dilation_h == 1 && a.dilation_w == 1;
  const int64_t row_stride = a.in_w * a.channels;
  const uint8_t* tap_rows[kMaxDepthwiseTapSlots];
  int64_t tap_offsets[kMaxDepthwiseTaps];  // from the window's top-left pixel, for windows inside the image
  for (int64_t kh = 0; kh < a.kernel_h; ++kh)
    for (int64_t kw = 0; kw < a.kernel_w; ++kw)
      tap_offsets[kh * a.kernel_w + kw] = (kh * a.dilation_h * a.in_w + kw * a.dilation_w) * a.channels;
  for (int64_t t = taps; t < groups * kG; ++t) tap_rows[t] = a.pad_row;
  // Bytes past the channels meet zero weights; only a partial last block reads this.
  alignas(64) uint8_t tail[kMaxDepthwiseTapSlots][kB];
  if (has_tail && !V::kMaskedLoads) std::memset(tail, 0, sizeof(tail));
  // Output columns whose window lies inside the image horizontally: [ow_begin, ow_end).
  const int64_t span_w = (a.kernel_w - 1) * a.dilation_w;
  int64_t ow_begin = (a.pad_left + a.stride_w - 1) / a.stride_w;
  int64_t ow_end = a.in_w - span_w + a.pad_left > 0 ? (a.in_w - span_w + a.pad_left - 1) / a.stride_w + 1 : 0;
  ow_end = ow_end < a.out_w ? ow_end : a.out_w;
  ow_begin = ow_begin < ow_end ? ow_begin : ow_end;
  const auto taps_from_rows = [&](int64_t c0) { return TapPointers<V>{tap_rows, c0}; };
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t n = row / a.out_h, oh = row % a.out_h;
    const int64_t ih0 = oh * a.stride_h - a.pad_top;
    const bool row_inside = ih0 >= 0 && ih0 + (a.kernel_h - 1) * a.dilation_h < a.in_h;
    char* y_row = static_cast<char*>(a.y) + row * a.out_w * a.channels * out_bytes;
    for (int64_t ow = 0; ow < a.out_w; ++ow) {
      const int64_t iw0 = ow * a.stride_w - a.pad_left;
      char* y = y_row + ow * a.channels * out_bytes;
      if (row_inside && ow >= ow_begin && ow < ow_end) {
        const uint8_t* corner = a.x + ((n * a.in_h + ih0) * a.in_w + iw0) * a.channels;
        if (window_3x3) {
          const auto window_at = [&](int64_t c0) {
            return Window3x3<V>{corner + c0, corner + row_stride + c0, corner + 2 * row_stride + c0,
                                a.channels};
          };
          depthwise_full_blocks<V, kGroups>(a, window_at, groups, y, out_bytes);
          if (!has_tail) continue;
          for (int64_t t = 0; t < taps; ++t) tap_rows[t] = corner + tap_offsets[t];
        } else {
          for (int64_t t = 0; t < taps; ++t) tap_rows[t] = corner + tap_offsets[t];
          depthwise_full_blocks<V, kGroups>(a, taps_from_rows, groups, y, out_bytes);
        }
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
        depthwise_full_blocks<V, kGroups>(a, taps_from_rows, groups, y, out_bytes);
      }
      if (has_tail) depthwise_tail_block<V, kGroups>(a, tap_rows, groups, y, out_bytes, tail);
    }
  }
}

// 3x3 windows with dilation 1, VNNI column form (a.column_quads): a quad holds the three rows of one input
// column (its fourth byte meets a zero weight), so one interleaved column serves every output pixel whose
// window covers it. Along an output row with stride 1 each pixel interleaves one new column (8 unpacks)
// instead of its nine taps (24 unpacks in three quads), with stride 2 two columns. The weights come packed
// per column: group g = kw, byte k of a lane = tap (kh = k, kw = g).
template <class V>
struct ColumnQuad {
  typename V::I v[4];  // v[j] meets accumulator j's weights (the interleave depthwise_block_quads builds)
};

// The three input rows of one output row at one channel block; a row in the padding reads pad (x_zero).
// kMasked: a partial last block, read with masked loads (pad is padded to whole blocks and needs none).
template <class V, bool kMasked>
struct ColumnLoader {
  const uint8_t* rows[3];  // at the block's first channel, or nullptr in the padding
  const uint8_t* pad;
  int64_t in_w, channels;
  typename V::Mask mask;

  typename V::I load(int kh, int64_t iw) const {
    if (rows[kh] == nullptr || iw < 0 || iw >= in_w) return V::load(pad);
    if constexpr (kMasked) return V::load_masked(rows[kh] + iw * channels, mask);
    return V::load(rows[kh] + iw * channels);
  }
  ColumnQuad<V> column(int64_t iw) const {
    using I = typename V::I;
    const I a = load(0, iw), b = load(1, iw), c = load(2, iw), zero = V::zero();
    const I ab_lo = V::unpacklo8(a, b), ab_hi = V::unpackhi8(a, b);
    const I cz_lo = V::unpacklo8(c, zero), cz_hi = V::unpackhi8(c, zero);
    return {{V::unpacklo16(ab_lo, cz_lo), V::unpackhi16(ab_lo, cz_lo), V::unpacklo16(ab_hi, cz_hi),
             V::unpackhi16(ab_hi, cz_hi)}};
  }
};

// One output row of one channel block: out_w pixels, sliding the three interleaved columns along.
template <class V, int kStride, bool kMasked>
inline void depthwise_columns_block_row(const DepthwiseConvArgs& a, const ColumnLoader<V, kMasked>& columns,
                                        const int8_t* w, const int32_t* bias, const float* scales, char* y,
                                        int64_t count, int64_t out_bytes) {
  static_assert(kStride == 1 || kStride == 2);
  constexpr int kB = V::kBytes, kLanes = kB / 4;
  using I = typename V::I;
  I weights[3][4], bias_acc[4];
  for (int kw = 0; kw < 3; ++kw)
    for (int j = 0; j < 4; ++j) weights[kw][j] = V::load(w + (kw * 4 + j) * kB);
  for (int j = 0; j < 4; ++j) bias_acc[j] = V::load(bias + j * kLanes);
  const int64_t pixel_bytes = a.channels * out_bytes;
  int64_t iw = -a.pad_left;  // the window's first column
  ColumnQuad<V> left = columns.column(iw), middle = columns.column(iw + 1);
  for (int64_t ow = 0; ow < a.out_w; ++ow, iw += kStride) {
    const ColumnQuad<V> right = columns.column(iw + 2);
    I acc[4];
    for (int j = 0; j < 4; ++j) {
      acc[j] = V::dpbusd(bias_acc[j], left.v[j], weights[0][j]);
      acc[j] = V::dpbusd(acc[j], middle.v[j], weights[1][j]);
      acc[j] = V::dpbusd(acc[j], right.v[j], weights[2][j]);
    }
    store_depthwise_block<V>(acc, scales, a.out, y + ow * pixel_bytes, count);
    if constexpr (kStride == 1) {
      left = middle;
      middle = right;
    } else {
      left = right;
      middle = columns.column(iw + 3);
    }
  }
}

template <class V, bool kMasked>
inline void depthwise_columns_block(const DepthwiseConvArgs& a, ColumnLoader<V, kMasked>& columns,
                                    const uint8_t* const (&rows)[3], int64_t block, char* y_row,
                                    int64_t out_bytes) {
  constexpr int kB = V::kBytes;
  const int64_t c0 = block * kB, count = a.channels - c0 < kB ? a.channels - c0 : kB;
  for (int kh = 0; kh < 3; ++kh) columns.rows[kh] = rows[kh] ? rows[kh] + c0 : nullptr;
  columns.pad = a.pad_row + c0;
  const int8_t* w = a.weights + block * 3 * 4 * kB;
  char* y = y_row + c0 * out_bytes;
  if (a.stride_w == 1)
    depthwise_columns_block_row<V, 1>(a, columns, w, a.bias + c0, a.scales + c0, y, count, out_bytes);
  else
    depthwise_columns_block_row<V, 2>(a, columns, w, a.bias + c0, a.scales + c0, y, count, out_bytes);
}

// Items [item_begin, item_end) of the column form: item = output row * channel blocks + block, so that the
// threads can split a small image's rows further (MobileNet v2's 7x7x960 layers: 7 rows, 105 items).
template <class V>
void depthwise_items_columns(const DepthwiseConvArgs& a, int64_t item_begin, int64_t item_end) {
  constexpr int kB = V::kBytes;
  const int64_t out_bytes = a.out.kind == OutputKind::kF32 ? 4 : 1;
  const int64_t blocks = (a.channels + kB - 1) / kB, full_blocks = a.channels / kB;
  const int64_t row_stride = a.in_w * a.channels;
  ColumnLoader<V, false> full{{}, nullptr, a.in_w, a.channels, {}};
  ColumnLoader<V, true> tail{{}, nullptr, a.in_w, a.channels, V::first_bytes(a.channels - full_blocks * kB)};
  for (int64_t item = item_begin; item < item_end; ++item) {
    const int64_t row = item / blocks, block = item % blocks;
    const int64_t n = row / a.out_h, oh = row % a.out_h;
    const int64_t ih0 = oh * a.stride_h - a.pad_top;
    const uint8_t* rows[3];
    for (int kh = 0; kh < 3; ++kh) {
      const int64_t ih = ih0 + kh;
      rows[kh] = ih >= 0 && ih < a.in_h ? a.x + (n * a.in_h + ih) * row_stride : nullptr;
    }
    char* y_row = static_cast<char*>(a.y) + row * a.out_w * a.channels * out_bytes;
    if (block < full_blocks)
      depthwise_columns_block<V>(a, full, rows, block, y_row, out_bytes);
    else
      depthwise_columns_block<V>(a, tail, rows, block, y_row, out_bytes);
  }
}

template <class V>
void depthwise_rows(const DepthwiseConvArgs& a, int64_t row_begin, int64_t row_end) {
  if constexpr (V::kGroupTaps == 4) {
    // The range then counts (row, channel block) items.
    if (a.column_quads) return depthwise_items_columns<V>(a, row_begin, row_end);
  }
  // The common kernels get a compile-time group count: 3x3 (5 pairs or 3 quads) and 5x5 (13 or 7).
  constexpr int kG = V::kGroupTaps;
  switch ((a.kernel_h * a.kernel_w + kG - 1) / kG) {
    case (9 + kG - 1) / kG:
      return depthwise_rows_fixed<V, (9 + kG - 1) / kG>(a, row_begin, row_end);
    case (25 + kG - 1) / kG:
      return depthwise_rows_fixed<V, (25 + kG - 1) / kG>(a, row_begin, row_end);
    default:
      return depthwise_rows_fixed<V, 0>(a, row_begin, row_end);
  }
}

}  // namespace
}  // namespace octet::x86
