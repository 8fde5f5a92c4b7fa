// compressed_weights_to_dequantize: OpenVINO's i8 Const -> Convert -> Subtract(zp) -> Multiply(scale) weight
// chain becomes one DequantizeLinear (zero points within 1e-2 of an integer are rounded), outputs unchanged
// up to that rounding.
#include "passes/lpt/compressed_weights_to_dequantize.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "passes/lpt/qdq_utils.h"
#include "tests/passes/lpt/lpt_test_graphs.h"

namespace octet {
namespace {

Graph compressed_conv(float zero_point) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 2, 3, 3});
  Tensor q(ElementType::kI8, {3, 2, 1, 1});
  const int8_t values[6] = {127, -128, 5, -7, 0, 64};
  std::copy(values, values + 6, q.data<int8_t>());
  Value* c = g.add_node("Cast", "convert", {g.add_constant("q", q)}, {"qf"}, {{"to", std::string("f32")}})
                 ->output(0);
  const std::vector<float> zp = {zero_point, 0.0f, -zero_point}, scale = {0.01f, 0.5f, 0.002f};
  Value* z = g.add_constant("zp", Tensor::from_vector<float>({3, 1, 1, 1}, std::span<const float>(zp)));
  Value* s = g.add_constant("scale", Tensor::from_vector<float>({3, 1, 1, 1}, std::span<const float>(scale)));
  Value* centered = g.add_node("Sub", "minus_zp", {c, z}, {"centered"})->output(0);
  Value* w = g.add_node("Mul", "multiply_by_scale", {centered, s}, {"w"})->output(0);
  g.add_output(g.add_node("Conv", "conv", {x, w}, {"y"})->output(0));
  return g;
}

TEST(CompressedWeightsToDequantizeTest, ChainBecomesPerChannelDequantizeLinear) {
  auto graphs = test::build_twice([] { return compressed_conv(7.6e-6f); });
  auto& [original, g] = graphs;
  PassContext context;
  context.dump_folder.clear();
  EXPECT_EQ(compressed_weights_to_dequantize(g, context), 1u);
  infer_shapes(g);
  EXPECT_EQ(test::op_types(g), (std::vector<std::string>{"DequantizeLinear", "Conv"}));
  const Node* dq = g.find_node("multiply_by_scale");
  ASSERT_NE(dq, nullptr);
  const auto p = lpt::qdq_params(*dq);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, ElementType::kI8);
  EXPECT_EQ(p->axis, 0);
  EXPECT_EQ(p->scales, (std::vector<float>{0.01f, 0.5f, 0.002f}));
  EXPECT_EQ(p->zero_points, (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(context.absorbed().at("convert"), "multiply_by_scale");
  EXPECT_EQ(context.absorbed().at("minus_zp"), "multiply_by_scale");
  test::expect_same_outputs(original, g, test::random_inputs(original), {1e-4, 1e-4});
}

TEST(CompressedWeightsToDequantizeTest, FractionalZeroPointStaysFloat) {
  Graph g = compressed_conv(0.3f);
  infer_shapes(g);
  PassContext context;
  context.dump_folder.clear();
  EXPECT_EQ(compressed_weights_to_dequantize(g, context), 0u);
  EXPECT_EQ(test::count_op(g, "Cast"), 1u);
}

}  // namespace
}  // namespace octet
