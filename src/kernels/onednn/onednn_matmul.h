// MatMul and Gemm on oneDNN's matmul primitive: the general form, for what the inner product kernel does not
// take (runtime B, batched and numpy-broadcast operands, 1-d operands, Gemm's transA and C varying along M).
// Transposes are strided views of the plain buffers (no reorder); constant operands are packed once with
// Gemm's alpha folded in; Gemm's C is the matmul bias (which broadcasts as Gemm's C does), beta folded in.
// Rejected (reference fallback): alpha != 1 with no constant operand to fold it into, beta != 1 on a runtime
// C.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_matmul(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
