// QLinearAveragePool (com.microsoft) on u8/i8, as a loop of ours (oneDNN's int8 average pooling has no
// requantization to another scale). Each output position's taps and divisor come from the same
// AveragePoolWindows as the reference evaluator, and the int32 sum of x - x_zp is requantized with the same
// float formula, so the output is bit-exact. Reads plain NCHW, or channels-last memory (channels_last=1, or
// an NCHW tensor a oneDNN int8 kernel wrote in nhwc) without a reorder: there a tap adds a row of consecutive
// channel bytes, which vectorizes. Output positions are split over the OpenMP team.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_qlinear_average_pool(const KernelRequest& request,
                                                             std::string& why_not);

}  // namespace octet::cpu
