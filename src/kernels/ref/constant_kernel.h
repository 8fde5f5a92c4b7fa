// Writes a constant into its buffer (a graph output that constant folding turned into a constant).
#pragma once

#include <memory>

#include "cpu/kernel.h"
#include "octet/tensor.h"

namespace octet::cpu {

std::shared_ptr<const Kernel> make_constant_kernel(const Tensor& value);

}  // namespace octet::cpu
