// ConvTranspose on oneDNN's deconvolution primitive (forward inference, direct algorithm). ONNX weights
// [C, M/group, k...] are read through a permuted descriptor (iohw / giohw) and reordered once into the layout
// the primitive picked; bias and post-ops fused, src/dst layouts left to oneDNN as for Conv.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_deconvolution(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
