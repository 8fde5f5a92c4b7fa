// Gemm and MatMul with constant 2-d weights on oneDNN's inner product primitive (forward inference): the
// weights are transposed, scaled by Gemm's alpha and packed once at compile time; Gemm's C becomes the bias
// when it is one row ([N], [1, N], scalar: beta folded in). MatMul's leading dims of A are folded into the
// batch (A [..., K] is read as [prod(...), K]). Other forms (transA, runtime B, C varying along M, batched B)
// are left to the matmul kernel.
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_inner_product(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
