// Which x86 instruction-set path our own int8 kernels run on. Chosen in one place: the kernels are created
// with an Isa and never look at CPUID themselves. The reference path (plain C++) is the oracle every vector
// path must match bit for bit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace octet::x86 {

enum class Isa {
  kReference,   // plain C++
  kAvx2,        // AVX2 (+FMA): 256-bit vpmaddubsw / vpmaddwd
  kAvx512Bw,    // AVX-512 F+BW: the AVX2 algorithms on 512-bit vectors
  kAvx512Vnni,  // AVX-512 F+BW+VL+VNNI: fused dot products (vpdpwssd, vpdpbusd)
};

const char* isa_name(Isa isa);  // "ref", "avx2", "avx512bw", "avx512vnni" (also the exec-type prefix part)
std::optional<Isa> parse_isa(std::string_view name);

// Whether this CPU (and OS, for the AVX-512 register state) can run a path.
bool cpu_supports(Isa isa);
// Whether an AVX-512 path (`isa`) may also use AVX-512 VBMI's byte permutes (vpermt2b): 64 lookups of a
// 128-byte table per instruction. Not part of any Isa level (Cascade Lake has VNNI but no VBMI), so the
// byte-table loops ask for it separately; false for the reference and AVX2 paths, so forcing those still
// runs their own code.
bool byte_permutes_available(Isa isa);
// Every path this CPU can run, reference first.
std::vector<Isa> available_isas();

// The path kernels use unless told otherwise: OCTET_X86_ISA=<name> when set (throws kInvalidArgument if the
// name is unknown or this CPU cannot run it), else the best path this CPU has.
Isa default_isa();
// Whether OCTET_X86_ISA names the path (then kernels keep it rather than pick a narrower one that is faster).
bool isa_forced_by_environment();

}  // namespace octet::x86
