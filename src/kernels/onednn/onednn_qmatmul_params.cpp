#include "kernels/onednn/onednn_qmatmul_params.h"

#include "kernels/onednn/onednn_qparams.h"

namespace octet::cpu {
namespace {

// Where each parameter sits: QLinearMatMul (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp) and QGemm
// (A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp).
struct Layout {
  size_t a = 0, a_scale = 1, a_zero = 2, b = 3, b_scale = 4, b_zero = 5, c, y_scale, y_zero;
};
constexpr Layout kQLinearMatMul{.c = static_cast<size_t>(-1), .y_scale = 6, .y_zero = 7};
constexpr Layout kQGemm{.c = 6, .y_scale = 7, .y_zero = 8};

// QGemm's C: i32 [N], [1, N] or a single value, as one value per column; nullopt if it is anything else.
std::optional<std::vector<int32_t>> bias_row(const Node& node, size_t index, int64_t n) {
  std::vector<int32_t> bias;
  if (!node.has_input(index)) return bias;
  const Value* c = node.input(index);
  if (!c->is_constant() || c->type() != ElementType::kI32 || c->constant().rank() > 2 ||
      (c->constant().element_count() != n && c->constant().element_count() != 1) ||
      (c->constant().rank() == 2 && c->constant().dims()[0] != 1))
    return std::nullopt;
  const auto values = c->constant().values<int32_t>();
  for (int64_t j = 0; j < n; ++j) bias.push_back(values[values.size() == 1 ? 0 : static_cast<size_t>(j)]);
  return bias;
}

}  // namespace

std::optional<QMatMulParams> read_qmatmul_params(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  QMatMulParams p;
  p.gemm = node.op_type() == "QGemm";
  const Layout at = p.gemm ? kQGemm : kQLinearMatMul;
  if (request.inputs.size() != 1 || request.input_indices[0] != at.a || !is_8bit(request.inputs[0].type) ||
      !request.post_ops.empty()) {
    why_not = "needs one runtime u8/i8 input A, every other input constant, no post-ops";
    return std::nullopt;
  }
  if (p.gemm && node.attribute_or<int64_t>("transA", 0) != 0) {
    why_not = "transA";
    return std::nullopt;
  }
  p.trans_b = p.gemm && node.attribute_or<int64_t>("transB", 0) != 0;
  p.alpha = p.gemm ? node.attribute_or<float>("alpha", 1.0f) : 1.0f;
  const Value* b = node.input(at.b);
  if (!b || !b->is_constant() || !is_8bit(b->type()) || b->constant().rank() != 2) {
    why_not = "needs a constant 2-d u8/i8 B";
    return std::nullopt;
  }
  p.b = &b->constant();
  p.k = p.b->dims()[p.trans_b ? 1 : 0];
  p.n = p.b->dims()[p.trans_b ? 0 : 1];
  auto a_scale = constant_scales(node, at.a_scale, why_not);
  auto b_scale = constant_scales(node, at.b_scale, why_not);
  auto a_zero = constant_zero_points(node, at.a_zero, why_not);
  auto b_zero = constant_zero_points(node, at.b_zero, why_not);
  if (!a_scale || !b_scale || !a_zero || !b_zero) return std::nullopt;
  p.float_output = p.gemm && !node.has_input(at.y_scale);
  std::optional<std::vector<float>> y_scale = std::vector<float>{1.0f};
  std::optional<std::vector<int32_t>> y_zero = std::vector<int32_t>{0};
  if (!p.float_output) {
    y_scale = constant_scales(node, at.y_scale, why_not);
    y_zero = constant_zero_points(node, at.y_zero, why_not);
    if (!y_scale || !y_zero) return std::nullopt;
  }
  p.y_type = request.outputs[0].type;
  if (p.float_output ? p.y_type != ElementType::kF32 : !is_8bit(p.y_type)) {
    why_not = "unexpected output type " + std::string(to_string(p.y_type));
    return std::nullopt;
  }
  if (a_scale->size() != 1 || a_zero->size() != 1 || y_scale->size() != 1 || y_zero->size() != 1) {
    why_not = "A's and Y's parameters must be per tensor";
    return std::nullopt;
  }
  std::optional<std::vector<int32_t>> bias = p.gemm ? bias_row(node, at.c, p.n) : std::vector<int32_t>{};
  if (!bias) {
    why_not = "C is not a constant i32 row";
    return std::nullopt;
  }
  p.a_scale = std::move(*a_scale);
  p.b_scale = std::move(*b_scale);
  p.y_scale = std::move(*y_scale);
  p.a_zero = std::move(*a_zero);
  p.b_zero = std::move(*b_zero);
  p.y_zero = std::move(*y_zero);
  p.bias = std::move(*bias);
  return p;
}

}  // namespace octet::cpu
