// Attributes that later opsets turned into inputs become constant inputs, so that ops see one form.
#include <variant>

#include "frontends/onnx/opset_normalization.h"
#include "octet/error.h"

namespace octet::onnx_frontend {
namespace {

// Removes and returns an ints attribute, or nullopt if the node does not have it.
std::optional<std::vector<int64_t>> take_ints(OnnxNode& node, const std::string& name) {
  auto it = node.attributes.find(name);
  if (it == node.attributes.end()) return std::nullopt;
  const auto* ints = std::get_if<std::vector<int64_t>>(&it->second);
  OCTET_CHECK(ints, ErrorCode::kInvalidModel, node.label(), ": attribute '", name,
              "' must be a list of ints");
  std::vector<int64_t> out = *ints;
  node.attributes.erase(it);
  return out;
}

std::optional<float> take_float(OnnxNode& node, const std::string& name) {
  auto it = node.attributes.find(name);
  if (it == node.attributes.end()) return std::nullopt;
  const auto* value = std::get_if<float>(&it->second);
  OCTET_CHECK(value, ErrorCode::kInvalidModel, node.label(), ": attribute '", name, "' must be a float");
  const float out = *value;
  node.attributes.erase(it);
  return out;
}

Value* ints_constant(ImportContext& context, const OnnxNode& node, const std::string& what,
                     const std::vector<int64_t>& values) {
  return context.add_constant(node.name + "_" + what,
                              Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values));
}

// A scalar of the element type of the node's data input. The ops that take these (Clip-6, Pad-2) accept only
// float types; when the type cannot be inferred yet f32, by far the most common, is assumed.
Value* float_scalar_like(ImportContext& context, const OnnxNode& node, const std::string& what, float value) {
  const ElementType type =
      node.input(0) ? context.try_element_type(node.input(0)).value_or(ElementType::kF32) : ElementType::kF32;
  Tensor scalar = type == ElementType::kF16 ? Tensor::scalar(Float16(value)) : Tensor::scalar(value);
  return context.add_constant(node.name + "_" + what, std::move(scalar));
}

void move_ints_to_input(ImportContext& context, OnnxNode& node, const std::string& attribute, size_t index,
                        bool required) {
  std::optional<std::vector<int64_t>> values = take_ints(node, attribute);
  if (!values) {
    OCTET_CHECK(!required, ErrorCode::kInvalidModel, node.label(), ": missing attribute '", attribute, "'");
    return;
  }
  OCTET_CHECK(!node.input(index), ErrorCode::kInvalidModel, node.label(), ": has both an attribute '",
              attribute, "' and an input ", index);
  node.set_input(index, ints_constant(context, node, attribute, *values));
}

}  // namespace

// Squeeze/Unsqueeze before 13, ReduceSum before 13, the other Reduce* before 18: `axes` attribute -> input 1.
// An absent `axes` stays absent: "all axes" (Reduce*) and "every dim of size 1" (Squeeze) mean the same in
// both forms.
void normalize_axes_attribute(ImportContext& context, OnnxNode node) {
  move_ints_to_input(context, node, "axes", 1, false);
  context.emit(std::move(node));
}

// Split before 18: `split` attribute (before 13) -> input 1; without split sizes, the outputs are equal
// parts, which opset 18 spells num_outputs.
void normalize_split(ImportContext& context, OnnxNode node) {
  move_ints_to_input(context, node, "split", 1, false);
  if (!node.input(1)) node.attributes["num_outputs"] = static_cast<int64_t>(node.outputs.size());
  context.emit(std::move(node));
}

// Slice-1: starts/ends/axes attributes -> inputs 1..3 (steps did not exist: all 1, the default).
void normalize_slice_1(ImportContext& context, OnnxNode node) {
  move_ints_to_input(context, node, "starts", 1, true);
  move_ints_to_input(context, node, "ends", 2, true);
  move_ints_to_input(context, node, "axes", 3, false);
  context.emit(std::move(node));
}

// TopK-1: `k` attribute -> input 1 (a 1-element i64 tensor).
void normalize_topk_1(ImportContext& context, OnnxNode node) {
  auto it = node.attributes.find("k");
  OCTET_CHECK(it != node.attributes.end() && std::holds_alternative<int64_t>(it->second),
              ErrorCode::kInvalidModel, node.label(), ": missing int attribute 'k'");
  const int64_t k = std::get<int64_t>(it->second);
  node.attributes.erase(it);
  node.set_input(1, ints_constant(context, node, "k", {k}));
  context.emit(std::move(node));
}

// Clip-6: `min`/`max` float attributes -> scalar inputs of the data type. A missing bound stays an omitted
// input, which Clip-11+ reads as "unbounded", as Clip-6's defaults (the float limits) meant.
void normalize_clip_6(ImportContext& context, OnnxNode node) {
  if (std::optional<float> min = take_float(node, "min"))
    node.set_input(1, float_scalar_like(context, node, "min", *min));
  if (std::optional<float> max = take_float(node, "max"))
    node.set_input(2, float_scalar_like(context, node, "max", *max));
  context.emit(std::move(node));
}

// Pad-2: `pads` attribute -> input 1, `value` (default 0) -> input 2 in constant mode.
void normalize_pad_2(ImportContext& context, OnnxNode node) {
  move_ints_to_input(context, node, "pads", 1, true);
  const float value = take_float(node, "value").value_or(0.0f);
  const auto mode = node.attributes.find("mode");
  const bool constant_mode =
      mode == node.attributes.end() || (std::holds_alternative<std::string>(mode->second) &&
                                        std::get<std::string>(mode->second) == "constant");
  if (constant_mode) node.set_input(2, float_scalar_like(context, node, "value", value));
  context.emit(std::move(node));
}

}  // namespace octet::onnx_frontend
