// QLinearAdd and QLinearMul (com.microsoft) on u8/i8 tensors with numpy broadcasting, as a loop of ours:
// oneDNN 2.6's binary primitive has per-argument scales but no zero points, and folding the zero points into
// an eltwise post-op changes the order of the float operations. This loop computes exactly the op's formula
//   c = saturate(round_half_to_even((A_scale * (A - A_zp) op B_scale * (B - B_zp)) / C_scale) + C_zp)
// with the dequantized values read from a 256-entry table per operand (built with the same float operations),
// so the result is bit-exact against the reference. Either operand may be a constant.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_qlinear_binary(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
