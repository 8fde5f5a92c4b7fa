// Kernel factories for our own x86 int8 kernels (see depthwise_conv_u8s8.h, gemv_u8s8.h), for the plugin's
// implementation lists. Each accepts only the forms where it beats oneDNN 2.6 on AVX2 and says why not
// otherwise; the ISA is default_isa() (OCTET_X86_ISA forces one), and a CPU without AVX2 gets "no".
//
//   QLinearConv, depthwise: group == C == output channels, 2-d, u8 x, s8 weights (after their zero point),
//     kernel up to 7x7, no post-ops. Reads x and writes y as dnnl::memory::desc(dims, u8|s8, tag::nhwc).
//     Exec type jit_<isa>_dw_I8.
//   QLinearMatMul / QGemm with one row of A (batch-1 fully connected), u8 A, constant B. Plain layouts.
//     Exec type jit_<isa>_gemv_I8.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_x86_depthwise_qlinear_conv(const KernelRequest& request,
                                                              std::string& why_not);
std::optional<KernelChoice> create_x86_gemv_qlinear_matmul(const KernelRequest& request,
                                                           std::string& why_not);

}  // namespace octet::cpu
