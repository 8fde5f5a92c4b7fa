// BatchNormalization (inference, constant scale / B / mean / var) on oneDNN's batch normalization primitive
// with global statistics, in the input's layout when oneDNN takes it. Most batch norms are folded into the
// preceding convolution by the graph passes; this runs the ones that are left (after a Concat, an Add, ...).
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_batch_norm(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
