// When oneDNN's int8 kernels give the exact integers on an AVX2 machine without VNNI.
//
// Without VNNI, oneDNN's AVX2 int8 convolution / inner product / matmul kernels multiply u8 sources by s8
// weights with vpmaddubsw, which adds each pair of adjacent products into a *saturating* i16, before widening
// to i32 (vpmaddwd). s8 sources are shifted to u8 (+128, compensated later), so a source value is at most 255
// either way, and the pair sum cannot saturate when (|w0| + |w1|) * 255 <= 32767, i.e. |w0| + |w1| <= 128.
// The pairs are adjacent elements along the reduction axis as the kernel packs it: input channels at one
// kernel tap for the direct convolutions, the flattened (channel, tap) row for the gemm-based ones, and K for
// matmul. A layer whose weights break that bound is rejected (its node goes to another kernel) rather than
// risking a saturated, wrong result: see docs/int8.md ("Saturation").
#pragma once

#include <cstdint>
#include <span>

namespace octet::cpu {

// The largest |w[a]| + |w[a + step]| over the pairs (2j, 2j+1) of each line: line l has `length` elements
// starting at w[l * line_stride + offset] for every offset in [0, offsets) and `step` apart.
int max_pair_sum(std::span<const int8_t> w, int64_t lines, int64_t line_stride, int64_t offsets,
                 int64_t length, int64_t step);

// Whether oneDNN's int8 kernels run with VNNI here (vpdpbusd accumulates the four products of a group in i32
// without an i16 step, so nothing saturates). Follows oneDNN's effective ISA, so ONEDNN_MAX_CPU_ISA=AVX2 on
// an AVX-512 VNNI machine gives the AVX2 answer (scripts/test.sh runs the suite both ways).
bool onednn_int8_has_vnni();

// True when no pair can saturate: (|w0| + |w1|) * 255 <= 32767, or onednn_int8_has_vnni().
bool pair_sum_fits_i16(int max_pair);

}  // namespace octet::cpu
