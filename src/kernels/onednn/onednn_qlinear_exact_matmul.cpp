// QLinearMatMul and QGemm on oneDNN's fp32 matmul over integer-valued floats (see onednn_qlinear_exact.h).
#include "kernels/onednn/onednn_fused_kernel.h"
#include "kernels/onednn/onednn_qlinear_exact.h"
#include "kernels/onednn/onednn_qlinear_exact_kernel.h"
#include "kernels/onednn/onednn_qmatmul_params.h"
#include "kernels/onednn/onednn_qparams.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

}  // namespace

std::optional<KernelChoice> create_onednn_qlinear_matmul_exact(const KernelRequest& request,
                                                               std::string& why_not) {
  const Node& node = request.node;
  const auto params = read_qmatmul_params(request, why_not);
  if (!params) return std::nullopt;
  const bool trans_b = params->trans_b, float_output = params->float_output;
  const float alpha = params->alpha;
  const Tensor& weights = *params->b;
  const int64_t k = params->k, n = params->n;
  const ElementType a_type = request.inputs[0].type;
  const ElementType y_type = params->y_type;
  const auto *a_scale = &params->a_scale, *b_scale = &params->b_scale, *y_scale = &params->y_scale;
  const auto *a_zero = &params->a_zero, *b_zero = &params->b_zero, *y_zero = &params->y_zero;
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
  if ((b_scale->size() != 1 && static_cast<int64_t>(b_scale->size()) != n) ||
      (b_zero->size() != 1 && static_cast<int64_t>(b_zero->size()) != n)) {
    why_not = "B's parameters must be per tensor or per column";
    return std::nullopt;
  }
  const std::vector<int32_t>& bias = params->bias;  // QGemm's C, added before the scale

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
