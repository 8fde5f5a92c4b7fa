// QuantizeLinear (f32 -> u8/i8) and DequantizeLinear (u8/i8/i32 -> f32) as oneDNN reorders with scales and
// zero points: dst = saturate(round((src - src_zp) * scale) + dst_zp). The reorder reads the producer's
// layout (a blocked nChw8c conv output, say) and writes the same layout in the new type, so entering or
// leaving an int8 island costs no extra layout reorder.
//
// Exactness: DequantizeLinear's (q - zp) * scale is computed exactly as the op does. A oneDNN reorder would
// quantize with x * (1 / y_scale) where the op divides by y_scale (one step apart at a rounding tie), so a
// per-tensor QuantizeLinear is a loop of ours with the op's formula (bit-exact, any unpadded layout), and
// only a per-axis one uses the reorder (+-1 at ties).
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_quantize(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
