// Questions the passes and the quantizer ask about a value that may be a constant.
#pragma once

#include <optional>

#include "graph/graph.h"

namespace octet {

// A constant f32 tensor (weights, a bias, a scale).
bool is_f32_constant(const Value* value);

// The single value of a constant with one element (any numeric type), or nullopt.
std::optional<float> scalar_constant(const Value* value);

}  // namespace octet
