// Unary math and activations: Relu, Clamp, PRelu, Sigmoid, HSwish, HSigmoid, Swish, Elu, Exp, Tanh, SoftMax
// and the plain unary functions.
#include <map>

#include "frontends/openvino_ir/ir_translator_table.h"

namespace octet::openvino_ir {
namespace {

// IR types whose internal op has the same single input and no attributes.
const std::map<std::string, std::string>& plain_unary_ops() {
  static const std::map<std::string, std::string> kOps = {
      {"Relu", "Relu"},    {"ReLU", "Relu"},        {"Sigmoid", "Sigmoid"},   {"Exp", "Exp"},
      {"Tanh", "Tanh"},    {"Abs", "Abs"},          {"Sqrt", "Sqrt"},         {"Log", "Log"},
      {"Floor", "Floor"},  {"Ceiling", "Ceil"},     {"Erf", "Erf"},           {"Sign", "Sign"},
      {"Negative", "Neg"}, {"HSwish", "HardSwish"}, {"SoftPlus", "Softplus"}, {"LogicalNot", "Not"}};
  return kOps;
}

std::vector<Value*> plain_unary(IrOpContext& c) {
  c.expect_inputs(1, 1);
  return {c.add(plain_unary_ops().at(c.layer().type), {c.input(0)})};
}

// HSigmoid(x) = min(max(x + 3, 0), 6) / 6 = HardSigmoid with alpha 1/6, beta 0.5.
std::vector<Value*> hsigmoid(IrOpContext& c) {
  c.expect_inputs(1, 1);
  return {c.add("HardSigmoid", {c.input(0)}, {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}})};
}

std::vector<Value*> clamp(IrOpContext& c) {
  c.expect_inputs(1, 1);
  const float lo = c.attr_float("min");
  const float hi = c.attr_float("max");
  if (lo > hi) c.invalid("min is greater than max");
  if (c.input(0)->type() != ElementType::kF32) c.unsupported("Clamp of a non-float input");
  return {c.add("Clip", {c.input(0), c.scalar_f32(lo), c.scalar_f32(hi)})};
}

// OpenVINO applies a 1-D slope along axis 1 (channels); numpy broadcasting would align it with the last
// axis, so it becomes [C, 1, ..., 1].
std::vector<Value*> prelu(IrOpContext& c) {
  c.expect_inputs(2, 2);
  Value* slope = c.input(1);
  const int64_t rank = c.input_rank(0);
  const int64_t slope_rank = c.input_rank(1);
  if (slope_rank == 1 && rank >= 3) {
    const int64_t channels = c.input_shape(1)[0];
    if (channels != 1) {
      std::vector<int64_t> dims(static_cast<size_t>(rank - 1), 1);
      dims[0] = channels == kDynamicDim ? -1 : channels;
      slope = c.add("Reshape", {slope, c.constant_i64(dims)});
    }
  }
  return {c.add("PRelu", {c.input(0), slope})};
}

// Swish(x, beta) = x * sigmoid(beta * x); beta defaults to 1.
std::vector<Value*> swish(IrOpContext& c) {
  c.expect_inputs(1, 2);
  Value* scaled = c.input_count() == 2 ? c.add("Mul", {c.input(0), c.input(1)}) : c.input(0);
  return {c.add("Mul", {c.input(0), c.add("Sigmoid", {scaled})})};
}

std::vector<Value*> elu(IrOpContext& c) {
  c.expect_inputs(1, 1);
  return {c.add("Elu", {c.input(0)}, {{"alpha", c.attr_float("alpha")}})};
}

// SoftMax-1 takes a non-negative axis; SoftMax-8 also a negative one. Both normalize along that axis only,
// as ONNX Softmax-13 does.
std::vector<Value*> softmax(IrOpContext& c) {
  c.expect_inputs(1, 1);
  return {c.add("Softmax", {c.input(0)}, {{"axis", c.attr_int_or("axis", 1)}})};
}

}  // namespace

void register_activation_translators(IrTranslatorTable& table) {
  for (const auto& [type, op] : plain_unary_ops()) {
    const bool opset4 = type == "HSwish" || type == "SoftPlus";
    const std::set<int> versions = opset4 ? std::set<int>{4} : std::set<int>{1};
    table.add(type, versions, plain_unary, {op});
  }
  table.add("HSigmoid", {5}, hsigmoid, {"HardSigmoid"});
  table.add("Clamp", {1}, clamp, {"Clip"});
  table.add("PRelu", {1}, prelu, {"PRelu", "Reshape"});
  table.add("PReLU", {1}, prelu, {"PRelu", "Reshape"});
  table.add("Swish", {4}, swish, {"Mul", "Sigmoid"});
  table.add("Elu", {1}, elu, {"Elu"});
  table.add("SoftMax", {1, 8}, softmax, {"Softmax"});
  table.add("Softmax", {1, 8}, softmax, {"Softmax"});
}

}  // namespace octet::openvino_ir
