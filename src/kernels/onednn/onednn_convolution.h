// Conv on oneDNN's convolution primitive (forward inference, direct algorithm): weights reordered once into
// the layout the primitive picked, bias and post-ops (activations, residual sum) fused, src/dst layouts left
// to oneDNN (channel-blocked nChw8c on AVX2, plain for 3-channel stems).
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_convolution(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
