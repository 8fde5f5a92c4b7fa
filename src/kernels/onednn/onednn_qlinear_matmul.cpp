#include "kernels/onednn/onednn_qlinear_matmul.h"

#include "kernels/onednn/onednn_fused_kernel.h"
#include "kernels/onednn/onednn_int8_exactness.h"
#include "kernels/onednn/onednn_qmatmul_params.h"
#include "kernels/onednn/onednn_qparams.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

}  // namespace

std::optional<KernelChoice> create_onednn_qlinear_matmul(const KernelRequest& request, std::string& why_not) {
  const auto params = read_qmatmul_params(request, why_not);
  if (!params) return std::nullopt;
  const bool trans_b = params->trans_b;
  const float alpha = params->alpha;
  const Tensor& weights = *params->b;
  const int64_t k = params->k, n = params->n;
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

  std::vector<int32_t> bias = params->bias;  // QGemm's C, added to the accumulator before the scale

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
