// Slice and Pad on plain tensors of any element type, as a copy driven by per-axis index maps
// (ops/axis_index_maps.h): the maps are built once at compile time, and an inference walks the output rows,
// copying contiguous runs with memcpy and filling padding with the constant (exec type "simple_FP32"). oneDNN
// has no Slice or Pad primitive; the reference kernels allocate and compute an offset per element, which
// costs 0.1-0.2 ms per node on CIFAR ResNets' 16x32x32 shortcuts.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_axis_map_copy_kernel(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
