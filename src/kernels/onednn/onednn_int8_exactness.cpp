#include "kernels/onednn/onednn_int8_exactness.h"

#include <cstdlib>
#include <dnnl.hpp>

namespace octet::cpu {

int max_pair_sum(std::span<const int8_t> w, int64_t lines, int64_t line_stride, int64_t offsets,
                 int64_t length, int64_t step) {
  int worst = 0;
  for (int64_t l = 0; l < lines; ++l) {
    for (int64_t o = 0; o < offsets; ++o) {
      const int8_t* line = w.data() + l * line_stride + o;
      for (int64_t j = 0; j < length; j += 2) {
        const int second = j + 1 < length ? std::abs(static_cast<int>(line[(j + 1) * step])) : 0;
        const int sum = std::abs(static_cast<int>(line[j * step])) + second;
        if (sum > worst) worst = sum;
      }
    }
  }
  return worst;
}

bool onednn_int8_has_vnni() {
  using isa = dnnl::cpu_isa;
  const isa cpu = dnnl::get_effective_cpu_isa();
  return cpu == isa::avx2_vnni || cpu == isa::avx512_core_vnni || cpu == isa::avx512_core_bf16 ||
         cpu == isa::avx512_core_amx;
}

bool pair_sum_fits_i16(int max_pair) {
  return onednn_int8_has_vnni() || max_pair * 255 <= 32767;
}

}  // namespace octet::cpu
