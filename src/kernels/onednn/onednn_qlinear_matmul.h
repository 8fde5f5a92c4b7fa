// QLinearMatMul and QGemm (com.microsoft) on oneDNN's int8 matmul: A is a runtime u8/s8 tensor read as
// [M, K] (batch dims folded into M), B a constant [K, N] (or [N, K] with QGemm's transB) turned into s8 with
// its zero point subtracted at compile time, per-tensor or per-column output scales a_scale * b_scale[n] /
// y_scale (QGemm: times alpha), QGemm's i32 C as the bias, A's zero point folded into that bias (oneDNN's
// runtime zero point where the fold could lose exactness), Y's a runtime zero point. A QGemm without y_scale
// writes f32. Rejected (next candidate / reference): runtime B or parameters, transA, C varying along M, B of
// rank other than 2, and B whose adjacent pairs along K could saturate the i16 sums of oneDNN's AVX2 int8
// gemm (measured: it does, for u8 and s8 A alike; see onednn_int8_exactness.h).
#pragma once

#include <optional>
#include <string>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

std::optional<KernelChoice> create_onednn_qlinear_matmul(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
