// The AVX-512 instantiations of the int8 row kernels: the AVX2 algorithms on 512-bit vectors (AVX-512 F+BW),
// and a VNNI variant whose int16 pair dot products use the fused vpdpwssd. This CPU may not run them; they
// are compiled for their ISA and selected only when cpu_supports() says so.
// GCC 12 reports its own _mm512_undefined_ps() (a deliberate self-initialization in avx512fintrin.h) as
// (maybe-)uninitialized once the intrinsics are inlined here; the pragma must precede the header's lines.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/x86/int8_kernel_args.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")

#include "kernels/x86/depthwise_conv_u8s8_simd.h"
#include "kernels/x86/gemv_u8s8_simd.h"
#include "kernels/x86/vector_traits_256.h"

namespace octet::x86 {
namespace {

struct Avx512Bw {
  using I = __m512i;
  using F = __m512;
  static constexpr int kBytes = 64;
  static constexpr int kLanes = 16;
  static constexpr int kGroupTaps = 2;
  static constexpr bool kMaskedLoads = true;
  using Mask = __mmask64;
  static Mask first_bytes(int64_t count) { return count >= 64 ? ~Mask{0} : (Mask{1} << count) - 1; }
  static I load_masked(const void* p, Mask m) { return _mm512_maskz_loadu_epi8(m, p); }
  static void store_masked(void* p, Mask m, I v) { _mm512_mask_storeu_epi8(p, m, v); }
  static I zero() { return _mm512_setzero_si512(); }
  static I load(const void* p) { return _mm512_loadu_si512(p); }
  static void store(void* p, I v) { _mm512_storeu_si512(p, v); }
  static I set32(int32_t v) { return _mm512_set1_epi32(v); }
  static I unpacklo8(I a, I b) { return _mm512_unpacklo_epi8(a, b); }
  static I unpackhi8(I a, I b) { return _mm512_unpackhi_epi8(a, b); }
  static I unpacklo16(I a, I b) { return _mm512_unpacklo_epi16(a, b); }
  static I unpackhi16(I a, I b) { return _mm512_unpackhi_epi16(a, b); }
  static I maddubs(I u8, I s8) { return _mm512_maddubs_epi16(u8, s8); }
  static I add16(I a, I b) { return _mm512_add_epi16(a, b); }
  static I add32(I a, I b) { return _mm512_add_epi32(a, b); }
  static I madd_add(I acc, I a, I b) { return _mm512_add_epi32(acc, _mm512_madd_epi16(a, b)); }
  static I widen_s8(const int8_t* p) {
    return _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static I packs32(I a, I b) { return _mm512_packs_epi32(a, b); }
  static I packus16(I a, I b) { return _mm512_packus_epi16(a, b); }
  static I packs16(I a, I b) { return _mm512_packs_epi16(a, b); }
  static F cvt(I v) { return _mm512_cvtepi32_ps(v); }
  static I cvtt(F v) { return _mm512_cvttps_epi32(v); }
  static F loadf(const float* p) { return _mm512_loadu_ps(p); }
  static void storef(float* p, F v) { _mm512_storeu_ps(p, v); }
  static F setf(float v) { return _mm512_set1_ps(v); }
  static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static F addf(F a, F b) { return _mm512_add_ps(a, b); }
  static F minf(F a, F b) { return _mm512_min_ps(a, b); }
  static F maxf(F a, F b) { return _mm512_max_ps(a, b); }
  static F round(F v) { return _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
};

// VNNI: the gemv's int16 pair products fuse into vpdpwssd; the depthwise kernel takes quads of taps with
// vpdpbusd (kGroupTaps, see depthwise_conv_u8s8_simd.h).
struct Avx512Vnni : Avx512Bw {
  static constexpr int kGroupTaps = 4;
  static I madd_add(I acc, I a, I b) { return _mm512_dpwssd_epi32(acc, a, b); }
  static I dpbusd(I acc, I u8, I s8) { return _mm512_dpbusd_epi32(acc, u8, s8); }
};

// The VNNI depthwise algorithm on 256-bit vectors (EVEX-encoded through AVX-512 VL).
struct Avx512VnniYmm : Vec256 {
  static constexpr int kGroupTaps = 4;
  static constexpr bool kMaskedLoads = true;
  using Mask = __mmask32;
  static Mask first_bytes(int64_t count) { return count >= 32 ? ~Mask{0} : (Mask{1} << count) - 1; }
  static I load_masked(const void* p, Mask m) { return _mm256_maskz_loadu_epi8(m, p); }
  static void store_masked(void* p, Mask m, I v) { _mm256_mask_storeu_epi8(p, m, v); }
  static I dpbusd(I acc, I u8, I s8) { return _mm256_dpbusd_epi32(acc, u8, s8); }
};

}  // namespace

void depthwise_conv_u8s8_rows_avx512bw(const DepthwiseConvArgs& args, int64_t row_begin, int64_t row_end) {
  depthwise_rows<Avx512Bw>(args, row_begin, row_end);
}

void depthwise_conv_u8s8_rows_avx512vnni(const DepthwiseConvArgs& args, int64_t row_begin, int64_t row_end) {
  depthwise_rows<Avx512Vnni>(args, row_begin, row_end);
}

void depthwise_conv_u8s8_rows_avx512vnni_ymm(const DepthwiseConvArgs& args, int64_t row_begin,
                                             int64_t row_end) {
  depthwise_rows<Avx512VnniYmm>(args, row_begin, row_end);
}

void gemv_u8s8_groups_avx512bw(const GemvArgs& args, int64_t group_begin, int64_t group_end) {
  gemv_groups<Avx512Bw>(args, group_begin, group_end);
}

void gemv_u8s8_groups_avx512vnni(const GemvArgs& args, int64_t group_begin, int64_t group_end) {
  gemv_groups<Avx512Vnni>(args, group_begin, group_end);
}

}  // namespace octet::x86

#pragma GCC pop_options
#pragma GCC diagnostic pop
