#include "kernels/onednn/onednn_qlinear_conv.h"

#include "kernels/onednn/onednn_fused_kernel.h"
#include "kernels/onednn/onednn_int8_exactness.h"
#include "kernels/onednn/onednn_qlinear_sum_post_op.h"
#include "kernels/onednn/onednn_qparams.h"
#include "kernels/onednn/onednn_qsigned_source.h"
#include "ops/convolution_kernel.h"

namespace octet::cpu {
namespace {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// QLinearConv's inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
constexpr size_t kX = 0, kXScale = 1, kXZero = 2, kW = 3, kWScale = 4, kWZero = 5, kYScale = 6, kYZero = 7,
                 kBias = 8;

// Without padding every output sees all its taps, so sum (x - zp) * w = sum x * w - zp * sum w: the source
// zero point becomes a per-channel bias term, which saves oneDNN's zero-point compensation pass (about a
// third of the time of a 3x3 layer on AVX2). Only when every integer stays below 2^24, where oneDNN's float
// addition of the bias to the converted accumulator is exact: |bias'| + 255 * sum |w| < 2^24.
std::optional<std::vector<int32_t>> zero_point_in_bias(const ConvGeometry& g, const std::vector<int8_t>& w,
                                                       const Value* bias, int32_t zero) {
  for (size_t i = 0; i < g.pads_begin.size(); ++i) {
    if (g.pads_begin[i] != 0 || g.pads_end[i] != 0) return std::nullopt;
  }
  const int64_t per_channel = static_cast<int64_t>(w.size()) / g.out_channels;
  std::vector<int32_t> folded(static_cast<size_t>(g.out_channels));
  for (int64_t m = 0; m < g.out_channels; ++m) {
    int64_t sum = 0, magnitude = 0;
    for (int64_t i = 0; i < per_channel; ++i) {
      const int64_t v = w[static_cast<size_t>(m * per_channel + i)];
      sum += v;
      magnitude += v < 0 ? -v : v;
    }
    const int64_t b = (bias ? bias->constant().data<int32_t>()[m] : 0) - int64_t{zero} * sum;
    if ((b < 0 ? -b : b) + 255 * magnitude >= (int64_t{1} << 24)) return std::nullopt;
    folded[static_cast<size_t>(m)] = static_cast<int32_t>(b);
  }
  return folded;
}

}  // namespace

std::optional<KernelChoice> create_onednn_qlinear_conv(const KernelRequest& request, std::string& why_not) {
  const Node& node = request.node;
  const PostOp* residual = nullptr;  // a fused QLinearAdd (the only post-op this kernel takes)
  if (request.post_ops.size() == 1 && request.post_ops[0].kind == PostOp::Kind::kQuantizedSum)
    residual = &request.post_ops[0];
  const size_t runtime_inputs = residual ? 2 : 1;
  if (request.inputs.size() != runtime_inputs || request.input_indices[0] != kX ||
      !is_8bit(request.inputs[0].type) || (!residual && !request.post_ops.empty()) ||
      (residual && (residual->sum_input != 1 || !is_8bit(request.inputs[1].type) ||
                    request.inputs[1].dims != request.outputs[0].dims))) {
    why_not =
        "needs one runtime u8/i8 input x, every other input constant, and no post-ops but a quantized sum";
    return std::nullopt;
  }
  const Value* w = node.input(kW);
  if (!w || !w->is_constant() || !is_8bit(w->type()) || w->constant().rank() < 3) {
    why_not = "needs constant u8/i8 weights";
    return std::nullopt;
  }
  // The f32 form (no y_scale / y_zero_point, ops/qlinear_conv_matmul.cpp) scales by x_scale * w_scale[m]:
  // y_scale 1 and y_zero_point 0 give exactly that.
  const bool float_output = !node.has_input(kYScale) && !node.has_input(kYZero);
  if (float_output && residual) {
    why_not = "an f32 output takes no quantized sum";
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
  const Value* bias = node.input(kBias);
  if (bias && (!bias->is_constant() || bias->type() != ElementType::kI32)) {
    why_not = "bias is not a constant i32 tensor";
    return std::nullopt;
  }
  const Dims& x_dims = request.inputs[0].dims;
  const size_t spatial = x_dims.size() - 2;
  if (x_dims.size() < 3 || spatial > 3) {
    why_not = "only 1-d, 2-d and 3-d convolutions";
    return std::nullopt;
  }
  const Tensor& weights = w->constant();
  const ConvGeometry g = conv_geometry(node, x_dims, weights.dims());
  const int64_t kernel_size = weights.element_count() / (weights.dims()[0] * weights.dims()[1]);
  const std::optional<std::vector<int8_t>> w_values =
      weights_minus_zero_point(weights, *w_zero, g.out_channels, weights.element_count() / g.out_channels);
  if (!w_values) {
    why_not = "weights minus their zero point do not fit in s8";
    return std::nullopt;
  }
  const ElementType y_type = request.outputs[0].type;  // the add's output type when fused
  if (float_output ? y_type != ElementType::kF32 : !is_8bit(y_type) || !is_8bit(node.output(0)->type())) {
    why_not = float_output ? "the f32 form's output is not f32" : "output is not u8/i8";
    return std::nullopt;
  }
  // Output scale of channel m: x_scale * w_scale[m] / y_scale, in float and in this order (as the op does).
  std::vector<float> scales;
  for (const float s : *w_scale) scales.push_back((*x_scale)[0] * s / (*y_scale)[0]);

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
  std::unordered_map<int, dnnl::memory> constants;
  dnnl::primitive_attr attr = make_primitive_attr({});
  attr.set_output_scales(scales.size() == 1 ? 0 : 1 << 1, scales);
  int32_t dst_zero = (*y_zero)[0];
  if (residual) {
    attr.set_post_ops(quantized_sum_post_ops(residual->quantized_sum, node.output(0)->type(), (*y_zero)[0],
                                             request.inputs[1].type));
    dst_zero = residual->quantized_sum.c_zero;
  }
  // An s8 source runs as u8 (x + 128, see onednn_qsigned_source.h), its zero point moved along.
  const bool signed_source = request.inputs[0].type == ElementType::kI8;
  const int32_t source_zero = (*x_zero)[0] + (signed_source ? 128 : 0);
  std::optional<std::vector<int32_t>> folded;
  if (source_zero != 0) folded = zero_point_in_bias(g, *w_values, bias, source_zero);
  if (!folded) add_zero_point(attr, constants, DNNL_ARG_SRC, source_zero, engine);
  add_zero_point(attr, constants, DNNL_ARG_DST, dst_zero, engine);
  const bool has_bias = bias || folded;
  const dnnl::memory::desc bias_md =
      has_bias ? dnnl::memory::desc({g.out_channels}, dt::s32, tag::a) : dnnl::memory::desc();
  dnnl::convolution_forward::primitive_desc pd;
  try {
    const dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
        dnnl::memory::desc(to_dnnl_dims(x_dims), dt::u8, tag::any),
        dnnl::memory::desc(to_dnnl_dims(w_dims), dt::s8, tag::any), bias_md,
        dnnl::memory::desc(to_dnnl_dims(request.outputs[0].dims), to_dnnl(y_type), tag::any),
        to_dnnl_dims(g.strides), to_dnnl_dims(dilations), to_dnnl_dims(g.pads_begin),
        to_dnnl_dims(g.pads_end));
    pd = dnnl::convolution_forward::primitive_desc(desc, attr, engine);
  } catch (const dnnl::error& e) {
    why_not = std::string("oneDNN: ") + e.what();
    return std::nullopt;
  }
  // Pairs of adjacent input channels at one tap (direct kernels) or of the flattened (channel, tap) row
  // (gemm-based ones) share a saturating i16.
  const int64_t channels_per_group = weights.dims()[1];
  const bool gemm = std::string(pd.impl_info_str()).rfind("gemm", 0) == 0;
  const int worst_pair = gemm ? max_pair_sum(*w_values, g.out_channels, channels_per_group * kernel_size, 1,
                                             channels_per_group * kernel_size, 1)
                              : max_pair_sum(*w_values, g.out_channels, channels_per_group * kernel_size,
                                             kernel_size, channels_per_group, kernel_size);
  if (!pair_sum_fits_i16(worst_pair)) {
    why_not = str_cat("weights with |w0| + |w1| = ", worst_pair,
                      " in a pair could saturate the i16 sums of oneDNN's AVX2 int8 kernel (",
                      pd.impl_info_str(), ")");
    return std::nullopt;
  }
  if (is_onednn_reference(pd)) {
    why_not = std::string("oneDNN has only its reference implementation (") + pd.impl_info_str() + ")";
    return std::nullopt;
  }
  constants[DNNL_ARG_WEIGHTS] =
      pack_constant({to_dnnl_dims(w_dims), dt::s8, w_plain}, w_values->data(), pd.weights_desc(), engine);
  if (has_bias) {
    const void* bias_data = folded ? folded->data() : bias->constant().raw_data();
    constants[DNNL_ARG_BIAS] = pack_constant(bias_md, bias_data, bias_md, engine);
  }

  KernelChoice choice;
  choice.outputs.push_back(BufferDesc::from_dnnl(y_type, pd.dst_desc()));
  const std::optional<size_t> sum_input = residual ? std::optional<size_t>(1) : std::nullopt;
  choice.kernel = std::make_shared<FusedPrimitiveKernel>(
      pd, dnnl::convolution_forward(pd), ElementType::kI8,
      std::vector<RuntimeArgument>{{DNNL_ARG_SRC, pd.src_desc(), 0}}, std::move(constants), sum_input);
  if (signed_source) {
    const dnnl::memory::desc s8_source = with_element_type(pd.src_desc(), ElementType::kI8);
    choice.inputs.push_back(BufferDesc::from_dnnl(ElementType::kI8, s8_source));
    choice.kernel = make_signed_source_kernel(choice.kernel, s8_source, pd.src_desc(), engine);
  } else {
    choice.inputs.push_back(BufferDesc::from_dnnl(ElementType::kU8, pd.src_desc()));
  }
  if (residual) {
    // The operand is read in dst's layout with its own element type; dst is written over it in place.
    const ElementType b_type = request.inputs[1].type;
    choice.inputs.push_back(BufferDesc::from_dnnl(b_type, with_element_type(pd.dst_desc(), b_type)));
    choice.in_place_input = 1;
  }
  return choice;
}

}  // namespace octet::cpu
