// Reshape, Transpose, Squeeze, Unsqueeze, Concat, ShapeOf, Tile, Pad, Range.
#include "frontends/openvino_ir/ir_translator_table.h"

namespace octet::openvino_ir {
namespace {

// special_zero=true: a 0 copies the input dim (ONNX allowzero=0); false: a 0 is a zero dim (allowzero=1).
std::vector<Value*> reshape(IrOpContext& c) {
  c.expect_inputs(2, 2);
  const int64_t allow_zero = c.attr_bool("special_zero") ? 0 : 1;
  return {c.add("Reshape", {c.input(0), c.as_i64_vector(c.input(1))}, {{"allowzero", allow_zero}})};
}

// An empty order reverses the axes, as ONNX Transpose without perm does.
std::vector<Value*> transpose(IrOpContext& c) {
  c.expect_inputs(2, 2);
  const std::vector<int64_t> order = c.constant_ints(1);
  Attributes attrs;
  if (!order.empty()) attrs["perm"] = order;
  return {c.add("Transpose", {c.input(0)}, std::move(attrs))};
}

std::vector<Value*> squeeze(IrOpContext& c) {
  c.expect_inputs(1, 2);
  if (c.input_count() == 1) return {c.add("Squeeze", {c.input(0)})};
  return {c.add("Squeeze", {c.input(0), c.as_i64_vector(c.input(1))})};
}

std::vector<Value*> unsqueeze(IrOpContext& c) {
  c.expect_inputs(2, 2);
  return {c.add("Unsqueeze", {c.input(0), c.as_i64_vector(c.input(1))})};
}

std::vector<Value*> concat(IrOpContext& c) {
  if (c.input_count() == 0) c.invalid("Concat needs at least one input");
  std::vector<Value*> inputs;
  for (size_t i = 0; i < c.input_count(); ++i) inputs.push_back(c.input(i));
  return {c.add("Concat", std::move(inputs), {{"axis", c.attr_int("axis")}})};
}

// ShapeOf-1 gives i64; ShapeOf-3 has output_type (i64 or i32).
std::vector<Value*> shape_of(IrOpContext& c) {
  c.expect_inputs(1, 1);
  Value* shape = c.add("Shape", {c.input(0)});
  const std::string type = c.attr_string_or("output_type", "i64");
  if (type == "i32") return {c.add("Cast", {shape}, {{"to", std::string("i32")}})};
  if (type != "i64") c.invalid("output_type must be i64 or i32");
  return {shape};
}

// OpenVINO pads `repeats` with leading 1s when it is shorter than the rank, and prepends axes to the data
// when it is longer; ONNX Tile needs one repeat per axis.
std::vector<Value*> tile(IrOpContext& c) {
  c.expect_inputs(2, 2);
  std::vector<int64_t> repeats = c.constant_ints(1);
  const int64_t rank = c.input_rank(0);
  Value* data = c.input(0);
  const auto count = static_cast<int64_t>(repeats.size());
  if (count < rank) {
    repeats.insert(repeats.begin(), static_cast<size_t>(rank - count), 1);
  } else if (count > rank) {
    std::vector<int64_t> axes;
    for (int64_t a = 0; a < count - rank; ++a) axes.push_back(a);
    data = c.add("Unsqueeze", {data, c.constant_i64(axes)});
  }
  return {c.add("Tile", {data, c.constant_i64(repeats)})};
}

// Pad-1: pads_begin, pads_end, optional pad_value; pad_mode constant, edge, reflect (symmetric has no
// ONNX counterpart).
std::vector<Value*> pad(IrOpContext& c) {
  c.expect_inputs(3, 4);
  const std::string mode = c.attr_string_or("pad_mode", "constant");
  if (mode == "symmetric") c.unsupported("pad_mode \"symmetric\" is not supported");
  if (mode != "constant" && mode != "edge" && mode != "reflect")
    c.invalid("unknown pad_mode \"" + mode + "\"");
  Value* pads =
      c.add("Concat", {c.as_i64_vector(c.input(1)), c.as_i64_vector(c.input(2))}, {{"axis", int64_t{0}}});
  std::vector<Value*> inputs = {c.input(0), pads};
  if (c.input_count() == 4 && mode == "constant") inputs.push_back(c.input(3));
  return {c.add("Pad", std::move(inputs), {{"mode", mode}})};
}

// Range-4 converts its scalar inputs to output_type; Range-1 keeps their common type.
std::vector<Value*> range(IrOpContext& c) {
  c.expect_inputs(3, 3);
  std::vector<Value*> inputs = {c.input(0), c.input(1), c.input(2)};
  if (c.has_attr("output_type")) {
    std::string type = c.attr_string("output_type");
    if (type == "f16") type = "f32";
    if (type != "f32" && type != "i32" && type != "i64") c.unsupported("output_type \"" + type + "\"");
    for (Value*& v : inputs) v = c.add("Cast", {v}, {{"to", type}});
  }
  for (Value*& v : inputs) {
    if (!v->shape().rank_known() || v->shape().rank() != 0) v = c.add("Squeeze", {v});
  }
  return {c.add("Range", inputs)};
}

}  // namespace

void register_shape_translators(IrTranslatorTable& table) {
  table.add("Reshape", {1}, reshape, {"Reshape"});
  table.add("Transpose", {1}, transpose, {"Transpose"});
  table.add("Squeeze", {1}, squeeze, {"Squeeze"});
  table.add("Unsqueeze", {1}, unsqueeze, {"Unsqueeze"});
  table.add("Concat", {1}, concat, {"Concat"});
  table.add("ShapeOf", {1, 3}, shape_of, {"Shape", "Cast"});
  table.add("Tile", {1}, tile, {"Tile", "Unsqueeze"});
  table.add("Pad", {1}, pad, {"Pad", "Concat"});
  table.add("Range", {1, 4}, range, {"Range", "Cast", "Squeeze"});
}

}  // namespace octet::openvino_ir
