// LRN (ONNX: across channels) on oneDNN's lrn primitive, in the input's layout when oneDNN takes it. ONNX and
// oneDNN agree on alpha (both divide it by size) and on the window for odd sizes; for an even size ONNX puts
// the extra channel above the centre while oneDNN's window stays symmetric, so even sizes are rejected.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_lrn(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
