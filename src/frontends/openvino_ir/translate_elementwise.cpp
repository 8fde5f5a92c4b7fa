// Binary arithmetic (Add, Subtract, ... with auto_broadcast numpy or none), comparisons, Convert and
// FakeQuantize.
#include <map>

#include "frontends/openvino_ir/ir_translator_table.h"

namespace octet::openvino_ir {
namespace {

const std::map<std::string, std::string>& binary_ops() {
  static const std::map<std::string, std::string> kOps = {
      {"Add", "Add"},         {"Subtract", "Sub"},
      {"Multiply", "Mul"},    {"Divide", "Div"},
      {"Maximum", "Max"},     {"Minimum", "Min"},
      {"Power", "Pow"},       {"Equal", "Equal"},
      {"Less", "Less"},       {"LessEqual", "LessOrEqual"},
      {"Greater", "Greater"}, {"GreaterEqual", "GreaterOrEqual"},
      {"LogicalAnd", "And"},  {"LogicalOr", "Or"},
      {"LogicalXor", "Xor"}};
  return kOps;
}

// "none" requires equal shapes, which numpy broadcasting computes identically; "pdpd" (PaddlePaddle's
// axis-aligned broadcast) has other semantics.
void check_broadcast(const IrOpContext& c) {
  const std::string mode = c.attr_string_or("auto_broadcast", "numpy");
  if (mode == "numpy") return;
  if (mode != "none") c.unsupported("auto_broadcast \"" + mode + "\" is not supported (numpy, none)");
  const Shape& a = c.input_shape(0);
  const Shape& b = c.input_shape(1);
  if (a.is_static() && b.is_static() && a != b)
    c.invalid("auto_broadcast is none but the inputs have shapes " + a.to_string() + " and " + b.to_string());
}

std::vector<Value*> binary(IrOpContext& c) {
  c.expect_inputs(2, 2);
  check_broadcast(c);
  const std::string& op = binary_ops().at(c.layer().type);
  if (c.layer().type == "Divide" && is_integral(c.input(0)->type()) && c.attr_bool_or("m_pythondiv", true)) {
    // Python division floors where ONNX Div truncates; a - (a mod b) is an exact multiple of b when Mod
    // takes the divisor's sign (fmod = 0), so dividing it floors for every sign.
    Value* remainder = c.add("Mod", {c.input(0), c.input(1)}, {{"fmod", int64_t{0}}});
    return {c.add("Div", {c.add("Sub", {c.input(0), remainder}), c.input(1)})};
  }
  return {c.add(op, {c.input(0), c.input(1)})};
}

// Octet computes in f32: a Convert to f16 (FP16 IRs) is a Convert to f32, see ir_reader.cpp.
std::string cast_target(const IrOpContext& c) {
  const std::string type = c.attr_string("destination_type");
  if (type == "f32" || type == "f16") return "f32";
  if (type == "i8" || type == "u8" || type == "i32" || type == "i64") return type;
  if (type == "boolean") return "bool";
  c.unsupported("destination_type \"" + type + "\" is not supported");
}

std::vector<Value*> convert(IrOpContext& c) {
  c.expect_inputs(1, 1);
  return {c.add("Cast", {c.input(0)}, {{"to", cast_target(c)}})};
}

std::vector<Value*> fake_quantize(IrOpContext& c) {
  c.expect_inputs(5, 5);
  const std::string mode = c.attr_string_or("auto_broadcast", "numpy");
  if (mode != "numpy" && mode != "none") c.unsupported("auto_broadcast \"" + mode + "\" is not supported");
  const int64_t levels = c.attr_int("levels");
  if (levels < 2) c.invalid("levels must be 2 or more");
  return {c.add("FakeQuantize", {c.input(0), c.input(1), c.input(2), c.input(3), c.input(4)},
                {{"levels", levels}})};
}

}  // namespace

void register_elementwise_translators(IrTranslatorTable& table) {
  for (const auto& [type, op] : binary_ops()) {
    if (type == "Divide") {
      table.add(type, {1}, binary, {op, "Mod", "Sub"});
    } else {
      table.add(type, {1}, binary, {op});
    }
  }
  table.add("Convert", {1}, convert, {"Cast"});
  table.add("FakeQuantize", {1}, fake_quantize, {"FakeQuantize"});
}

}  // namespace octet::openvino_ir
