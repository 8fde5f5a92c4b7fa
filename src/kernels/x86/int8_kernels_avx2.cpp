// The AVX2 instantiations of the int8 row kernels. Everything after the pragma is compiled for AVX2+FMA;
// it runs only when cpu_supports(Isa::kAvx2) (the dispatch in depthwise_conv_u8s8.cpp / gemv_u8s8.cpp).
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/x86/int8_kernel_args.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

#include "kernels/x86/depthwise_conv_u8s8_simd.h"
#include "kernels/x86/gemv_u8s8_simd.h"
#include "kernels/x86/vector_traits_256.h"

namespace octet::x86 {
namespace {

struct Avx2 : Vec256 {
  static constexpr int kGroupTaps = 2;
  static constexpr bool kMaskedLoads = false;  // no byte-masked loads: partial blocks are copied
};

}  // namespace

void depthwise_conv_u8s8_rows_avx2(const DepthwiseConvArgs& args, int64_t row_begin, int64_t row_end) {
  depthwise_rows<Avx2>(args, row_begin, row_end);
}

void gemv_u8s8_groups_avx2(const GemvArgs& args, int64_t group_begin, int64_t group_end) {
  gemv_groups<Avx2>(args, group_begin, group_end);
}

}  // namespace octet::x86

#pragma GCC pop_options
