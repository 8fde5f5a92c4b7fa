// Elementwise ops: most have an OpenVINO twin with numpy broadcasting; the ONNX-only spellings are rebuilt
// from IR ops (Sum -> Add chain, LeakyRelu -> PRelu, Reciprocal -> Divide, Identity -> no layer).
#include <cfloat>

#include "frontends/openvino_ir/emit_helpers.h"
#include "frontends/openvino_ir/ir_emit_context.h"
#include "ops/op_helpers.h"

namespace octet::ir_writer {
namespace {

// A chain of two-input layers over every input (ONNX's variadic Max/Min/Sum); the last one is the node.
PortRef fold_inputs(EmitContext& ctx, const std::string& ir_type, bool last_is_node) {
  const Node& node = ctx.node();
  OCTET_CHECK(node.input_count() >= 1, ErrorCode::kInvalidModel, node.label(), ": needs at least one input");
  PortRef acc = ctx.input(0);
  Shape shape = ctx.input_shape(0);
  for (size_t i = 1; i < node.input_count(); ++i) {
    shape = broadcast_shapes(node, shape, ctx.input_shape(i));
    const bool last = last_is_node && i + 1 == node.input_count();
    acc = ctx.layer(ir_type, "opset1", {acc, ctx.input(i)}, numpy_broadcast_data(), ctx.output_type(0), shape,
                    last ? "" : "step" + std::to_string(i));
  }
  return acc;
}

void add_binary(EmitterTable& table, const std::string& onnx, const std::string& ir) {
  table[onnx] = [ir](EmitContext& ctx) {
    IrData data = numpy_broadcast_data();
    // ONNX divides integers truncating toward zero; OpenVINO's default (python division) floors.
    if (ir == "Divide" && is_integral(ctx.input_type(0))) data.set_bool("m_pythondiv", false);
    ctx.bind_output(0, ctx.layer(ir, "opset1", {ctx.input(0), ctx.input(1)}, std::move(data),
                                 ctx.output_type(0), ctx.output_shape(0)));
  };
}

void add_variadic(EmitterTable& table, const std::string& onnx, const std::string& ir) {
  table[onnx] = [ir](EmitContext& ctx) {
    if (ctx.node().input_count() == 1) {
      ctx.bind_output(0, ctx.input(0));
      return;
    }
    ctx.bind_output(0, fold_inputs(ctx, ir, true));
  };
}

void add_unary(EmitterTable& table, const std::string& onnx, const std::string& ir,
               const std::string& version = "opset1") {
  table[onnx] = [ir, version](EmitContext& ctx) {
    ctx.bind_output(0, ctx.layer(ir, version, {ctx.input(0)}, {}, ctx.output_type(0), ctx.output_shape(0)));
  };
}

// A scalar constant of the node's input type holding `value` (the alpha/beta inputs of HardSigmoid, Selu).
PortRef typed_scalar(EmitContext& ctx, double value, const std::string& suffix) {
  Tensor t = convert_tensor(Tensor::scalar<float>(static_cast<float>(value)), ctx.input_type(0));
  return ctx.constant(t, suffix);
}

void emit_clip(EmitContext& ctx) {
  const Node& node = ctx.node();
  const Tensor* min = ctx.constant_input(1);
  const Tensor* max = ctx.constant_input(2);
  const bool min_given = node.has_input(1) && (!min || min->element_count() > 0);
  const bool max_given = node.has_input(2) && (!max || max->element_count() > 0);
  if ((min_given && !min) || (max_given && !max)) {
    // Computed limits: Maximum then Minimum (what Clip means).
    PortRef x = ctx.input(0);
    if (min_given)
      x = ctx.layer("Maximum", "opset1", {x, ctx.input(1)}, numpy_broadcast_data(), ctx.output_type(0),
                    ctx.output_shape(0), max_given ? "min" : "");
    if (max_given)
      x = ctx.layer("Minimum", "opset1", {x, ctx.input(2)}, numpy_broadcast_data(), ctx.output_type(0),
                    ctx.output_shape(0));
    ctx.bind_output(0, x);
    return;
  }
  IrData data;
  data.set_float("min", min_given ? min->value_as_double(0) : -static_cast<double>(FLT_MAX));
  data.set_float("max", max_given ? max->value_as_double(0) : static_cast<double>(FLT_MAX));
  if (!is_floating(ctx.input_type(0)) && (!min_given || !max_given))
    ctx.unsupported("an integer Clip needs both limits");
  ctx.bind_output(0, ctx.layer("Clamp", "opset1", {ctx.input(0)}, std::move(data), ctx.output_type(0),
                               ctx.output_shape(0)));
}

void emit_prelu(EmitContext& ctx) {
  PortRef slope;
  const Tensor* constant = ctx.constant_input(1);
  const size_t rank = ctx.input_rank(0);
  if (constant && constant->element_count() > 1 && constant->rank() < rank) {
    // OpenVINO reads a 1-D slope as per channel (axis 1); ONNX broadcasts it from the right. A full-rank
    // slope means the same to both.
    Dims dims(rank - constant->rank(), 1);
    dims.insert(dims.end(), constant->dims().begin(), constant->dims().end());
    slope = ctx.constant(constant->reshaped(dims), "slope");
  } else {
    const Shape& s = ctx.input_shape(1);
    if (!constant && rank > 2 && (!s.rank_known() || s.rank() == 1))
      ctx.unsupported("a computed 1-D slope would mean per channel to OpenVINO");
    slope = ctx.input(1);
  }
  ctx.bind_output(
      0, ctx.layer("PRelu", "opset1", {ctx.input(0), slope}, {}, ctx.output_type(0), ctx.output_shape(0)));
}

void register_math(EmitterTable& t) {
  const std::pair<const char*, const char*> binaries[] = {{"Add", "Add"},
                                                          {"Sub", "Subtract"},
                                                          {"Mul", "Multiply"},
                                                          {"Div", "Divide"},
                                                          {"Pow", "Power"},
                                                          {"Equal", "Equal"},
                                                          {"Less", "Less"},
                                                          {"Greater", "Greater"},
                                                          {"And", "LogicalAnd"},
                                                          {"Or", "LogicalOr"},
                                                          {"Xor", "LogicalXor"},
                                                          {"LessOrEqual", "LessEqual"},
                                                          {"GreaterOrEqual", "GreaterEqual"}};
  for (const auto& [onnx, ir] : binaries) add_binary(t, onnx, ir);
  add_variadic(t, "Max", "Maximum");
  add_variadic(t, "Min", "Minimum");
  add_variadic(t, "Sum", "Add");
  t["Mean"] = [](EmitContext& ctx) {
    const size_t n = ctx.node().input_count();
    if (n == 1) return ctx.bind_output(0, ctx.input(0));
    const PortRef sum = fold_inputs(ctx, "Add", false);
    const PortRef count = typed_scalar(ctx, static_cast<double>(n), "count");
    ctx.bind_output(0, ctx.layer("Divide", "opset1", {sum, count}, numpy_broadcast_data(), ctx.output_type(0),
                                 ctx.output_shape(0)));
  };
  t["Mod"] = [](EmitContext& ctx) {
    const bool c_style = ctx.node().attribute_or<int64_t>("fmod", 0) == 1;
    ctx.bind_output(0, ctx.layer(c_style ? "Mod" : "FloorMod", "opset1", {ctx.input(0), ctx.input(1)},
                                 numpy_broadcast_data(), ctx.output_type(0), ctx.output_shape(0)));
  };
  t["Where"] = [](EmitContext& ctx) {
    ctx.bind_output(0, ctx.layer("Select", "opset1", {ctx.input(0), ctx.input(1), ctx.input(2)},
                                 numpy_broadcast_data(), ctx.output_type(0), ctx.output_shape(0)));
  };
}

void register_activations(EmitterTable& t) {
  const std::pair<const char*, const char*> unaries[] = {
      {"Relu", "Relu"}, {"Sigmoid", "Sigmoid"}, {"Tanh", "Tanh"},     {"Exp", "Exp"},     {"Log", "Log"},
      {"Sqrt", "Sqrt"}, {"Abs", "Abs"},         {"Neg", "Negative"},  {"Floor", "Floor"}, {"Ceil", "Ceiling"},
      {"Erf", "Erf"},   {"Sign", "Sign"},       {"Not", "LogicalNot"}};
  for (const auto& [onnx, ir] : unaries) add_unary(t, onnx, ir);
  add_unary(t, "Softplus", "SoftPlus", "opset4");
  add_unary(t, "HardSwish", "HSwish", "opset4");
  add_unary(t, "Softsign", "SoftSign", "opset9");
  t["Round"] = [](EmitContext& ctx) {
    IrData data;
    data.set_string("mode", "half_to_even");
    ctx.bind_output(0, ctx.layer("Round", "opset5", {ctx.input(0)}, std::move(data), ctx.output_type(0),
                                 ctx.output_shape(0)));
  };
  t["Reciprocal"] = [](EmitContext& ctx) {
    const PortRef one = typed_scalar(ctx, 1.0, "one");
    ctx.bind_output(0, ctx.layer("Divide", "opset1", {one, ctx.input(0)}, numpy_broadcast_data(),
                                 ctx.output_type(0), ctx.output_shape(0)));
  };
  t["Elu"] = [](EmitContext& ctx) {
    IrData data;
    data.set_float("alpha", ctx.node().attribute_or<float>("alpha", 1.0f));
    ctx.bind_output(0, ctx.layer("Elu", "opset1", {ctx.input(0)}, std::move(data), ctx.output_type(0),
                                 ctx.output_shape(0)));
  };
  t["LeakyRelu"] = [](EmitContext& ctx) {
    const PortRef slope = typed_scalar(ctx, ctx.node().attribute_or<float>("alpha", 0.01f), "alpha");
    ctx.bind_output(
        0, ctx.layer("PRelu", "opset1", {ctx.input(0), slope}, {}, ctx.output_type(0), ctx.output_shape(0)));
  };
  // HardSigmoid-1 exists, but IR readers commonly know only HSigmoid (fixed alpha 1/6): written as the
  // formula, max(0, min(1, alpha * x + beta)), which every reader runs with the same float operations.
  t["HardSigmoid"] = [](EmitContext& ctx) {
    const Shape& out = ctx.output_shape(0);
    const ElementType type = ctx.output_type(0);
    const PortRef alpha = typed_scalar(ctx, ctx.node().attribute_or<float>("alpha", 0.2f), "alpha");
    const PortRef beta = typed_scalar(ctx, ctx.node().attribute_or<float>("beta", 0.5f), "beta");
    const PortRef scaled =
        ctx.layer("Multiply", "opset1", {ctx.input(0), alpha}, numpy_broadcast_data(), type, out, "scale");
    const PortRef shifted =
        ctx.layer("Add", "opset1", {scaled, beta}, numpy_broadcast_data(), type, out, "shift");
    IrData data;
    data.set_float("min", 0.0);
    data.set_float("max", 1.0);
    ctx.bind_output(0, ctx.layer("Clamp", "opset1", {shifted}, std::move(data), type, out));
  };
  t["Selu"] = [](EmitContext& ctx) {
    const PortRef alpha =
        typed_scalar(ctx, ctx.node().attribute_or<float>("alpha", 1.67326319217681884765625f), "alpha");
    const PortRef lambda =
        typed_scalar(ctx, ctx.node().attribute_or<float>("gamma", 1.05070102214813232421875f), "lambda");
    ctx.bind_output(0, ctx.layer("Selu", "opset1", {ctx.input(0), alpha, lambda}, {}, ctx.output_type(0),
                                 ctx.output_shape(0)));
  };
  t["PRelu"] = emit_prelu;
  t["Clip"] = emit_clip;
}

}  // namespace

void register_elementwise_emitters(EmitterTable& t) {
  register_math(t);
  register_activations(t);
  t["Cast"] = [](EmitContext& ctx) {
    IrData data;
    data.set_string("destination_type", ir_element_type(ctx.output_type(0)));
    ctx.bind_output(0, ctx.layer("Convert", "opset1", {ctx.input(0)}, std::move(data), ctx.output_type(0),
                                 ctx.output_shape(0)));
  };
  // No layer: the output is the input under a second name.
  t["Identity"] = [](EmitContext& ctx) { ctx.bind_output(0, ctx.input(0)); };
  t["Dropout"] = [](EmitContext& ctx) {
    if (ctx.node().output_count() > 1 && !ctx.node().output(1)->uses().empty())
      ctx.unsupported("the mask output has no IR form");
    ctx.bind_output(0, ctx.input(0));
  };
}

}  // namespace octet::ir_writer
