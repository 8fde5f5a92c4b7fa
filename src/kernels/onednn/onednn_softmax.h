// Softmax and LogSoftmax (opset 13: along one axis, default -1) on oneDNN's softmax_v2 primitive, in the
// input's layout when oneDNN has an implementation for it, else plain.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_softmax(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
