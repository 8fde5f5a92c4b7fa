// QLinearMatMul and QGemm on oneDNN's fp32 matmul over integer-valued floats (see onednn_qlinear_exact.h).
#include "kernels/onednn/onednn_fused_kernel.h"
#include "kernels/onednn/onednn_qlinear_exact.h"
#include "kernels/onednn/onednn_qlinear_exact_kernel.h"
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

std::optional<KernelChoice> create_onednn_qlinear_matmul_exact(const KernelRequest& request,
                                                               std::string& why_not) {
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
  const ElementType a_type = request.inputs[0].type;
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
  if (a_scale->size() != 1 || a_zero->size() != 1 || y_scale->size() != 1 || y_zero->size() != 1 ||
      (b_scale->size() != 1 && static_cast<int64_t>(b_scale->size()) != n) ||
      (b_zero->size() != 1 && static_cast<int64_t>(b_zero->size()) != n)) {
    why_not = "A's and Y's parameters must be per tensor, B's per tensor or per column";
    return std::nullopt;
  }
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

  // B' = B - b_zero[column] as [K, N] integers (for the bound) and floats (for the matmul).
  std::vector<int32_t> b_values(static_cast<size_t>(k * n));
  std::vector<float> b_floats(b_values.size());
  for (int64_t i = 0; i < k; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      const int32_t zero = (*b_zero)[b_zero->size() == 1 ? 0 : static_cast<size_t>(j)];
      const int32_t v = static_cast<int32_t>(weights.value_as_int64(trans_b ? j * k + i : i * n + j)) - zero;
      b_values[static_cast<size_t>(i * n + j)] = v;
      b_floats[static_cast<size_t>(i * n + j)] = static_cast<float>(v);
    }
  }
  // Column j: k elements from b_values[j], n apart.
  const int64_t bound =
      exactness_bound(b_values, n, 1, k, n, bias, max_source_magnitude(a_type, (*a_zero)[0]));
  std::vector<float> scales;
  for (const float s : *b_scale)
    scales.push_back(float_output ? alpha * (*a_scale)[0] * s : alpha * (*a_scale)[0] * s / (*y_scale)[0]);

  const dnnl::engine& engine = request.engine;
  const dnnl::memory::desc bias_md =
      bias.empty() ? dnnl::memory::desc() : dnnl::memory::desc({1, n}, dt::f32, tag::ab);
  dnnl::matmul::primitive_desc pd;
  try {
    const dnnl::matmul::desc desc(dnnl::memory::desc({m, k}, dt::f32, tag::ab),
                                  dnnl::memory::desc({k, n}, dt::f32, tag::any), bias_md,
                                  dnnl::memory::desc({m, n}, dt::f32, tag::ab));
    pd = dnnl::matmul::primitive_desc(desc, make_primitive_attr({}), engine);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  if (is_onednn_reference(pd)) {
    why_not = std::string("oneDNN has only its reference implementation (") + pd.impl_info_str() + ")";
    return std::nullopt;
  }
  report_exactness(node, bound, k + 1, scales);

  ExactFloatKernelParts parts{.pd = pd,
                              .primitive = dnnl::matmul(pd),
                              .constants = {},
                              .source = dnnl::memory::desc({m, k}, to_dnnl(a_type), tag::ab),
                              .source_zero = (*a_zero)[0],
                              .destination = dnnl::memory::desc({m, n}, to_dnnl(y_type), tag::ab),
                              .scales = std::move(scales),
                              .scale_axis = 1,
                              .destination_zero = (*y_zero)[0],
                              .exec_type = exact_exec_type(pd)};
  parts.constants[DNNL_ARG_WEIGHTS] =
      pack_constant({{k, n}, dt::f32, tag::ab}, b_floats.data(), pd.weights_desc(), engine);
  if (!bias.empty()) {
    std::vector<float> bias_floats(bias.begin(), bias.end());
    parts.constants[DNNL_ARG_BIAS] = pack_constant(bias_md, bias_floats.data(), bias_md, engine);
  }
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::plain(a_type, a_dims));
  choice.outputs.push_back(BufferDesc::plain(y_type, y_dims));
  choice.kernel = make_exact_float_kernel(std::move(parts), engine);
  return choice;
}

}  // namespace octet::cpu
