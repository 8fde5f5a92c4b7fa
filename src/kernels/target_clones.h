// OCTET_TARGET_CLONES_AVX2: compile a function twice, for AVX2 and the baseline, and pick one at load time
// (GCC's target_clones), for plain loops that the compiler vectorizes well.
//
// Under ThreadSanitizer the attribute is left out: the ifunc resolvers GCC generates for it run during
// dynamic relocation, before the TSan runtime is initialized, and crash in their instrumentation (the binary
// died with SIGSEGV before main; scripts/tsan.sh). The baseline clone is what runs there.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define OCTET_TARGET_CLONES_AVX2
#else
#define OCTET_TARGET_CLONES_AVX2 __attribute__((target_clones("avx2", "default")))
#endif
