// Transpose as one oneDNN reorder: the output buffer (plain, permuted dims) is described as a tensor of the
// input's dims whose strides are the output's strides permuted back, so the reorder reads the input in any
// layout (blocked nChw8c included) and writes every element straight to its transposed place.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_transpose(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
