// The kernel shape of the exact fp32 fallback for int8 layers (onednn_qlinear_exact.h): an 8-bit source is
// widened to integer-valued floats x - x_zero_point (our loop, in the source's own layout, then a plain
// oneDNN reorder into the layout the fp32 primitive reads if that differs), the fp32 primitive (convolution
// or matmul, with its weights w - w_zero_point and its bias as floats prepared once) accumulates into an f32
// buffer, and a second reorder requantizes it: y = saturate(round(acc * scale[c] + y_zero_point)) with
// per-channel scales. Both intermediate f32 buffers live in the request's scratchpad.
#pragma once

#include <dnnl.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpu/kernel.h"

namespace octet::cpu {

struct ExactFloatKernelParts {
  dnnl::primitive_desc_base pd;  // the fp32 primitive, created with a user scratchpad
  dnnl::primitive primitive;
  std::unordered_map<int, dnnl::memory> constants;  // packed f32 weights and bias
  dnnl::memory::desc source;                        // the kernel's runtime input 0 (u8/s8)
  int32_t source_zero = 0;
  dnnl::memory::desc destination;  // the kernel's output 0 (u8/s8, or f32 for QGemm without y_scale)
  std::vector<float> scales;       // requantization scale: 1 value, or one per channel along `scale_axis`
  int scale_axis = 1;
  int32_t destination_zero = 0;
  std::string exec_type;
};

std::shared_ptr<const Kernel> make_exact_float_kernel(ExactFloatKernelParts parts,
                                                      const dnnl::engine& engine);

}  // namespace octet::cpu
