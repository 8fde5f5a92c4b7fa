// Add, Sub, Mul, Div, Max, Min (two inputs) on oneDNN's binary primitive with numpy broadcasting in the form
// oneDNN has: the first source has the output's dims, the second has each dim equal or 1 (per-channel
// [1,C,1,1], scalar, per-row ...). Same-dims operands are read in the first input's layout (so a blocked
// nChw8c tensor needs no reorder); broadcast operands in plain layout; a constant operand is converted once
// at compile time. A constant or broadcast first input is swapped to second place for the commutative ops
// only.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_binary(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
