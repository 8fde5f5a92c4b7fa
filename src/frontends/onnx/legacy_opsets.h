// Models of opsets 1..6. Octet's normalizers start from the op versions in force at opset 7; an older model
// is accepted when every op it uses already had its opset 7 definition at the model's opset
// (GlobalAveragePool-1, HardSigmoid-6, ...), since then nothing about it differs from an opset 7 model.
#pragma once

#include <cstdint>
#include <string_view>

namespace octet::onnx_frontend {

inline constexpr int64_t kFirstFullySupportedOpset = 7;

// True if the version of `op_type` in force at opset 7 was already in force at `opset`.
bool has_opset7_definition_at(std::string_view op_type, int64_t opset);

}  // namespace octet::onnx_frontend
