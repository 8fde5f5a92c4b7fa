#include "kernels/onednn/onednn_deconvolution.h"

#include "kernels/onednn/onednn_fused_kernel.h"
#include "ops/convolution_kernel.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// oneDNN's deconvolution weights are (g,) O, I, k... while ONNX stores (g,) I, O, k...: the tag that reads
// ONNX's bytes with oneDNN's dims (iohw = bacd, giohw = acbde, and their 1-d / 3-d siblings).
tag onnx_weights_tag(size_t spatial, bool grouped) {
  if (grouped) return spatial == 1 ? tag::acbd : spatial == 2 ? tag::acbde : tag::acbdef;
  return spatial == 1 ? tag::bac : spatial == 2 ? tag::bacd : tag::bacde;
}

}  // namespace

std::optional<KernelChoice> create_onednn_deconvolution(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const Value* w = node.input(1);
  if (request.inputs.empty() || request.input_indices[0] != 0 ||
      request.inputs[0].type != ElementType::kF32) {
    why_not = "needs a runtime f32 input";
    return std::nullopt;
  }
  if (!w || !w->is_constant() || w->type() != ElementType::kF32 ||
      (node.has_input(2) && (!node.input(2)->is_constant() || node.input(2)->type() != ElementType::kF32))) {
    why_not = "needs constant f32 weights and bias";
    return std::nullopt;
  }
  const Dims& x_dims = request.inputs[0].dims;
  if (x_dims.size() < 3 || x_dims.size() > 5) {
    why_not = "only 1-d, 2-d and 3-d transposed convolutions";
    return std::nullopt;
  }
  const size_t spatial = x_dims.size() - 2;
  const Tensor& weights = w->constant();
  const ConvGeometry g = conv_transpose_geometry(node, x_dims, weights.dims());
  // oneDNN's padding_r is whatever makes its output size formula give ours, so output_padding (extra rows at
  // the end) shows up as a smaller, possibly negative, right padding.
  Dims dilations = g.dilations, pads_end(spatial);
  for (size_t i = 0; i < spatial; ++i) {
    dilations[i] -= 1;  // oneDNN counts the gaps between kernel taps
    pads_end[i] = (g.in_spatial[i] - 1) * g.strides[i] + (g.kernel[i] - 1) * g.dilations[i] + 1 -
                  g.pads_begin[i] - g.out_spatial[i];
    if (g.pads_begin[i] < 0) {
      why_not = "output_shape larger than the full result (negative begin padding)";
      return std::nullopt;
    }
  }

  // oneDNN dims: (g,) O/g, I/g, k...; ONNX weights are [I, O/g, k...].
  Dims w_dims = weights.dims();
  std::swap(w_dims[0], w_dims[1]);  // [O/g, I, k...]
  if (g.group > 1) {
    w_dims[1] /= g.group;
    w_dims.insert(w_dims.begin(), g.group);
  }
  const dnnl::engine& engine = request.engine;
  const auto any_md = [](const Dims& dims) {
    return dnnl::memory::desc(to_dnnl_dims(dims), dt::f32, tag::any);
  };
  const dnnl::memory::desc bias_md =
      node.has_input(2) ? dnnl::memory::desc({g.out_channels}, dt::f32, tag::a) : dnnl::memory::desc();
  dnnl::deconvolution_forward::primitive_desc pd;
  try {
    const dnnl::deconvolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::deconvolution_direct, any_md(x_dims),
        any_md(w_dims), bias_md, any_md(request.outputs[0].dims), to_dnnl_dims(g.strides),
        to_dnnl_dims(dilations), to_dnnl_dims(g.pads_begin), to_dnnl_dims(pads_end));
    pd = dnnl::deconvolution_forward::primitive_desc(desc, make_primitive_attr(request.post_ops), engine);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  const dnnl::memory::desc onnx_weights(to_dnnl_dims(w_dims), dt::f32,
                                        onnx_weights_tag(spatial, g.group > 1));
  std::unordered_map<int, dnnl::memory> constants = {
      {DNNL_ARG_WEIGHTS, pack_constant(onnx_weights, weights.raw_data(), pd.weights_desc(), engine)}};
  if (node.has_input(2))
    constants[DNNL_ARG_BIAS] = pack_constant(bias_md, node.input(2)->constant().raw_data(), bias_md, engine);

  const std::optional<size_t> sum_input = sum_post_op_input(request.post_ops);
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::from_dnnl(ElementType::kF32, pd.src_desc()));
  if (sum_input) {
    choice.inputs.push_back(BufferDesc::from_dnnl(ElementType::kF32, pd.dst_desc()));
    choice.in_place_input = static_cast<int>(*sum_input);
  }
  choice.outputs.push_back(BufferDesc::from_dnnl(ElementType::kF32, pd.dst_desc()));
  choice.kernel = std::make_shared<FusedPrimitiveKernel>(
      pd, dnnl::deconvolution_forward(pd), ElementType::kF32,
      std::vector<RuntimeArgument>{{DNNL_ARG_SRC, pd.src_desc(), 0}}, std::move(constants), sum_input);
  return choice;
}

}  // namespace octet::cpu
