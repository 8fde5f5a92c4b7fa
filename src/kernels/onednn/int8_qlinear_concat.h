// QLinearConcat (com.microsoft) on u8/i8 tensors, as a loop of ours: each input's rows are copied into the
// output (when its scale and zero point are Y's) or requantized with the op's own formula
// saturate(round_half_to_even(x_scale * (x - x_zp) / Y_scale) + Y_zp) in a loop vectorized for the CPU's
// instruction set (rescale_value_vectorizable), so the result is bit-exact. (oneDNN's concat cannot
// requantize, and a requantizing reorder per input plus a concat would read and write the data twice.) Plain
// memory, or channels-last when the channel axis is concatenated and an input arrives channels-last (as int8
// convolutions write it): then each position's channel rows are joined and the output stays channels-last, so
// DenseNet's growing concatenations need no reorders.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_qlinear_concat(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
