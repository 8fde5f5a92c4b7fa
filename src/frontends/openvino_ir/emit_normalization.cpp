// BatchNormalization -> Multiply + Add with folded per-channel constants; Softmax -> SoftMax; LogSoftmax ->
// LogSoftmax-5; MeanVarianceNormalization / InstanceNormalization / LayerNormalization -> MVN-6 (+ Multiply
// + Add for the scale and bias); LpNormalization (p = 2) -> NormalizeL2.
#include <cmath>

#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/op_helpers.h"

namespace octet::ir_writer {
namespace {

// y = x * s + b with s = scale / sqrt(var + eps), b = B - mean * s, per channel [1, C, 1, ...] (computed in
// double, as the reference evaluates the op).
void emit_batch_norm(EmitContext& ctx) {
  const Node& node = ctx.node();
  if (node.output_count() > 1) ctx.unsupported("training outputs have no IR form");
  const Tensor& scale = ctx.required_constant(1, "scale");
  const Tensor& bias = ctx.required_constant(2, "B");
  const Tensor& mean = ctx.required_constant(3, "input_mean");
  const Tensor& var = ctx.required_constant(4, "input_var");
  const double epsilon = node.attribute_or<float>("epsilon", 1e-5f);
  const size_t rank = ctx.input_rank(0);
  if (rank < 2 || ctx.input_type(0) != ElementType::kF32) ctx.unsupported("needs an f32 input of rank >= 2");
  const int64_t channels = scale.element_count();
  Dims dims(rank, 1);
  dims[1] = channels;
  Tensor s(ElementType::kF32, dims);
  Tensor b(ElementType::kF32, dims);
  for (int64_t c = 0; c < channels; ++c) {
    const double k = scale.value_as_double(c) / std::sqrt(var.value_as_double(c) + epsilon);
    s.data<float>()[c] = static_cast<float>(k);
    b.data<float>()[c] = static_cast<float>(bias.value_as_double(c) - mean.value_as_double(c) * k);
  }
  const Shape& out = ctx.output_shape(0);
  const PortRef scaled = ctx.layer("Multiply", "opset1", {ctx.input(0), ctx.constant(s, "scale")},
                                   numpy_broadcast_data(), ElementType::kF32, out, "scale");
  ctx.bind_output(0, ctx.layer("Add", "opset1", {scaled, ctx.constant(b, "shift")}, numpy_broadcast_data(),
                               ElementType::kF32, out));
}

int64_t normalized_axis(EmitContext& ctx, int64_t fallback) {
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  return normalize_axis(ctx.node(), ctx.node().attribute_or<int64_t>("axis", fallback), rank);
}

void emit_softmax(EmitContext& ctx, const std::string& type, const std::string& version) {
  IrData data;
  data.set_int("axis", normalized_axis(ctx, -1));
  ctx.bind_output(
      0, ctx.layer(type, version, {ctx.input(0)}, std::move(data), ctx.output_type(0), ctx.output_shape(0)));
}

// MVN-6 over `axes`; eps inside the square root (InstanceNorm, LayerNorm) or outside (ONNX's MVN).
PortRef mvn(EmitContext& ctx, const std::vector<int64_t>& axes, double eps, bool inside_sqrt, bool is_node) {
  IrData data;
  data.set_bool("normalize_variance", true);
  data.set_float("eps", eps);
  data.set_string("eps_mode", inside_sqrt ? "inside_sqrt" : "outside_sqrt");
  return ctx.layer("MVN", "opset6", {ctx.input(0), ctx.constant_i64(axes, "axes")}, std::move(data),
                   ctx.output_type(0), ctx.output_shape(0), is_node ? "" : "mvn");
}

// y = mvn * scale + bias, with scale / bias taken as they are (LayerNorm) or as [1, C, 1...] (InstanceNorm).
void scale_and_shift(EmitContext& ctx, PortRef x, bool per_channel) {
  const size_t rank = ctx.input_rank(0);
  const Shape& out = ctx.output_shape(0);
  PortRef scale = ctx.input(1);
  if (per_channel) {
    Dims dims(rank, 1);
    const Shape& s = ctx.input_shape(1);
    if (!s.is_static() || s.rank() != 1) ctx.unsupported("scale must be a static 1-D tensor");
    dims[1] = s[0];
    scale = reshape_to(ctx, scale, ctx.node().input(1), dims, "scale_reshaped");
  }
  const bool has_bias = ctx.has_input(2);
  x = ctx.layer("Multiply", "opset1", {x, scale}, numpy_broadcast_data(), ctx.output_type(0), out,
                has_bias ? "scale" : "");
  if (has_bias) {
    if (per_channel) {
      x = add_channel_bias(ctx, x, 2, rank, out);
    } else {
      x = ctx.layer("Add", "opset1", {x, ctx.input(2)}, numpy_broadcast_data(), ctx.output_type(0), out);
    }
  }
  ctx.bind_output(0, x);
}

void emit_instance_norm(EmitContext& ctx) {
  const size_t rank = ctx.input_rank(0);
  std::vector<int64_t> axes;
  for (size_t i = 2; i < rank; ++i) axes.push_back(static_cast<int64_t>(i));
  const double eps = ctx.node().attribute_or<float>("epsilon", 1e-5f);
  scale_and_shift(ctx, mvn(ctx, axes, eps, true, false), true);
}

void emit_layer_norm(EmitContext& ctx) {
  const Node& node = ctx.node();
  for (size_t i = 1; i < node.output_count(); ++i)
    if (!node.output(i)->uses().empty()) ctx.unsupported("the Mean / InvStdDev outputs are used");
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  std::vector<int64_t> axes;
  for (int64_t i = normalized_axis(ctx, -1); i < rank; ++i) axes.push_back(i);
  const double eps = node.attribute_or<float>("epsilon", 1e-5f);
  scale_and_shift(ctx, mvn(ctx, axes, eps, true, false), false);
}

void emit_mean_variance_norm(EmitContext& ctx) {
  std::vector<int64_t> axes = ctx.node().attribute_or<std::vector<int64_t>>("axes", {0, 2, 3});
  ctx.bind_output(0, mvn(ctx, axes, 1e-9, false, true));
}

void emit_lp_norm(EmitContext& ctx) {
  if (ctx.node().attribute_or<int64_t>("p", 2) != 2) ctx.unsupported("only p = 2 has an IR form");
  IrData data;
  data.set_float("eps", 0.0);
  data.set_string("eps_mode", "add");
  const PortRef axes = ctx.constant_i64({normalized_axis(ctx, -1)}, "axes");
  ctx.bind_output(0, ctx.layer("NormalizeL2", "opset1", {ctx.input(0), axes}, std::move(data),
                               ctx.output_type(0), ctx.output_shape(0)));
}

}  // namespace

void register_normalization_emitters(EmitterTable& t) {
  t["BatchNormalization"] = emit_batch_norm;
  t["Softmax"] = [](EmitContext& ctx) { emit_softmax(ctx, "SoftMax", "opset1"); };
  t["LogSoftmax"] = [](EmitContext& ctx) { emit_softmax(ctx, "LogSoftmax", "opset5"); };
  t["InstanceNormalization"] = emit_instance_norm;
  t["LayerNormalization"] = emit_layer_norm;
  t["MeanVarianceNormalization"] = emit_mean_variance_norm;
  t["LpNormalization"] = emit_lp_norm;
}

}  // namespace octet::ir_writer
