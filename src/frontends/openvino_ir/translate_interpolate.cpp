// Interpolate-1/4/11 -> Resize (ONNX opset 18, with its `axes` attribute). Padding before interpolation has
// no Resize counterpart and is refused when nonzero.
#include "frontends/openvino_ir/ir_translator_table.h"

namespace octet::openvino_ir {
namespace {

void refuse_padding_and_antialias(const IrOpContext& c) {
  for (const char* key : {"pads_begin", "pads_end"}) {
    for (int64_t p : c.attr_ints_or(key, {}))
      if (p != 0) c.unsupported(std::string(key) + " other than 0 is not supported");
  }
  if (c.attr_bool_or("antialias", false)) c.unsupported("antialias is not supported");
}

std::vector<int64_t> all_axes(int64_t rank) {
  std::vector<int64_t> axes;
  for (int64_t a = 0; a < rank; ++a) axes.push_back(a);
  return axes;
}

// Interpolate-1 as OpenVINO itself upgrades it to Interpolate-4: align_corners when asked; otherwise linear
// modes use half_pixel except for a plain NCHW spatial resize, which (like nearest and cubic) is asymmetric.
// Its nearest mode "simple" truncates the source coordinate, which is floor for non-negative coordinates.
std::vector<Value*> interpolate_v1(IrOpContext& c) {
  c.expect_inputs(2, 2);
  refuse_padding_and_antialias(c);
  const std::vector<int64_t> axes = c.attr_ints("axes");
  const std::string mode = c.attr_string("mode");
  const int64_t rank = c.input_rank(0);
  Attributes attrs = {{"axes", axes}};
  std::string transform = "asymmetric";
  if (mode == "nearest") {
    attrs["mode"] = std::string("nearest");
    attrs["nearest_mode"] = std::string("floor");
  } else if (mode == "linear" || mode == "linear_onnx") {
    attrs["mode"] = std::string("linear");
    if (!(rank == 4 && axes == std::vector<int64_t>{2, 3})) transform = "half_pixel";
  } else if (mode == "cubic") {
    attrs["mode"] = std::string("cubic");
  } else {
    c.unsupported("mode \"" + mode + "\" is not supported");
  }
  if (c.attr_bool_or("align_corners", true)) transform = "align_corners";
  attrs["coordinate_transformation_mode"] = transform;
  return {c.add("Resize", {c.input(0), nullptr, nullptr, c.as_i64_vector(c.input(1))}, std::move(attrs))};
}

Attributes v4_attributes(const IrOpContext& c) {
  refuse_padding_and_antialias(c);
  Attributes attrs;
  const std::string mode = c.attr_string("mode");
  if (mode == "nearest") {
    attrs["mode"] = mode;
    const std::string nearest = c.attr_string_or("nearest_mode", "round_prefer_floor");
    if (nearest == "simple") c.unsupported("nearest_mode \"simple\" is not supported");
    attrs["nearest_mode"] = nearest;
  } else if (mode == "linear" || mode == "linear_onnx" || mode == "bilinear_pillow") {
    if (mode == "bilinear_pillow") c.unsupported("mode \"bilinear_pillow\" is not supported");
    attrs["mode"] = std::string("linear");
  } else if (mode == "cubic") {
    attrs["mode"] = mode;
    attrs["cubic_coeff_a"] = c.attr_float_or("cube_coeff", -0.75f);
  } else {
    c.unsupported("mode \"" + mode + "\" is not supported");
  }
  attrs["coordinate_transformation_mode"] = c.attr_string_or("coordinate_transformation_mode", "half_pixel");
  return attrs;
}

Value* resize(IrOpContext& c, Attributes attrs, Value* sizes_or_scales, size_t axes_input) {
  const std::vector<int64_t> axes =
      c.input_count() > axes_input ? c.constant_ints(axes_input) : all_axes(c.input_rank(0));
  attrs["axes"] = axes;
  const std::string calc = c.attr_string("shape_calculation_mode");
  if (calc == "sizes")
    return c.add("Resize", {c.input(0), nullptr, nullptr, c.as_i64_vector(sizes_or_scales)},
                 std::move(attrs));
  if (calc != "scales") c.invalid("shape_calculation_mode must be sizes or scales");
  Value* scales = sizes_or_scales;
  if (scales->type() != ElementType::kF32) scales = c.add("Cast", {scales}, {{"to", std::string("f32")}});
  return c.add("Resize", {c.input(0), nullptr, scales}, std::move(attrs));
}

// Interpolate-4: data, sizes, scales, [axes]; shape_calculation_mode picks sizes or scales.
std::vector<Value*> interpolate_v4(IrOpContext& c) {
  c.expect_inputs(3, 4);
  const bool by_sizes = c.attr_string("shape_calculation_mode") == "sizes";
  return {resize(c, v4_attributes(c), c.input(by_sizes ? 1 : 2), 3)};
}

// Interpolate-11: data, sizes or scales, [axes].
std::vector<Value*> interpolate_v11(IrOpContext& c) {
  c.expect_inputs(2, 3);
  return {resize(c, v4_attributes(c), c.input(1), 2)};
}

}  // namespace

void register_resize_translators(IrTranslatorTable& table) {
  table.add("Interpolate", {1}, interpolate_v1, {"Resize"});
  table.add("Interpolate", {4}, interpolate_v4, {"Resize"});
  table.add("Interpolate", {11}, interpolate_v11, {"Resize"});
}

}  // namespace octet::openvino_ir
