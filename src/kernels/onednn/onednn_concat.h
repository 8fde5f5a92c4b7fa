// Concat of runtime f32 inputs on oneDNN's concat primitive: any axis in plain layout; when every input has
// the same blocked layout (nChw8c after convolutions) oneDNN gets them as they are, which it accepts for the
// channel axis when the channel counts fill whole blocks; otherwise everything is read plain.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_concat(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
