// Reshape, Flatten, Squeeze, Unsqueeze, Identity and Dropout (inference) change only the dims, not the
// row-major order of the elements: a copy of the plain input into the plain output, of any element type
// (exec type "copy_FP32", "copy_I64", ...). The planner may give the output the input's memory when the input
// dies here, and then the copy does nothing.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_copy_kernel(const KernelRequest& request, std::string& why_not);

// A kernel that copies `bytes` from its input to its output (nothing when they share memory); also what
// make_reorder_kernel uses between plain buffers of types oneDNN has no descriptor for (i64, bool, scalars).
std::shared_ptr<const Kernel> make_byte_copy_kernel(size_t bytes, ElementType type);

}  // namespace octet::cpu
