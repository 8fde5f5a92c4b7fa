// QLinearConcat (com.microsoft) on u8/i8 tensors, as a loop of ours: each input's rows are copied into the
// output (memcpy when its scale and zero point are Y's) or requantized through a 256-entry table built with
// the op's own formula saturate(round_half_to_even(x_scale * (x - x_zp) / Y_scale) + Y_zp), so the result is
// bit-exact. (oneDNN's concat cannot requantize, and a requantizing reorder per input plus a concat would
// read and write the data twice.)
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_qlinear_concat(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
