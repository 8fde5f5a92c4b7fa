// Upsample and the older Resize versions -> Resize with opset 18 inputs (X, roi, scales, sizes).
#include <variant>

#include "frontends/onnx/opset_normalization.h"
#include "octet/error.h"

namespace octet::onnx_frontend {
namespace {

std::string string_attribute(const OnnxNode& node, const std::string& name, const std::string& fallback) {
  auto it = node.attributes.find(name);
  if (it == node.attributes.end()) return fallback;
  const auto* value = std::get_if<std::string>(&it->second);
  OCTET_CHECK(value, ErrorCode::kInvalidModel, node.label(), ": attribute '", name, "' must be a string");
  return *value;
}

bool is_empty_constant(const Value* value) {
  return value && value->is_constant() && value->constant().element_count() == 0;
}

// Upsample and Resize-10 compute x_original = x_resized / scale ("asymmetric"). For nearest they take the
// pixel at floor(x_original) when upsampling; ONNX Runtime and the Resize-10 reference data take
// ceil(x_original) when downsampling, so a downsampling Resize-10 maps to nearest_mode "ceil".
std::string nearest_mode_for_scales(const OnnxNode& node, const Value* scales) {
  if (!scales || !scales->is_constant()) return "floor";  // unknown scales: the upsampling case
  bool up = false;
  bool down = false;
  const Tensor& s = scales->constant();
  for (int64_t i = 0; i < s.element_count(); ++i) {
    const double scale = s.value_as_double(i);
    up = up || scale > 1.0;
    down = down || scale < 1.0;
  }
  OCTET_CHECK(!(up && down), ErrorCode::kUnsupported, node.label(),
              ": nearest resize that upsamples some axes and downsamples others (opset 10 rounding) is not "
              "supported");
  return down ? "ceil" : "floor";
}

// Resize with (X, scales) and the opset 10 behaviour spelled as opset 18 attributes.
void emit_asymmetric_resize(ImportContext& context, OnnxNode node, Value* scales) {
  std::string mode = string_attribute(node, "mode", "nearest");
  if (mode == "bilinear") mode = "linear";  // Upsample-1's name for it
  Value* x = node.input(0);
  node.op_type = "Resize";
  node.inputs = {x, nullptr, scales};
  node.attributes.clear();
  node.attributes["mode"] = mode;
  node.attributes["coordinate_transformation_mode"] = std::string("asymmetric");
  if (mode == "nearest") node.attributes["nearest_mode"] = nearest_mode_for_scales(node, scales);
  context.emit(std::move(node));
}

}  // namespace

// Upsample-7 (`scales` attribute) and Upsample-9 (`scales` input) -> Resize.
void normalize_upsample(ImportContext& context, OnnxNode node) {
  Value* scales = node.input(1);
  auto it = node.attributes.find("scales");
  if (it != node.attributes.end()) {
    const auto* values = std::get_if<std::vector<float>>(&it->second);
    OCTET_CHECK(values, ErrorCode::kInvalidModel, node.label(),
                ": attribute 'scales' must be a list of floats");
    OCTET_CHECK(!scales, ErrorCode::kInvalidModel, node.label(), ": has both a 'scales' attribute and input");
    scales = context.add_constant(
        node.name + "_scales", Tensor::from_vector<float>({static_cast<int64_t>(values->size())}, *values));
  }
  OCTET_CHECK(scales, ErrorCode::kInvalidModel, node.label(), ": has no scales");
  emit_asymmetric_resize(context, std::move(node), scales);
}

// Resize-10: inputs (X, scales).
void normalize_resize_10(ImportContext& context, OnnxNode node) {
  Value* scales = node.input(1);
  OCTET_CHECK(scales, ErrorCode::kInvalidModel, node.label(), ": has no scales");
  emit_asymmetric_resize(context, std::move(node), scales);
}

// Resize-11+: roi and scales were required inputs in 11, so models pass empty tensors for "not given";
// opset 18 omits them. Resize-11's "tf_half_pixel_for_nn" (x_original = (x + 0.5) / scale) is rewritten to
// half_pixel (x_original - 0.5) with the nearest mode that rounds that shifted coordinate the same way.
void normalize_resize_11(ImportContext& context, OnnxNode node) {
  if (is_empty_constant(node.input(1))) node.inputs[1] = nullptr;
  if (is_empty_constant(node.input(2))) node.inputs[2] = nullptr;
  if (string_attribute(node, "coordinate_transformation_mode", "half_pixel") == "tf_half_pixel_for_nn") {
    const std::string nearest_mode = string_attribute(node, "nearest_mode", "round_prefer_floor");
    // round_prefer_floor(y) == ceil(y - 0.5) and floor(y) == round_prefer_ceil(y - 0.5).
    std::string shifted_mode;
    if (nearest_mode == "round_prefer_floor") shifted_mode = "ceil";
    if (nearest_mode == "floor") shifted_mode = "round_prefer_ceil";
    OCTET_CHECK(string_attribute(node, "mode", "nearest") == "nearest" && !shifted_mode.empty(),
                ErrorCode::kUnsupported, node.label(),
                ": coordinate_transformation_mode 'tf_half_pixel_for_nn' is supported only for nearest mode "
                "with nearest_mode round_prefer_floor or floor");
    node.attributes["coordinate_transformation_mode"] = std::string("half_pixel");
    node.attributes["nearest_mode"] = shifted_mode;
  }
  context.emit(std::move(node));
}

}  // namespace octet::onnx_frontend
