// Layout and precision conversion between two buffers of the same dims (oneDNN reorder), or a plain copy for
// element types oneDNN has no descriptor for. The plugin inserts these between kernels that disagree on
// layout.
#pragma once

#include <memory>

#include "cpu/buffer_desc.h"
#include "cpu/kernel.h"

namespace octet::cpu {

std::shared_ptr<const Kernel> make_reorder_kernel(const BufferDesc& source, const BufferDesc& target,
                                                  const dnnl::engine& engine);

}  // namespace octet::cpu
