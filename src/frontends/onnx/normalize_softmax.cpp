// Softmax, LogSoftmax and Hardmax before opset 13 coerce the input to 2-D at `axis` (default 1) and normalize
// over the flattened trailing block; opset 13 normalizes over the single axis. The old meaning becomes
//
//   x -> Flatten(axis) -> Softmax(axis=-1) -> Reshape(shape = Shape(x)) -> y
//
// where Shape(x) keeps it right for dynamic dims. When the rank is known and `axis` is the last one, both
// meanings agree and the op stays alone.
#include <algorithm>
#include <variant>

#include "frontends/onnx/opset_normalization.h"
#include "octet/error.h"

namespace octet::onnx_frontend {

void normalize_softmax_coerced_2d(ImportContext& context, OnnxNode node) {
  Value* x = node.input(0);
  OCTET_CHECK(x, ErrorCode::kInvalidModel, node.label(), ": has no input");
  OCTET_CHECK(node.has_output(0), ErrorCode::kInvalidModel, node.label(), ": has no output");
  int64_t axis = 1;
  if (auto it = node.attributes.find("axis"); it != node.attributes.end()) {
    const auto* value = std::get_if<int64_t>(&it->second);
    OCTET_CHECK(value, ErrorCode::kInvalidModel, node.label(), ": attribute 'axis' must be an int");
    axis = *value;
  }
  node.attributes["axis"] = int64_t{-1};

  if (std::optional<size_t> rank = context.try_rank(x)) {
    const auto r = static_cast<int64_t>(*rank);
    OCTET_CHECK(axis >= -r && axis < std::max<int64_t>(r, 1), ErrorCode::kInvalidModel, node.label(),
                ": axis ", axis, " is out of range for rank ", r);
    if (r == 0 || (axis < 0 ? axis + r : axis) == r - 1) {
      context.emit(std::move(node));
      return;
    }
  }

  const std::string output_name = node.outputs[0];
  Value* flat = context.emit_helper("Flatten", node.name + "_flatten", {x}, {{"axis", axis}});
  node.inputs[0] = flat;
  node.outputs = {context.fresh_value_name(node.name + "_2d")};
  const std::string name = node.name;
  Value* normalized = context.emit(std::move(node))->output(0);
  Value* shape = context.emit_helper("Shape", name + "_shape", {x});

  OnnxNode reshape;
  reshape.op_type = "Reshape";
  reshape.name = context.fresh_node_name(name + "_reshape");
  reshape.inputs = {normalized, shape};
  reshape.outputs = {output_name};
  context.emit(std::move(reshape));
}

}  // namespace octet::onnx_frontend
