// QLinearGlobalAveragePool (com.microsoft) on u8/i8, as a loop of ours: the int32 sum of x - x_zp over each
// channel's spatial positions requantized with x_scale / (y_scale * n), exactly the op's formula (bit-exact).
// Reads plain NCHW, or channels-last memory (channels_last=1, or an NCHW tensor a oneDNN int8 kernel wrote in
// nhwc) without a reorder: there the channel sums are vectorizable adds of consecutive bytes.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_qlinear_global_average_pool(const KernelRequest& request,
                                                                    std::string& why_not);

}  // namespace octet::cpu
