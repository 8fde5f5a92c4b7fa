// QLinearLookup end to end: a QDQ graph DequantizeLinear -> f -> QuantizeLinear is compiled (the passes make
// the lookup table, the CPU runs lookup_I8) and compared with the reference executor on the original Q/DQ
// graph. The table is that chain evaluated by the same reference ops, so the outputs must be equal.
#include <gtest/gtest.h>

#include "tests/cpu/int8/qoperator_test_support.h"

namespace octet::test {
namespace {

struct FunctionCase {
  std::string op;
  Attributes attributes;
};

const std::vector<FunctionCase> kFunctions = {
    {"HardSigmoid", {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}}},  // torch's hardsigmoid (MobileNet v3)
    {"HardSwish", {}},
    {"Sigmoid", {}},
    {"LeakyRelu", {{"alpha", 0.1f}}},  // YOLO
    {"Tanh", {}},
    {"Elu", {}},
};

// x (u8/i8) -> [QLinearConv] -> DequantizeLinear -> f ("node") -> QuantizeLinear -> y.
Int8Check check_function(const FunctionCase& f, ElementType type, bool after_conv,
                         const Dims& dims = {1, 24, 7, 9}) {
  Graph g;
  TensorMap feeds;
  Value* x = g.add_input("x", type, Shape(dims));
  feeds["x"] = random_int8(type, dims, 5);
  const bool u8 = type == kU8;
  // oneDNN's int8 convolution writes a blocked or channels-last layout: the lookup maps it as it is.
  if (after_conv) x = add_int8_pointwise_conv(g, x, type, dims[1]);
  Value* real = g.add_node("DequantizeLinear", "dq",
                           {x, g.add_constant("x_scale", scalar_f32(0.05f)),
                            g.add_constant("x_zero", zero_point(type, u8 ? 128 : 0))},
                           {"real"})
                    ->output(0);
  Value* mapped = g.add_node(f.op, "node", {real}, {"mapped"}, f.attributes)->output(0);
  // An output step of 0.03 keeps every function's slope under one output step per input step.
  g.add_output(g.add_node("QuantizeLinear", "q",
                          {mapped, g.add_constant("y_scale", scalar_f32(0.03f)),
                           g.add_constant("y_zero", zero_point(type, u8 ? 100 : -20))},
                          {"y"})
                   ->output(0));
  return expect_int8_matches_reference(g, feeds);
}

TEST(QLinearLookupKernel, FunctionsBetweenQdqAreBitExact) {
  for (const FunctionCase& f : kFunctions) {
    for (const ElementType type : {kU8, kI8}) {
      SCOPED_TRACE(f.op + " " + std::string(to_string(type)));
      const Int8Check check = check_function(f, type, false);
      EXPECT_EQ(check.exec_type, "lookup_I8");
      EXPECT_EQ(check.differing, 0);
    }
  }
}

// After an int8 convolution the lookup reads the convolution's layout; the convolution itself may be one step
// off the reference (its requantization), which the table can carry but not widen past one step here.
TEST(QLinearLookupKernel, AfterInt8Convolution) {
  for (const ElementType type : {kU8, kI8}) {
    SCOPED_TRACE(to_string(type));
    EXPECT_EQ(check_function(kFunctions[0], type, true).exec_type, "lookup_I8");
  }
}

// 163480 bytes: split over the threads in 16 KB chunks, the last one partial, and a tail of 24 bytes after
// the last whole 64-byte block (the AVX-512 VBMI path's masked block).
TEST(QLinearLookupKernel, LargeTensorSplitOverThreads) {
  for (const ElementType type : {kU8, kI8}) {
    SCOPED_TRACE(to_string(type));
    const Int8Check check = check_function(kFunctions[2], type, false, {1, 40, 61, 67});
    EXPECT_EQ(check.exec_type, "lookup_I8");
    EXPECT_EQ(check.differing, 0);
  }
}

// SiLU as a quantized EfficientNet writes it, x * sigmoid(x) in QDQ form: compiled, the product and the
// sigmoid are one lookup (passes/lpt/fold_lookup_into_binary.h), equal to the reference on the Q/DQ graph.
TEST(QLinearLookupKernel, SwishIsOneLookup) {
  for (const ElementType type : {kU8, kI8}) {
    SCOPED_TRACE(to_string(type));
    const bool u8 = type == kU8;
    Graph g;
    const Dims dims = {1, 16, 9, 11};
    Value* x = g.add_input("x", type, Shape(dims));
    // A QuantizeLinear or DequantizeLinear node with scalar parameters.
    const auto qdq_node = [&](const std::string& op, const std::string& name, Value* v, float scale,
                              int zero) {
      return g
          .add_node(op, name,
                    {v, g.add_constant(name + "_scale", scalar_f32(scale)),
                     g.add_constant(name + "_zero", zero_point(type, zero))},
                    {name + "_out"})
          ->output(0);
    };
    const auto dequantize = [&](const std::string& name, Value* v, float scale, int zero) {
      return qdq_node("DequantizeLinear", name, v, scale, zero);
    };
    const auto quantize = [&](const std::string& name, Value* v, float scale, int zero) {
      return qdq_node("QuantizeLinear", name, v, scale, zero);
    };
    Value* real = dequantize("dq", x, 0.05f, u8 ? 128 : 0);
    Value* gate = g.add_node("Sigmoid", "sigmoid", {real}, {"gate"})->output(0);
    Value* gate_real = dequantize("gate_dq", quantize("gate_q", gate, 1.0f / 256.0f, u8 ? 0 : -128),
                                  1.0f / 256.0f, u8 ? 0 : -128);
    Value* product = g.add_node("Mul", "node", {real, gate_real}, {"product"})->output(0);
    g.add_output(quantize("q", product, 0.03f, u8 ? 20 : -100));
    const Int8Check check = expect_int8_matches_reference(g, {{"x", random_int8(type, dims, 8)}});
    EXPECT_EQ(check.exec_type, "lookup_I8");
    EXPECT_EQ(check.differing, 0);
    // One executed step: the lookup (its input and output are plain, no reorder either side).
    EXPECT_EQ(run_compiled(g, {{"x", random_int8(type, dims, 8)}}).exec_types.size(), 1u);
  }
}

}  // namespace
}  // namespace octet::test
