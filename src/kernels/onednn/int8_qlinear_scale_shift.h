// QLinearScaleShift (ops/qlinear_scale_shift.cpp) on u8/i8, as a loop of ours: per element one float multiply
// and add with its channel's coefficients, rounded and saturated as the reference does
// (scale_shift_value_vectorizable, equal to the reference's scale_shift_value for finite coefficients):
// bit-exact. Reads plain NCHW or channels-last memory (what oneDNN's int8 convolutions and our int8 loops
// write) and writes the output in the input's layout, so a BatchNorm between two quantized layers costs one
// pass over the tensor instead of DequantizeLinear, Mul, Add, QuantizeLinear and the reorders between them.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_qlinear_scale_shift(const KernelRequest& request,
                                                            std::string& why_not);

}  // namespace octet::cpu
