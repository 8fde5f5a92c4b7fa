// The 256-bit integer and float operations the int8 row kernels are written with (depthwise_conv_u8s8_simd.h,
// gemv_u8s8_simd.h), shared by the AVX2 file and the AVX-512 file's 256-bit VNNI kernel. Only ISA files
// include this, after their target pragma; everything here has internal linkage (see
// depthwise_conv_u8s8_simd.h).
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace octet::x86 {
namespace {  // NOLINT(build/namespaces): per-ISA instantiations must stay internal

struct Vec256 {
  using I = __m256i;
  using F = __m256;
  static constexpr int kBytes = 32;
  static constexpr int kLanes = 8;
  static I zero() { return _mm256_setzero_si256(); }
  static I load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
  static void store(void* p, I v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
  static I set32(int32_t v) { return _mm256_set1_epi32(v); }
  static I unpacklo8(I a, I b) { return _mm256_unpacklo_epi8(a, b); }
  static I unpackhi8(I a, I b) { return _mm256_unpackhi_epi8(a, b); }
  static I unpacklo16(I a, I b) { return _mm256_unpacklo_epi16(a, b); }
  static I unpackhi16(I a, I b) { return _mm256_unpackhi_epi16(a, b); }
  static I maddubs(I u8, I s8) { return _mm256_maddubs_epi16(u8, s8); }
  static I add16(I a, I b) { return _mm256_add_epi16(a, b); }
  static I add32(I a, I b) { return _mm256_add_epi32(a, b); }
  static I madd_add(I acc, I a, I b) { return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b)); }
  static I widen_s8(const int8_t* p) {
    return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static I packs32(I a, I b) { return _mm256_packs_epi32(a, b); }
  static I packus16(I a, I b) { return _mm256_packus_epi16(a, b); }
  static I packs16(I a, I b) { return _mm256_packs_epi16(a, b); }
  static F cvt(I v) { return _mm256_cvtepi32_ps(v); }
  static I cvtt(F v) { return _mm256_cvttps_epi32(v); }
  static F loadf(const float* p) { return _mm256_loadu_ps(p); }
  static void storef(float* p, F v) { _mm256_storeu_ps(p, v); }
  static F setf(float v) { return _mm256_set1_ps(v); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static F addf(F a, F b) { return _mm256_add_ps(a, b); }
  static F minf(F a, F b) { return _mm256_min_ps(a, b); }
  static F maxf(F a, F b) { return _mm256_max_ps(a, b); }
  // Ties to even, independent of MXCSR: as octet::round_half_to_even.
  static F round(F v) { return _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
};

}  // namespace
}  // namespace octet::x86
