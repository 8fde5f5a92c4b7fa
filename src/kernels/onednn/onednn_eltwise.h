// Standalone activations (Relu, LeakyRelu, Sigmoid, Tanh, Elu, HardSwish, Exp, Abs, Clip with constant
// limits, Sqrt, Log, Softplus, Neg, Reciprocal, Round) on oneDNN's eltwise primitive, in whatever layout the
// input already has (elementwise math does not care), writing in place when the planner allows. Activations
// that follow a convolution never get here: they are fused into it as post-ops.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_eltwise(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
