// MaxPool of a u8/i8 4-d tensor in channels-last memory (nhwc): for each output pixel, the channel-wise
// maximum of the window's input pixels inside the image (padding taps are skipped, as ONNX pads with -inf),
// one vectorized byte-max loop per tap. Any kernel, strides, dilations, pads and ceil_mode whose every window
// holds at least one input pixel. Exact: it only selects values. Exec type "max_pool_nhwc_loop_I8".
//
// Why not oneDNN's: for ResNet-50's 3x3 / stride 2 pool of a 112x112x64 u8 tensor, 2 threads, `-pc`, three
// interleaved runs each, its jit int8 pooling took 70.9-72.6 us and this loop 42.9-49.5 us.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_max_pool(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
