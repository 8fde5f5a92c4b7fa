// MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool on oneDNN's pooling primitive (pooling_v2:
// dilations), reading the input in whatever layout its producer wrote (plain, nhwc or channel-blocked) so
// that no reorder is needed. Forms whose numbers oneDNN would compute differently from ONNX are rejected (the
// reference runs them): MaxPool's Indices output, and average windows reaching past the end padding with
// count_include_pad (ceil_mode), which oneDNN divides by the full kernel size.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_pooling(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
