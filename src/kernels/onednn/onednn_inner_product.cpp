#include "kernels/onednn/onednn_inner_product.h"

#include <vector>

#include "kernels/onednn/onednn_fused_kernel.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// Gemm's C as an inner-product bias (beta folded in), if it is one row broadcast along M: [N], [1, N], or a
// single value. An empty vector when C is absent; nullopt when C is not of that form.
std::optional<std::vector<float>> row_bias(const Node& node, int64_t n, std::string& why_not) {
  const Value* c = node.op_type() == "Gemm" ? node.input(2) : nullptr;
  if (!c) return std::vector<float>();
  if (!c->is_constant() || c->type() != ElementType::kF32) {
    why_not = "C is not a constant f32 tensor";
    return std::nullopt;
  }
  const Tensor& values = c->constant();
  Dims dims = values.dims();
  while (dims.size() < 2) dims.insert(dims.begin(), 1);
  if (dims.size() != 2 || dims[0] != 1 || (dims[1] != 1 && dims[1] != n)) {
    why_not = "C " + values.description() + " is not one row";
    return std::nullopt;
  }
  const float beta = node.attribute_or<float>("beta", 1.0f);
  std::vector<float> bias(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j)
    bias[static_cast<size_t>(j)] = beta * values.data<float>()[dims[1] == 1 ? 0 : j];
  return bias;
}

}  // namespace

std::optional<KernelChoice> create_onednn_inner_product(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const bool gemm = node.op_type() == "Gemm";
  if (request.inputs.empty() || request.input_indices[0] != 0 ||
      request.inputs[0].type != ElementType::kF32) {
    why_not = "needs a runtime f32 A";
    return std::nullopt;
  }
  const Value* b = node.input(1);
  if (!b || !b->is_constant() || b->type() != ElementType::kF32 || b->constant().rank() != 2) {
    why_not = "needs constant 2-d f32 weights B";
    return std::nullopt;
  }
  if (gemm && node.attribute_or<int64_t>("transA", 0) != 0) {
    why_not = "transA";
    return std::nullopt;
  }
  const bool trans_b = gemm && node.attribute_or<int64_t>("transB", 0) != 0;
  const float alpha = gemm ? node.attribute_or<float>("alpha", 1.0f) : 1.0f;
  const Tensor& weights = b->constant();
  const int64_t k = weights.dims()[trans_b ? 1 : 0];
  const int64_t n = weights.dims()[trans_b ? 0 : 1];
  const Dims& a_dims = request.inputs[0].dims;
  const Dims& y_dims = request.outputs[0].dims;
  if (a_dims.empty() || a_dims.back() != k || element_count(a_dims) == 0 || element_count(y_dims) == 0) {
    why_not = "A " + to_string(a_dims) + " does not fit B " + weights.description();
    return std::nullopt;
  }
  const int64_t m = element_count(a_dims) / k;
  const std::optional<std::vector<float>> bias = row_bias(node, n, why_not);
  if (!bias) return std::nullopt;

  const dnnl::engine& engine = request.engine;
  const dnnl::memory::desc src_md({m, k}, dt::f32, tag::ab);
  const dnnl::memory::desc dst_md({m, n}, dt::f32, tag::ab);
  const dnnl::memory::desc bias_md =
      bias->empty() ? dnnl::memory::desc() : dnnl::memory::desc({n}, dt::f32, tag::a);
  dnnl::inner_product_forward::primitive_desc pd;
  try {
    const dnnl::inner_product_forward::desc desc(dnnl::prop_kind::forward_inference, src_md,
                                                 dnnl::memory::desc({n, k}, dt::f32, tag::any), bias_md,
                                                 dst_md);
    pd = dnnl::inner_product_forward::primitive_desc(desc, make_primitive_attr(request.post_ops), engine);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  // oneDNN's weights are [N, K]: B [K, N] is read transposed (ba), B' [N, K] (transB) as it is.
  std::vector<float> scaled;
  const void* weight_data = weights.raw_data();
  if (alpha != 1.0f) {
    scaled.assign(weights.values<float>().begin(), weights.values<float>().end());
    for (float& v : scaled) v *= alpha;
    weight_data = scaled.data();
  }
  std::unordered_map<int, dnnl::memory> constants = {
      {DNNL_ARG_WEIGHTS, pack_constant({{n, k}, dt::f32, trans_b ? tag::ab : tag::ba}, weight_data,
                                       pd.weights_desc(), engine)}};
  if (!bias->empty()) constants[DNNL_ARG_BIAS] = pack_constant(bias_md, bias->data(), bias_md, engine);

  const std::optional<size_t> sum_input = sum_post_op_input(request.post_ops);
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::plain(ElementType::kF32, a_dims));
  if (sum_input) {
    choice.inputs.push_back(BufferDesc::plain(ElementType::kF32, y_dims));
    choice.in_place_input = static_cast<int>(*sum_input);
  }
  if (choice.inputs.size() != request.inputs.size()) {
    why_not = "unexpected runtime inputs";
    return std::nullopt;
  }
  choice.outputs.push_back(BufferDesc::plain(ElementType::kF32, y_dims));
  choice.kernel = std::make_shared<FusedPrimitiveKernel>(
      pd, dnnl::inner_product_forward(pd), ElementType::kF32,
      std::vector<RuntimeArgument>{{DNNL_ARG_SRC, pd.src_desc(), 0}}, std::move(constants), sum_input);
  return choice;
}

}  // namespace octet::cpu
