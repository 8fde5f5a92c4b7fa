// Typed node attributes. The graph IR keeps attributes by name, in the form of the internal op set (ONNX
// opset 18 names and semantics, see ops/README.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "octet/tensor.h"

namespace octet {

using AttributeValue = std::variant<int64_t, float, std::string, std::vector<int64_t>, std::vector<float>,
                                    std::vector<std::string>, Tensor>;

// Human-readable rendering for dumps and error messages: 3, 0.5, "same_upper", [1,1], tensor f32[4].
std::string to_string(const AttributeValue& value);

using Attributes = std::map<std::string, AttributeValue, std::less<>>;

}  // namespace octet
