#include "kernels/x86/x86_isa_choice.h"

#include "octet/error.h"

namespace octet::x86 {

std::optional<Isa> vector_isa_for_plugin(std::string& why_not) {
  Isa isa = Isa::kReference;
  try {
    isa = default_isa();
  } catch (const Error& e) {
    why_not = e.what();
    return std::nullopt;
  }
  if (isa == Isa::kReference) {
    why_not = "no vector path (the CPU lacks AVX2, or OCTET_X86_ISA=ref)";
    return std::nullopt;
  }
  return isa;
}

std::string x86_exec_type(Isa isa, const char* algorithm) {
  return std::string(isa == Isa::kReference ? "ref" : "jit_") +
         (isa == Isa::kReference ? "" : isa_name(isa)) + "_" + algorithm + "_I8";
}

}  // namespace octet::x86
