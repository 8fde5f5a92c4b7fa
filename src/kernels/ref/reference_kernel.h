// The fallback every op has: runs the op's reference evaluation (src/ops) on plain row-major buffers, then
// applies any fused post-ops itself. Slow and allocating by design (exec type "ref_<precision>"); the
// performance counters make every use visible.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_reference_kernel(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
