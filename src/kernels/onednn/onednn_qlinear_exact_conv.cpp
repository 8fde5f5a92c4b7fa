// QLinearConv on oneDNN's fp32 convolution over integer-valued floats (see onednn_qlinear_exact.h).
#include "kernels/onednn/onednn_fused_kernel.h"
#include "kernels/onednn/onednn_qlinear_exact.h"
#include "kernels/onednn/onednn_qlinear_exact_kernel.h"
#include "kernels/onednn/onednn_qparams.h"
#include "ops/convolution_kernel.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// QLinearConv's inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kW = 3, kWScale = 4, kWZero = 5, kYScale = 6, kYZero = 7,
                 kBias = 8;

// The 8-bit side's layouts: x is read in whatever layout its producer wrote (the widening reorder changes the
// layout anyway, so no reorder is inserted before us); y is written plain after a plain x (quantize /
// dequantize loops around an fp32 island) and channels-last otherwise (what the int8 kernels read and write
// on AVX2).
tag channels_last(size_t rank) {
  return rank == 3 ? tag::nwc : rank == 4 ? tag::nhwc : tag::ndhwc;
}

}  // namespace

std::optional<KernelChoice> create_onednn_qlinear_conv_exact(const KernelRequest& request,
                                                             std::string& why_not) {
  const Node& node = request.node;
  if (request.inputs.size() != 1 || request.input_indices[0] != kX || !is_8bit(request.inputs[0].type) ||
      !request.post_ops.empty()) {
    why_not = "needs one runtime u8/i8 input x, every other input constant, no post-ops";
    return std::nullopt;
  }
  const Value* w = node.input(kW);
  if (!w || !w->is_constant() || !is_8bit(w->type()) || w->constant().rank() < 3 ||
      w->constant().rank() > 5) {
    why_not = "needs constant u8/i8 weights of rank 3 to 5";
    return std::nullopt;
  }
  const ElementType x_type = request.inputs[0].type;
  const ElementType y_type = request.outputs[0].type;
  const Dims& x_dims = request.inputs[0].dims;
  // The f32 form (no y_scale / y_zero_point): y_scale 1 and y_zero_point 0, an f32 destination.
  const bool float_output = !node.has_input(kYScale) && !node.has_input(kYZero);
  if (x_dims.size() != w->constant().rank() ||
      (float_output ? y_type != ElementType::kF32 : !is_8bit(y_type))) {
    why_not = "x must have the rank of w and the output must be u8/i8 (f32 in the f32 form)";
    return std::nullopt;
  }
  const auto x_scale = constant_scales(node, kXScale, why_not);
  const auto w_scale = constant_scales(node, kWScale, why_not);
  const auto y_scale =
      float_output ? std::make_optional(std::vector<float>{1.0f}) : constant_scales(node, kYScale, why_not);
  const auto x_zero = constant_zero_points(node, kXZero, why_not);
  const auto w_zero = constant_zero_points(node, kWZero, why_not);
  const auto y_zero = float_output ? std::make_optional(std::vector<int32_t>{0})
                                   : constant_zero_points(node, kYZero, why_not);
  if (!x_scale || !w_scale || !y_scale || !x_zero || !w_zero || !y_zero) return std::nullopt;
  const Tensor& weights = w->constant();
  const int64_t out_channels = weights.dims()[0];
  if (x_scale->size() != 1 || y_scale->size() != 1 || x_zero->size() != 1 || y_zero->size() != 1 ||
      (w_scale->size() != 1 && static_cast<int64_t>(w_scale->size()) != out_channels) ||
      (w_zero->size() != 1 && static_cast<int64_t>(w_zero->size()) != out_channels)) {
    why_not = "x's and y's parameters must be per tensor, w's per tensor or per output channel";
    return std::nullopt;
  }
  std::vector<int32_t> bias;
  if (const Value* b = node.input(kBias)) {
    if (!b->is_constant() || b->type() != ElementType::kI32 ||
        b->constant().element_count() != out_channels) {
      why_not = "bias is not a constant i32 tensor with one value per output channel";
      return std::nullopt;
    }
    const auto values = b->constant().values<int32_t>();
    bias.assign(values.begin(), values.end());
  }
  const ConvGeometry g = conv_geometry(node, x_dims, weights.dims());

  // w - w_zero[oc] as integers, for the bound, and as the floats the convolution reads.
  const int64_t per_channel = weights.element_count() / out_channels;
  std::vector<int32_t> w_values(static_cast<size_t>(weights.element_count()));
  std::vector<float> w_floats(w_values.size());
  for (int64_t i = 0; i < weights.element_count(); ++i) {
    const int32_t zero = (*w_zero)[w_zero->size() == 1 ? 0 : static_cast<size_t>(i / per_channel)];
    w_values[static_cast<size_t>(i)] = static_cast<int32_t>(weights.value_as_int64(i)) - zero;
    w_floats[static_cast<size_t>(i)] = static_cast<float>(w_values[static_cast<size_t>(i)]);
  }
  const int64_t bound = exactness_bound(w_values, out_channels, per_channel, per_channel, 1, bias,
                                        max_source_magnitude(x_type, (*x_zero)[0]));
  std::vector<float> scales;
  for (const float s : *w_scale) scales.push_back((*x_scale)[0] * s / (*y_scale)[0]);

  const size_t spatial = x_dims.size() - 2;
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
  const Dims& y_dims = request.outputs[0].dims;
  const dnnl::memory::desc bias_md =
      bias.empty() ? dnnl::memory::desc() : dnnl::memory::desc({out_channels}, dt::f32, tag::a);
  dnnl::convolution_forward::primitive_desc pd;
  try {
    const dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
        dnnl::memory::desc(to_dnnl_dims(x_dims), dt::f32, tag::any),
        dnnl::memory::desc(to_dnnl_dims(w_dims), dt::f32, tag::any), bias_md,
        dnnl::memory::desc(to_dnnl_dims(y_dims), dt::f32, tag::any), to_dnnl_dims(g.strides),
        to_dnnl_dims(dilations), to_dnnl_dims(g.pads_begin), to_dnnl_dims(g.pads_end));
    pd = dnnl::convolution_forward::primitive_desc(desc, make_primitive_attr({}), engine);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  if (is_onednn_reference(pd)) {
    why_not = std::string("oneDNN has only its reference implementation (") + pd.impl_info_str() + ")";
    return std::nullopt;
  }
  report_exactness(node, bound, per_channel + 1, scales);
  const BufferDesc& given = request.inputs[0];
  const bool plain_input = given.is_plain() || !given.has_dnnl_desc();

  ExactFloatKernelParts parts{.pd = pd,
                              .primitive = dnnl::convolution_forward(pd),
                              .constants = {},
                              .source = plain_input ? BufferDesc::plain(x_type, x_dims).md : given.md,
                              .source_zero = (*x_zero)[0],
                              .destination = dnnl::memory::desc(
                                  to_dnnl_dims(y_dims), to_dnnl(y_type),
                                  plain_input ? plain_tag(y_dims.size()) : channels_last(y_dims.size())),
                              .scales = std::move(scales),
                              .scale_axis = 1,
                              .destination_zero = (*y_zero)[0],
                              .exec_type = exact_exec_type(pd)};
  parts.constants[DNNL_ARG_WEIGHTS] =
      pack_constant({to_dnnl_dims(w_dims), dt::f32, w_plain}, w_floats.data(), pd.weights_desc(), engine);
  if (!bias.empty()) {
    std::vector<float> bias_floats(bias.begin(), bias.end());
    parts.constants[DNNL_ARG_BIAS] = pack_constant(bias_md, bias_floats.data(), bias_md, engine);
  }
  KernelChoice choice;
  choice.inputs.push_back(BufferDesc::from_dnnl(x_type, parts.source));
  choice.outputs.push_back(BufferDesc::from_dnnl(y_type, parts.destination));
  choice.kernel = make_exact_float_kernel(std::move(parts), engine);
  return choice;
}

}  // namespace octet::cpu
