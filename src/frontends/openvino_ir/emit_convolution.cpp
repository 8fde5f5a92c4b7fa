// Conv -> Convolution / GroupConvolution (+ Add bias), ConvTranspose -> (Group)ConvolutionBackpropData
// (+ Add bias), MatMul -> MatMul, Gemm -> MatMul (+ Multiply alpha) (+ Add beta * C). Pads are written
// resolved (explicit) whenever the input dims allow, so both formats' auto_pad rules never have to agree.
#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/convolution_kernel.h"

namespace octet::ir_writer {
namespace {

constexpr size_t kX = 0, kW = 1, kB = 2;

const Dims& static_weight_dims(EmitContext& ctx) {
  const Shape& w = ctx.input_shape(kW);
  if (!w.is_static()) ctx.unsupported("the weights need static dims");
  return w.dims();
}

// Explicit pads when they are known; otherwise the auto_pad rule (same rule in both formats).
void set_pads(EmitContext& ctx, IrData& data, const ConvGeometry& g) {
  set_window_data(data, g.strides, g.dilations, g.pads_begin, g.pads_end, true);
  if (has_dynamic(g.pads_begin) || has_dynamic(g.pads_end)) {
    data = IrData();
    set_window_data(data, g.strides, g.dilations, Dims(g.strides.size(), 0), Dims(g.strides.size(), 0), true);
    const std::string auto_pad = ctx.node().attribute_or<std::string>("auto_pad", "NOTSET");
    if (auto_pad == "NOTSET") ctx.unsupported("pads depend on dynamic input dims");
    data.set_string("auto_pad", ir_auto_pad(auto_pad));
    return;
  }
  data.set_string("auto_pad", "explicit");
}

// The output of the convolution proper (before the bias): the node's output dims.
void finish_with_bias(EmitContext& ctx, const std::string& type, std::vector<PortRef> inputs, IrData data) {
  const Shape& out = ctx.output_shape(0);
  const bool bias = ctx.has_input(kB);
  const PortRef conv = ctx.layer(type, "opset1", std::move(inputs), std::move(data), ctx.output_type(0), out,
                                 bias ? "conv" : "");
  ctx.bind_output(0, bias ? add_channel_bias(ctx, conv, kB, ctx.input_rank(kX), out) : conv);
}

void emit_conv(EmitContext& ctx) {
  const Dims& w = static_weight_dims(ctx);
  const size_t rank = ctx.input_rank(kX);
  const ConvGeometry g = conv_geometry(ctx.node(), ctx.input_shape(kX).dims(), w);
  OCTET_CHECK(w.size() == rank, ErrorCode::kInvalidModel, ctx.node().label(), ": weights of rank ", w.size(),
              " for an input of rank ", rank);
  IrData data;
  set_pads(ctx, data, g);
  PortRef weights = ctx.input(kW);
  std::string type = "Convolution";
  if (g.group != 1) {
    // [M, C/g, k...] -> [g, M/g, C/g, k...]
    Dims grouped{g.group, w[0] / g.group};
    grouped.insert(grouped.end(), w.begin() + 1, w.end());
    weights = reshape_to(ctx, weights, ctx.node().input(kW), grouped, "weights");
    type = "GroupConvolution";
  }
  finish_with_bias(ctx, type, {ctx.input(kX), weights}, std::move(data));
}

void emit_conv_transpose(EmitContext& ctx) {
  const Dims& w = static_weight_dims(ctx);
  const Dims& x = ctx.input_shape(kX).dims();
  const size_t rank = ctx.input_rank(kX);
  const ConvGeometry g = conv_transpose_geometry(ctx.node(), x, w);
  IrData data;
  set_pads(ctx, data, g);
  // output_padding is what the geometry added beyond stride * (in - 1) + extent - pads.
  Dims output_padding(g.strides.size(), 0);
  for (size_t i = 0; i < output_padding.size(); ++i) {
    if (g.in_spatial[i] == kDynamicDim || g.out_spatial[i] == kDynamicDim || g.pads_begin[i] == kDynamicDim) {
      output_padding =
          ctx.node().attribute_or<std::vector<int64_t>>("output_padding", Dims(g.strides.size(), 0));
      break;
    }
    output_padding[i] =
        g.out_spatial[i] - (g.strides[i] * (g.in_spatial[i] - 1) + (g.kernel[i] - 1) * g.dilations[i] + 1 -
                            g.pads_begin[i] - g.pads_end[i]);
  }
  data.set_ints("output_padding", output_padding);
  PortRef weights = ctx.input(kW);
  std::string type = "ConvolutionBackpropData";
  if (g.group != 1) {
    // [C, M/g, k...] -> [g, C/g, M/g, k...]
    Dims grouped{g.group, w[0] / g.group};
    grouped.insert(grouped.end(), w.begin() + 1, w.end());
    weights = reshape_to(ctx, weights, ctx.node().input(kW), grouped, "weights");
    type = "GroupConvolutionBackpropData";
  }
  (void)rank;
  finish_with_bias(ctx, type, {ctx.input(kX), weights}, std::move(data));
}

void emit_matmul(EmitContext& ctx) {
  IrData data;
  data.set_bool("transpose_a", false);
  data.set_bool("transpose_b", false);
  ctx.bind_output(0, ctx.layer("MatMul", "opset1", {ctx.input(0), ctx.input(1)}, std::move(data),
                               ctx.output_type(0), ctx.output_shape(0)));
}

void emit_gemm(EmitContext& ctx) {
  const Node& node = ctx.node();
  const float alpha = node.attribute_or<float>("alpha", 1.0f);
  const float beta = node.attribute_or<float>("beta", 1.0f);
  const bool has_c =
      ctx.has_input(2) && !(ctx.constant_input(2) && ctx.constant_input(2)->element_count() == 0);
  const Shape& out = ctx.output_shape(0);
  IrData data;
  data.set_bool("transpose_a", node.attribute_or<int64_t>("transA", 0) != 0);
  data.set_bool("transpose_b", node.attribute_or<int64_t>("transB", 0) != 0);
  const bool scaled = alpha != 1.0f;
  PortRef y = ctx.layer("MatMul", "opset1", {ctx.input(0), ctx.input(1)}, std::move(data), ctx.output_type(0),
                        out, scaled || has_c ? "matmul" : "");
  if (scaled)
    y = ctx.layer("Multiply", "opset1", {y, ctx.scalar_f32(alpha, "alpha")}, numpy_broadcast_data(),
                  ctx.output_type(0), out, has_c ? "alpha" : "");
  if (has_c) {
    PortRef c = ctx.input(2);
    if (beta != 1.0f) {
      if (const Tensor* constant = ctx.constant_input(2)) {
        // beta * C folded as the reference computes it, one float product per element.
        Tensor scaled_c = constant->clone();
        for (float& v : scaled_c.values<float>()) v = beta * v;
        c = ctx.constant(scaled_c, "beta_c");
      } else {
        c = ctx.layer("Multiply", "opset1", {c, ctx.scalar_f32(beta, "beta")}, numpy_broadcast_data(),
                      ctx.input_type(2), ctx.input_shape(2), "beta");
      }
    }
    y = ctx.layer("Add", "opset1", {y, c}, numpy_broadcast_data(), ctx.output_type(0), out);
  }
  ctx.bind_output(0, y);
}

}  // namespace

void register_convolution_emitters(EmitterTable& t) {
  t["Conv"] = emit_conv;
  t["ConvTranspose"] = emit_conv_transpose;
  t["MatMul"] = emit_matmul;
  t["Gemm"] = emit_gemm;
}

}  // namespace octet::ir_writer
