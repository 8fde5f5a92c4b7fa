// Compiles a plain C++ loop for the instruction set a kernel was created with: run_for_isa(isa, body) calls
// `body` from a function built for AVX-512 (F, BW, VL), AVX2 or the baseline target. `body` must be a lambda
// marked [[gnu::always_inline]], so that GCC inlines it there and vectorizes its loops with that target's
// registers. For the int8 loop kernels whose per-element arithmetic is plain C++ shared with the reference
// ops (quantization_math.h): with the baseline SSE2 only, the u8 <-> f32 conversions cost most of the time.
// Files using it should be compiled with -ffp-contract=off, so that no multiply and add fuse where the
// reference rounds twice. Unlike OCTET_TARGET_CLONES_AVX2 (kernels/target_clones.h: AVX2 or baseline, picked
// by the loader), the path is the kernel's Isa, so OCTET_X86_ISA and the tests can force each one.
#pragma once

#include "kernels/x86/x86_isa.h"

namespace octet::x86 {

template <typename Body>
[[gnu::target("avx512f,avx512bw,avx512vl")]] void run_avx512(const Body& body) {
  body();
}

template <typename Body>
[[gnu::target("avx2")]] void run_avx2(const Body& body) {
  body();
}

template <typename Body>
void run_for_isa(Isa isa, const Body& body) {
  switch (isa) {
    case Isa::kAvx512Bw:
    case Isa::kAvx512Vnni:
      run_avx512(body);
      return;
    case Isa::kAvx2:
      run_avx2(body);
      return;
    case Isa::kReference:
      break;
  }
  body();
}

}  // namespace octet::x86
