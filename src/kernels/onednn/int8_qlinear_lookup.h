// QLinearLookup (ops/qlinear_lookup.cpp) as a loop of ours: one table load per byte, in whatever layout the
// producer wrote (elementwise, so the output takes the input's layout and no reorder is needed).
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_int8_qlinear_lookup(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
