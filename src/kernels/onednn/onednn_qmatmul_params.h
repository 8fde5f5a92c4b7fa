// The parameters of QLinearMatMul and QGemm as every int8 matrix-product kernel reads them (oneDNN int8, the
// exact fp32 fallback, our x86 GEMV): one runtime 8-bit A, a constant 2-d 8-bit B (QGemm: optionally
// transposed), per-tensor A and Y parameters, per-tensor or per-column B parameters, QGemm's C as one i32 per
// column and its alpha; no y_scale on QGemm means an f32 output. Each kernel adds its own shape limits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cpu/kernel_factory.h"

namespace octet::cpu {

struct QMatMulParams {
  bool gemm = false;  // QGemm (else QLinearMatMul)
  bool trans_b = false;
  float alpha = 1.0f;
  const Tensor* b = nullptr;  // the constant B as stored ([K, N], or [N, K] with trans_b)
  int64_t k = 0, n = 0;
  std::vector<float> a_scale, b_scale, y_scale;  // y_scale {1} for an f32 output
  std::vector<int32_t> a_zero, b_zero, y_zero;   // y_zero {0} for an f32 output
  bool float_output = false;
  ElementType y_type = ElementType::kUndefined;
  std::vector<int32_t> bias;  // QGemm's C, one value per column; empty without C
};

// nullopt (with why_not) when the node is not in that form.
std::optional<QMatMulParams> read_qmatmul_params(const KernelRequest& request, std::string& why_not);

}  // namespace octet::cpu
