#include "kernels/onednn/onednn_qlinear_matmul.h"

#include "kernels/onednn/onednn_fused_kernel.h"
#include "kernels/onednn/onednn_int8_exactness.h"
#include "kernels/onednn/onednn_qparams.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// Where each parameter sits: QLinearMatMul (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp) and QGemm
// (A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp).
struct Layout {
  size_t a = 0, a_scale = 1, a_zero = 2, b = 3, b_scale = 4, b_zero = 5, c, y_scale, y_zero;
};
constexpr Layout kQLinearMatMul{.c = static_cast<size_t>(-1), .y_scale = 6, .y_zero = 7};
constexpr Layout kQGemm{.c = 6, .y_scale = 7, .y_zero = 8};

}  // namespace

std::optional<KernelChoice> create_onednn_qlinear_matmul(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const bool gemm = node.op_type() == "QGemm";
  const Layout at = gemm ? kQGemm : kQLinearMatMul;
  if (request.inputs.size() != 1 || request.input_indices[0] != at.a || !is_8bit(request.inputs[0].type) ||
      !request.post_ops.empty()) {
    why_not = "needs one runtime u8/i8 input A, every other input constant, no post-ops";
    return std::nullopt;
  }
  if (gemm && node.attribute_or<int64_t>("transA", 0) != 0) {
    why_not = "transA";
    return std::nullopt;
  }
  const bool trans_b = gemm && node.attribute_or<int64_t>("transB", 0) != 0;
  const float alpha = gemm ? node.attribute_or<float>("alpha", 1.0f) : 1.0f;
  const Value* b = node.input(at.b);
  if (!b || !b->is_constant() || !is_8bit(b->type()) || b->constant().rank() != 2) {
    why_not = "needs a constant 2-d u8/i8 B";
    return std::nullopt;
  }
  const Tensor& weights = b->constant();
  const int64_t k = weights.dims()[trans_b ? 1 : 0];
  const int64_t n = weights.dims()[trans_b ? 0 : 1];
  const Dims& a_dims = request.inputs[0].dims;
  const Dims& y_dims = request.outputs[0].dims;
  if (a_dims.size() < 2 || a_dims.back() != k || element_count(a_dims) == 0) {
    why_not = "A " + to_string(a_dims) + " does not fit B " + weights.description();
    return std::nullopt;
  }
  const int64_t m = element_count(a_dims) / k;
  if (element_count(y_dims) != m * n) {
    why_not = "output " + to_string(y_dims) + " is not [M, N]";
    return std::nullopt;
  }
  const auto a_scale = constant_scales(node, at.a_scale, why_not);
  const auto b_scale = constant_scales(node, at.b_scale, why_not);
  const auto a_zero = constant_zero_points(node, at.a_zero, why_not);
  const auto b_zero = constant_zero_points(node, at.b_zero, why_not);
  if (!a_scale || !b_scale || !a_zero || !b_zero) return std::nullopt;
  const bool float_output = gemm && !node.has_input(at.y_scale);
  std::optional<std::vector<float>> y_scale = std::vector<float>{1.0f};
  std::optional<std::vector<int32_t>> y_zero = std::vector<int32_t>{0};
  if (!float_output) {
    y_scale = constant_scales(node, at.y_scale, why_not);
    y_zero = constant_zero_points(node, at.y_zero, why_not);
    if (!y_scale || !y_zero) return std::nullopt;
  }
  const ElementType y_type = request.outputs[0].type;
  if (float_output ? y_type != ElementType::kF32 : !is_8bit(y_type)) {
    why_not = "unexpected output type " + std::string(to_string(y_type));
    return std::nullopt;
  }
  if (a_scale->size() != 1 || a_zero->size() != 1 || y_scale->size() != 1 || y_zero->size() != 1) {
    why_not = "A's and Y's parameters must be per tensor";
    return std::nullopt;
  }
  // oneDNN's weights are [K, N] (ab) read from B [K, N], or from B' [N, K] (transB) as ba. The zero point of
  // column j is subtracted from each element of that column: in B's own memory column j is i % N (plain
  // [K, N]) or i / K ([N, K]).
  const std::optional<std::vector<int8_t>> b_values =
      weights_minus_zero_point(weights, *b_zero, n, trans_b ? k : 1);
  if (!b_values) {
    why_not = "B minus its zero point does not fit in s8";
    return std::nullopt;
  }
  // vpmaddubsw pairs adjacent k of one column.
  const int worst_pair =
      trans_b ? max_pair_sum(*b_values, n, k, 1, k, 1) : max_pair_sum(*b_values, 1, 0, n, k, n);
  if (!pair_sum_fits_i16(worst_pair)) {
    why_not = str_cat("B with |b0| + |b1| = ", worst_pair,
                      " in a pair could saturate the i16 sums of oneDNN's AVX2 int8 matmul");
    return std::nullopt;
  }
  std::vector<float> scales;
  for (const float s : *b_scale) scales.push_back(alpha * (*a_scale)[0] * s / (*y_scale)[0]);

  // QGemm's C: i32 [N], [1, N] or a single value, added to the accumulator before the scale.
  std::vector<int32_t> bias;
  if (gemm && node.has_input(at.c)) {
    const Value* c = node.input(at.c);
    if (!c->is_constant() || c->type() != ElementType::kI32 ||
        (c->constant().element_count() != n && c->constant().element_count() != 1) ||
        (c->constant().rank() == 2 && c->constant().dims()[0] != 1) || c->constant().rank() > 2) {
      why_not = "C is not a constant i32 row";
      return std::nullopt;
    }
    const auto values = c->constant().values<int32_t>();
    for (int64_t j = 0; j < n; ++j) bias.push_back(values[values.size() == 1 ? 0 : static_cast<size_t>(j)]);
  }

  const dnnl::engine& engine = request.engine;
  std::unordered_map<int, dnnl::memory> constants;
  dnnl::primitive_attr attr = make_primitive_attr({});
  attr.set_output_scales(scales.size() == 1 ? 0 : 1 << 1, scales);
  // Every output sums over all of K, so sum (a - a_zp) * b = sum a * b - a_zp * colsum(b): A's zero point
  // becomes part of the bias (no compensation pass), while every integer stays below 2^24, where oneDNN's
  // float addition of bias and accumulator is exact: |bias'| + 255 * sum |b| < 2^24.
  bool folded = (*a_zero)[0] == 0;
  if (!folded) {
    std::vector<int32_t> with_zero(static_cast<size_t>(n));
    folded = true;
    for (int64_t j = 0; j < n && folded; ++j) {
      int64_t sum = 0, magnitude = 0;
      for (int64_t i = 0; i < k; ++i) {
        const int64_t v = (*b_values)[static_cast<size_t>(trans_b ? j * k + i : i * n + j)];
        sum += v;
        magnitude += v < 0 ? -v : v;
      }
      const int64_t folded_bias = (bias.empty() ? 0 : bias[static_cast<size_t>(j)]) - (*a_zero)[0] * sum;
      folded = (folded_bias < 0 ? -folded_bias : folded_bias) + 255 * magnitude < (int64_t{1} << 24);
      with_zero[static_cast<size_t>(j)] = static_cast<int32_t>(folded_bias);
    }
    if (folded) bias = std::move(with_zero);
  }
  if (!folded) add_zero_point(attr, constants, DNNL_ARG_SRC, (*a_zero)[0], engine);
  add_zero_point(attr, constants, DNNL_ARG_DST, (*y_zero)[0], engine);
  const dnnl::memory::desc src_md({m, k}, to_dnnl(request.inputs[0].type), tag::ab);
  const dnnl::memory::desc dst_md({m, n}, to_dnnl(y_type), tag::ab);
  const dnnl::memory::desc bias_md =
      bias.empty() ? dnnl::memory::desc() : dnnl::memory::desc({1, n}, dt::s32, tag::ab);
  dnnl::matmul::primitive_desc pd;
  try {
    const dnnl::matmul::desc desc(src_md, dnnl::memory::desc({k, n}, dt::s8, tag::any), bias_md, dst_md);
    pd = dnnl::matmul::primitive_desc(desc, attr, engine);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  if (is_onednn_reference(pd)) {
    why_not = std::string("oneDNN has only its reference implementation (") + pd.impl_info_str() + ")";
    return std::nullopt;
  }
  constants[DNNL_ARG_WEIGHTS] = pack_constant({{k, n}, dt::s8, trans_b ? tag::ba : tag::ab}, b_values->data(),
                                              pd.weights_desc(), engine);
  if (!bias.empty()) constants[DNNL_ARG_BIAS] = pack_constant(bias_md, bias.data(), bias_md, engine);

  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::plain(request.inputs[0].type, a_dims));
  choice.outputs.push_back(BufferDesc::plain(y_type, y_dims));
  choice.kernel = std::make_shared<FusedPrimitiveKernel>(
      pd, dnnl::matmul(pd), ElementType::kI8, std::vector<RuntimeArgument>{{DNNL_ARG_SRC, src_md, 0}},
      std::move(constants), std::nullopt);
  return choice;
}

}  // namespace octet::cpu
