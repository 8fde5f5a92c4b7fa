// The GEMV column-group kernel, written once over a vector-traits type V and instantiated by each ISA file
// under its own #pragma GCC target (internal linkage; see depthwise_conv_u8s8_simd.h for why).
#pragma once

#include <cstdint>

#include "kernels/x86/int8_kernel_args.h"

namespace octet::x86 {
namespace {  // NOLINT(build/namespaces): per-ISA instantiations must stay internal

// One group = kGemvBlocksPerGroup vectors of V::kLanes int32 columns. Per pair of rows the packed B holds,
// for each column of the group, (b[2p][n], b[2p + 1][n]) as two s8: widened to int16 they meet the
// broadcast (a[2p], a[2p + 1]) in vpmaddwd, which is exact (no int16 saturation anywhere).
template <class V>
void gemv_groups(const GemvArgs& g, int64_t group_begin, int64_t group_end) {
  using I = typename V::I;
  constexpr int kLanes = V::kLanes;
  constexpr int64_t kGroupCols = kGemvBlocksPerGroup * kLanes;
  constexpr int64_t kStep = kGroupCols * 2;  // bytes of B per pair of rows
  for (int64_t group = group_begin; group < group_end; ++group) {
    const int8_t* b = g.b + group * g.k_pairs * kStep;
    I acc0 = V::zero(), acc1 = V::zero(), acc2 = V::zero(), acc3 = V::zero();
    for (int64_t p = 0; p < g.k_pairs; ++p, b += kStep) {
      const I a = V::set32(g.a_pairs[p]);
      acc0 = V::madd_add(acc0, a, V::widen_s8(b));
      acc1 = V::madd_add(acc1, a, V::widen_s8(b + 2 * kLanes));
      acc2 = V::madd_add(acc2, a, V::widen_s8(b + 4 * kLanes));
      acc3 = V::madd_add(acc3, a, V::widen_s8(b + 6 * kLanes));
    }
    const I acc[4] = {acc0, acc1, acc2, acc3};
    for (int j = 0; j < 4; ++j) {
      const int64_t n0 = group * kGroupCols + j * kLanes;
      if (n0 >= g.n) break;
      const int64_t count = g.n - n0 < kLanes ? g.n - n0 : kLanes;
      const typename V::F value =
          V::mul(V::cvt(V::add32(acc[j], V::load(g.bias + n0))), V::loadf(g.scales + n0));
      if (g.out.kind == OutputKind::kF32) {
        alignas(64) float tmp[kLanes];
        V::storef(tmp, value);
        float* y = static_cast<float*>(g.y) + n0;
        for (int64_t i = 0; i < count; ++i) y[i] = tmp[i];
        continue;
      }
      alignas(64) int32_t tmp[kLanes];
      V::store(tmp, V::cvtt(V::minf(
                        V::maxf(V::addf(V::round(value), V::setf(g.out.zero_point)), V::setf(g.out.min)),
                        V::setf(g.out.max))));
      if (g.out.kind == OutputKind::kU8) {
        uint8_t* y = static_cast<uint8_t*>(g.y) + n0;
        for (int64_t i = 0; i < count; ++i) y[i] = static_cast<uint8_t>(tmp[i]);
      } else {
        int8_t* y = static_cast<int8_t*>(g.y) + n0;
        for (int64_t i = 0; i < count; ++i) y[i] = static_cast<int8_t>(tmp[i]);
      }
    }
  }
}

}  // namespace
}  // namespace octet::x86
