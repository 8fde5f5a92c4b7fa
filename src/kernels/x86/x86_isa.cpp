#include "kernels/x86/x86_isa.h"

#include <cstdlib>

#include "octet/error.h"

namespace octet::x86 {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kReference:
      return "ref";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512Bw:
      return "avx512bw";
    case Isa::kAvx512Vnni:
      return "avx512vnni";
  }
  return "unknown";
}

std::optional<Isa> parse_isa(std::string_view name) {
  for (Isa isa : {Isa::kReference, Isa::kAvx2, Isa::kAvx512Bw, Isa::kAvx512Vnni})
    if (name == isa_name(isa)) return isa;
  return std::nullopt;
}

bool cpu_supports(Isa isa) {
  // __builtin_cpu_supports also checks that the OS saves the wider register state (XGETBV), so a kernel
  // that lacks AVX-512 state support reports no AVX-512.
  switch (isa) {
    case Isa::kReference:
      return true;
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::kAvx512Bw:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
    case Isa::kAvx512Vnni:
      // VL for the 256-bit VNNI depthwise kernel (every AVX-512 VNNI CPU has it).
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
  }
  return false;
}

bool byte_permutes_available(Isa isa) {
  return (isa == Isa::kAvx512Bw || isa == Isa::kAvx512Vnni) && cpu_supports(Isa::kAvx512Bw) &&
         __builtin_cpu_supports("avx512vbmi");
}

std::vector<Isa> available_isas() {
  std::vector<Isa> isas;
  for (Isa isa : {Isa::kReference, Isa::kAvx2, Isa::kAvx512Bw, Isa::kAvx512Vnni})
    if (cpu_supports(isa)) isas.push_back(isa);
  return isas;
}

namespace {

// OCTET_X86_ISA's value, or nullptr when it is unset or empty.
const char* forced_isa_name() {
  const char* forced = std::getenv("OCTET_X86_ISA");
  return forced && *forced ? forced : nullptr;
}

}  // namespace

bool isa_forced_by_environment() {
  return forced_isa_name() != nullptr;
}

Isa default_isa() {
  if (const char* forced = forced_isa_name()) {
    const std::optional<Isa> isa = parse_isa(forced);
    OCTET_CHECK(isa.has_value(), ErrorCode::kInvalidArgument, "OCTET_X86_ISA='", forced,
                "' is not one of ref, avx2, avx512bw, avx512vnni");
    OCTET_CHECK(cpu_supports(*isa), ErrorCode::kInvalidArgument, "OCTET_X86_ISA='", forced,
                "': this CPU cannot run that path");
    return *isa;
  }
  return available_isas().back();
}

}  // namespace octet::x86
