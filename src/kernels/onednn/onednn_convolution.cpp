#include "kernels/onednn/onednn_convolution.h"

#include "kernels/onednn/onednn_fused_kernel.h"
#include "ops/convolution_kernel.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

}  // namespace

std::optional<KernelChoice> create_onednn_convolution(const KernelRequest& request, std::string& why_not) {
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
  const size_t spatial = x_dims.size() - 2;
  if (spatial < 1 || spatial > 3) {
    why_not = "only 1-d, 2-d and 3-d convolutions";
    return std::nullopt;
  }
  const Tensor& weights = w->constant();
  const ConvGeometry g = conv_geometry(node, x_dims, weights.dims());
  Dims dilations = g.dilations;
  for (int64_t& d : dilations) d -= 1;  // oneDNN counts the gaps between kernel taps

  Dims w_dims = weights.dims();
  tag w_plain = spatial == 1 ? tag::oiw : spatial == 2 ? tag::oihw : tag::oidhw;
  if (g.group > 1) {
    w_dims[0] /= g.group;
    w_dims.insert(w_dims.begin(), g.group);
    w_plain = spatial == 1 ? tag::goiw : spatial == 2 ? tag::goihw : tag::goidhw;
  }
  const dnnl::engine& engine = request.engine;
  const auto any_md = [](const Dims& dims) {
    return dnnl::memory::desc(to_dnnl_dims(dims), dt::f32, tag::any);
  };
  const dnnl::memory::desc bias_md =
      node.has_input(2) ? dnnl::memory::desc({g.out_channels}, dt::f32, tag::a) : dnnl::memory::desc();
  const dnnl::primitive_attr attr = make_primitive_attr(request.post_ops);
  dnnl::convolution_forward::primitive_desc pd;
  try {
    const dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, any_md(x_dims),
        any_md(w_dims), bias_md, any_md(request.outputs[0].dims), to_dnnl_dims(g.strides),
        to_dnnl_dims(dilations), to_dnnl_dims(g.pads_begin), to_dnnl_dims(g.pads_end));
    pd = dnnl::convolution_forward::primitive_desc(desc, attr, engine);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  // Weights and bias are converted once, here, into the layout the primitive reads.
  std::unordered_map<int, dnnl::memory> constants = {
      {DNNL_ARG_WEIGHTS, pack_constant({to_dnnl_dims(w_dims), dt::f32, w_plain}, weights.raw_data(),
                                       pd.weights_desc(), engine)}};
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
      pd, dnnl::convolution_forward(pd), ElementType::kF32,
      std::vector<RuntimeArgument>{{DNNL_ARG_SRC, pd.src_desc(), 0}}, std::move(constants), sum_input);
  return choice;
}

}  // namespace octet::cpu
