// Resize on oneDNN's resampling primitive, only where oneDNN computes exactly what ONNX asks for (oneDNN maps
// output coordinate o to (o + 0.5) / F - 0.5 with F = output / input length, rounding half up for nearest and
// clamping at the edges):
//   - linear, half_pixel (or pytorch_half_pixel with every resized length > 1), no antialias or
//     exclude_outside, any scale that equals output / input length;
//   - nearest upsampling by integer factors k, where every formula below picks input floor(o / k):
//     half_pixel / pytorch_half_pixel with round_prefer_floor or round_prefer_ceil (no ties can occur),
//     asymmetric with floor (what old Upsample ops become), tf_half_pixel_for_nn with floor.
// Batch and channel axes are never resized. Everything else (cubic, align_corners, tf_crop_and_resize,
// fractional nearest factors, downsampling nearest) is left to the reference.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_resampling(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
