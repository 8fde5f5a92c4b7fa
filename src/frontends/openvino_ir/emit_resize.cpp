// Resize -> Interpolate-4. The ONNX attributes keep their names except mode (linear -> linear_onnx); the
// axes, and both the sizes and scales inputs that Interpolate-4 takes, are written out explicitly.
#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/op_helpers.h"

namespace octet::ir_writer {
namespace {

const Tensor* nonempty(const Tensor* t) {
  return t && t->element_count() > 0 ? t : nullptr;
}

void emit_resize(EmitContext& ctx) {
  const Node& node = ctx.node();
  const int64_t rank = static_cast<int64_t>(ctx.input_rank(0));
  const std::string mode = node.attribute_or<std::string>("mode", "nearest");
  const std::string transform =
      node.attribute_or<std::string>("coordinate_transformation_mode", "half_pixel");
  if (transform == "half_pixel_symmetric" || transform == "tf_crop_and_resize")
    ctx.unsupported("coordinate_transformation_mode '" + transform + "'");
  if (node.attribute_or<std::string>("keep_aspect_ratio_policy", "stretch") != "stretch")
    ctx.unsupported("keep_aspect_ratio_policy other than stretch");
  if (node.attribute_or<int64_t>("exclude_outside", 0) != 0) ctx.unsupported("exclude_outside");
  if (node.attribute_or<int64_t>("antialias", 0) != 0) ctx.unsupported("antialias");

  std::vector<int64_t> axes;
  for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  axes = node.attribute_or<std::vector<int64_t>>("axes", axes);
  for (int64_t& a : axes) a = normalize_axis(node, a, rank);

  const Tensor* scales = nonempty(ctx.constant_input(2));
  const bool scales_given = ctx.has_input(2) && !(ctx.constant_input(2) && !scales);
  if (scales_given && !scales) ctx.unsupported("computed scales");
  const Shape& in = ctx.input_shape(0);
  const Shape& out = ctx.output_shape(0);
  // Interpolate-4 wants both inputs whatever the mode; the unused one is what the other implies.
  std::vector<float> scale_values;
  std::vector<int64_t> size_values;
  for (size_t i = 0; i < axes.size(); ++i) {
    const auto a = static_cast<size_t>(axes[i]);
    size_values.push_back(out.rank_known() && out[a] != kDynamicDim ? out[a] : 1);
    if (scales) {
      scale_values.push_back(static_cast<float>(scales->value_as_double(static_cast<int64_t>(i))));
    } else {
      const bool known = in[a] != kDynamicDim && out.rank_known() && out[a] != kDynamicDim && in[a] > 0;
      scale_values.push_back(
          known ? static_cast<float>(static_cast<double>(out[a]) / static_cast<double>(in[a])) : 1.0f);
    }
  }
  const PortRef sizes_port = scales ? ctx.constant_i64(size_values, "sizes") : ctx.input(3);
  const PortRef scales_port = ctx.constant(
      Tensor::from_vector<float>({static_cast<int64_t>(scale_values.size())}, scale_values), "scales");

  IrData data;
  data.set_string("mode", mode == "linear" ? "linear_onnx" : mode);
  data.set_string("shape_calculation_mode", scales ? "scales" : "sizes");
  data.set_string("coordinate_transformation_mode", transform);
  data.set_string("nearest_mode", node.attribute_or<std::string>("nearest_mode", "round_prefer_floor"));
  data.set_bool("antialias", false);
  data.set_ints("pads_begin", std::vector<int64_t>(static_cast<size_t>(rank), 0));
  data.set_ints("pads_end", std::vector<int64_t>(static_cast<size_t>(rank), 0));
  data.set_float("cube_coeff", node.attribute_or<float>("cubic_coeff_a", -0.75f));
  ctx.bind_output(0, ctx.layer("Interpolate", "opset4",
                               {ctx.input(0), sizes_port, scales_port, ctx.constant_i64(axes, "axes")},
                               std::move(data), ctx.output_type(0), ctx.output_shape(0)));
}

}  // namespace

void register_resize_emitters(EmitterTable& t) {
  t["Resize"] = emit_resize;
}

}  // namespace octet::ir_writer
