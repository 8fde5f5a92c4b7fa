// Int8 islands end to end: QuantizeLinear / DequantizeLinear as kernels of their own, precision-preserving
// ops (MaxPool, Transpose, Resize nearest, Reshape) on u8/i8 tensors, and a small QOperator network
// (QuantizeLinear -> QLinearConv -> MaxPool -> DequantizeLinear) compiled with octet::Core: every int8 node
// reports an `_I8` exec type and the outputs match the reference executor on the same graph.
#include <gtest/gtest.h>

#include "tests/cpu/int8/qoperator_test_support.h"

namespace octet::test {
namespace {

TEST(QuantizeLinearKernel, PerTensorIsBitExact) {
  for (const ElementType type : {kU8, kI8}) {
    SCOPED_TRACE(to_string(type));
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape({1, 8, 6, 6}));
    // Values on and next to the rounding ties of scale 0.1: x / 0.1 lands on k + 0.5 for many of them.
    Tensor values(ElementType::kF32, {1, 8, 6, 6});
    for (int64_t i = 0; i < values.element_count(); ++i)
      values.data<float>()[i] = (static_cast<float>(i % 97) - 48.0f) * 0.05f + (i % 3 == 0 ? 0.0f : 0.013f);
    Value* y = g.add_node("QuantizeLinear", "node",
                          {x, g.add_constant("s", scalar_f32(0.1f)),
                           g.add_constant("z", zero_point(type, type == kU8 ? 128 : -3))},
                          {"y"})
                   ->output(0);
    g.add_output(y);
    const Int8Check check = expect_int8_matches_reference(g, {{"x", std::move(values)}});
    EXPECT_EQ(check.differing, 0);
    EXPECT_TRUE(is_int8_exec_type(check.exec_type)) << check.exec_type;
  }
}

// A plain [N, 3, H, W] image batch is quantized straight into channels-last memory, the layout the int8
// convolution after it reads: one reorder left in x -> quantize -> conv (for the plain graph output; a plain
// quantize output took a second one before the convolution). Alone, the quantize's bytes equal the
// reference's (the plugin converts them back to plain for the graph output).
TEST(QuantizeLinearKernel, ThreeChannelImagesGoOutChannelsLast) {
  for (const ElementType type : {kU8, kI8}) {
    SCOPED_TRACE(to_string(type));
    for (const bool with_conv : {false, true}) {
      Graph g;
      Value* x = g.add_input("x", ElementType::kF32, Shape({2, 3, 9, 13}));
      Value* q = g.add_node("QuantizeLinear", "node",
                            {x, g.add_constant("s", scalar_f32(0.02f)),
                             g.add_constant("z", zero_point(type, type == kU8 ? 128 : 0))},
                            {"xq"})
                     ->output(0);
      g.add_output(with_conv ? add_int8_pointwise_conv(g, q, type, 3) : q);
      const TensorMap inputs = {{"x", random_f32({2, 3, 9, 13}, 5, -3.0f, 3.0f)}};
      const Int8Check check = expect_int8_matches_reference(g, inputs);
      EXPECT_EQ(check.exec_type, "quantize_nhwc_loop_I8");
      if (!with_conv) {
        EXPECT_EQ(check.differing, 0);
      }
      EXPECT_EQ(run_compiled(g, inputs).reorders, 1);
    }
  }
}

TEST(QuantizeLinearKernel, PerAxisWithinOneStep) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({2, 4, 5}));
  Value* y =
      g.add_node("QuantizeLinear", "node",
                 {x,
                  g.add_constant(
                      "s", Tensor::from_vector<float>({4}, std::vector<float>{0.01f, 0.02f, 0.05f, 0.1f})),
                  g.add_constant("z", Tensor::from_vector<int8_t>({4}, std::vector<int8_t>{2, 2, 2, 2}))},
                 {"y"}, {{"axis", int64_t{1}}})
          ->output(0);
  g.add_output(y);
  const Int8Check check = expect_int8_matches_reference(g, {{"x", random_f32({2, 4, 5}, 3, -3.0f, 3.0f)}});
  EXPECT_TRUE(is_int8_exec_type(check.exec_type)) << check.exec_type;
}

TEST(DequantizeLinearKernel, PerTensorAndPerAxisAreExact) {
  for (const bool per_axis : {false, true}) {
    SCOPED_TRACE(per_axis ? "per axis" : "per tensor");
    Graph g;
    Value* x = g.add_input("x", kU8, Shape({1, 3, 4, 4}));
    Tensor scale = per_axis ? Tensor::from_vector<float>({3}, std::vector<float>{0.1f, 0.37f, 0.023f})
                            : scalar_f32(0.0731f);
    Tensor zero = per_axis ? Tensor::from_vector<uint8_t>({3}, std::vector<uint8_t>{128, 128, 128})
                           : zero_point(kU8, 131);
    g.add_output(g.add_node("DequantizeLinear", "node",
                            {x, g.add_constant("s", std::move(scale)), g.add_constant("z", std::move(zero))},
                            {"y"})
                     ->output(0));
    const Int8Check check = expect_int8_matches_reference(g, {{"x", random_int8(kU8, {1, 3, 4, 4}, 5)}});
    EXPECT_EQ(check.exec_type, "reorder_I8");
  }
}

// A precision-preserving op on an s8/u8 graph input: exact, and an `_I8` kernel rather than the reference.
void check_preserving(const std::string& op, ElementType type, const Dims& dims, std::vector<Value*> extra,
                      Attributes attributes, Graph& g) {
  Value* x = g.add_input("x", type, Shape(dims));
  std::vector<Value*> inputs = {x};
  inputs.insert(inputs.end(), extra.begin(), extra.end());
  g.add_output(g.add_node(op, "node", inputs, {"y"}, std::move(attributes))->output(0));
  const Int8Check check = expect_int8_matches_reference(g, {{"x", random_int8(type, dims, 21)}});
  EXPECT_EQ(check.differing, 0);
  EXPECT_TRUE(is_int8_exec_type(check.exec_type)) << op << ": " << check.exec_type;
}

TEST(PrecisionPreservingInt8, MaxPoolU8AndS8) {
  for (const ElementType type : {kU8, kI8}) {
    Graph g;
    check_preserving(
        "MaxPool", type, {1, 8, 9, 9}, {},
        {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}, g);
  }
}

TEST(PrecisionPreservingInt8, TransposeU8) {
  Graph g;
  check_preserving("Transpose", kU8, {1, 6, 4, 5}, {}, {{"perm", ints({0, 2, 3, 1})}}, g);
}

TEST(PrecisionPreservingInt8, ResizeNearestU8) {
  Graph g;
  Value* scales =
      g.add_constant("scales", Tensor::from_vector<float>({4}, std::vector<float>{1.0f, 1.0f, 2.0f, 2.0f}));
  check_preserving("Resize", kU8, {1, 4, 5, 5}, {nullptr, scales}, {{"mode", std::string("nearest")}}, g);
}

TEST(PrecisionPreservingInt8, ReshapeI8IsACopy) {
  Graph g;
  Value* x = g.add_input("x", kI8, Shape({1, 4, 3, 3}));
  Value* shape = g.add_constant("shape", Tensor::from_vector<int64_t>({2}, std::vector<int64_t>{1, 36}));
  g.add_output(g.add_node("Reshape", "node", {x, shape}, {"y"})->output(0));
  const Int8Check check = expect_int8_matches_reference(g, {{"x", random_int8(kI8, {1, 4, 3, 3}, 2)}});
  EXPECT_EQ(check.differing, 0);
  EXPECT_EQ(check.exec_type.rfind("copy_", 0), 0u) << check.exec_type;
}

// x (f32) -> QuantizeLinear -> QLinearConv (3x3, pads, u8 -> u8) -> MaxPool (u8) -> DequantizeLinear -> y.
TEST(QOperatorGraph, QuantizeConvMaxPoolDequantize) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape({1, 16, 12, 12}));
  Value* q = g.add_node("QuantizeLinear", "quantize",
                        {x, g.add_constant("q_scale", scalar_f32(0.02f)),
                         g.add_constant("q_zero", zero_point(kU8, 128))},
                        {"xq"})
                 ->output(0);
  std::vector<float> w_scales;
  for (int i = 0; i < 32; ++i) w_scales.push_back(0.004f + 0.0003f * static_cast<float>(i));
  std::vector<int32_t> bias;
  for (int i = 0; i < 32; ++i) bias.push_back(i * 131 % 4001 - 2000);
  Value* conv =
      g.add_node(
           "QLinearConv", "conv",
           {q, g.add_constant("x_scale", scalar_f32(0.02f)), g.add_constant("x_zero", zero_point(kU8, 128)),
            g.add_constant("w", random_int8(kI8, {32, 16, 3, 3}, 8, -64, 64)),
            g.add_constant("w_scale", Tensor::from_vector<float>({32}, w_scales)),
            g.add_constant("w_zero", Tensor::from_vector<int8_t>({32}, std::vector<int8_t>(32, 0))),
            g.add_constant("y_scale", scalar_f32(0.03f)), g.add_constant("y_zero", zero_point(kU8, 10)),
            g.add_constant("bias", Tensor::from_vector<int32_t>({32}, bias))},
           {"conv_out"}, {{"pads", ints({1, 1, 1, 1})}})
          ->output(0);
  Value* pool = g.add_node("MaxPool", "pool", {conv}, {"pool_out"},
                           {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}})
                    ->output(0);
  Value* y = g.add_node("DequantizeLinear", "dequantize",
                        {pool, g.add_constant("d_scale", scalar_f32(0.03f)),
                         g.add_constant("d_zero", zero_point(kU8, 10))},
                        {"y"})
                 ->output(0);
  g.add_output(y);
  infer_shapes(g);
  const TensorMap inputs = {{"x", random_f32({1, 16, 12, 12}, 17, -2.5f, 2.5f)}};
  const TensorMap expected = ReferenceExecutor(g).run(inputs);
  const CompiledRun run = run_compiled(g, inputs);
  for (const char* node : {"quantize", "conv", "pool"})
    EXPECT_TRUE(is_int8_exec_type(exec_type_of(run, node))) << node << ": " << exec_type_of(run, node);
  EXPECT_EQ(exec_type_of(run, "dequantize"), "reorder_I8");
  // One step of the conv's output (0.03) at most, where oneDNN rounds a tie the other way.
  const testing::Comparison c =
      testing::compare_tensors(run.outputs.at("y"), expected.at("y"), {0.0301, 0.0});
  EXPECT_TRUE(c.match) << c.reason;
}

}  // namespace
}  // namespace octet::test
