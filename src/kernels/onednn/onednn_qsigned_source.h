// Runs an int8 kernel built for a u8 source on an s8 tensor: each request first adds 128 to the source (a
// oneDNN reorder s8 -> u8 with destination zero point 128, exact) into its scratchpad, then runs the inner
// kernel on that copy; the inner kernel was built with the source zero point raised by 128, so
// (x + 128) - (x_zp + 128) = x - x_zp and the result is unchanged.
//
// Why: on AVX2 without VNNI, oneDNN's int8 convolution takes an s8 source by halving the weights (its
// "scale adjust" of 0.5 against vpmaddubsw saturation), which rounds odd weights and is off by several
// steps; with a u8 source it uses the weights as they are.
#pragma once

#include <dnnl.hpp>
#include <memory>

#include "cpu/kernel.h"

namespace octet::cpu {

// inner: reads its runtime input 0 as `u8_source` (the same layout as `s8_source`, u8).
std::shared_ptr<const Kernel> make_signed_source_kernel(std::shared_ptr<const Kernel> inner,
                                                        const dnnl::memory::desc& s8_source,
                                                        const dnnl::memory::desc& u8_source,
                                                        const dnnl::engine& engine);

}  // namespace octet::cpu
