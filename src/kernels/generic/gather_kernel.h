// Gather on plain tensors of any element type: out[o, j, i] = data[o, indices[j], i], with o over the axes
// before `axis` and i over those after it, as one memcpy of a whole inner slice per (o, j). The data is a
// runtime input or a constant (an embedding table); the indices are i32 or i64, runtime or constant, and are
// checked at every run before anything is copied: negative ones count from the end (ONNX), one out of range
// fails the request with the node's name (kInvalidArgument, as the reference op). Exec type
// "simple_<precision>". The reference kernel computes one source offset per element: NCF's four 256-row
// embedding lookups took 28-51 us each.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_gather_kernel(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
