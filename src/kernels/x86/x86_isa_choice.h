// The ISA the plugin's x86 int8 factories create kernels for, as a "why not" when there is no vector path.
#pragma once

#include <optional>
#include <string>

#include "kernels/x86/x86_isa.h"

namespace octet::x86 {

// default_isa() unless it is the reference path (no AVX2, or OCTET_X86_ISA=ref) or OCTET_X86_ISA is invalid;
// then nullopt and why_not says which.
std::optional<Isa> vector_isa_for_plugin(std::string& why_not);

// "jit_avx2_dw_I8" for (kAvx2, "dw").
std::string x86_exec_type(Isa isa, const char* algorithm);

}  // namespace octet::x86
