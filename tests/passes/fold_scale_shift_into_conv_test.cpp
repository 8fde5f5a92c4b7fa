#include "passes/generic/fold_scale_shift_into_conv.h"

#include <gtest/gtest.h>

#include "tests/passes/pass_graph_builders.h"
#include "tests/passes/pass_test_support.h"

namespace octet {
namespace {

using test::op_types;

Value* constant(Graph& g, const std::string& name, Dims dims, uint32_t seed, float low = -1.0f,
                float high = 1.0f) {
  return g.add_constant(name, test::random_f32(std::move(dims), seed, low, high));
}

// x -> Conv(group) -> Mul(s) -> Add(t) -> y with the constants' dims given.
Graph conv_mul_add(int64_t group, Dims scale_dims, Dims shift_dims, bool bias) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 5, 5});
  Value* c = test::add_conv(g, "conv", x, 4, 6, group, bias, 1);
  Value* m = g.add_node("Mul", "mul", {c, constant(g, "s", scale_dims, 2, 0.5f, 2.0f)}, {"m"})->output(0);
  g.add_output(g.add_node("Add", "add", {constant(g, "t", shift_dims, 3), m}, {"y"})->output(0));
  return g;
}

TEST(FoldScaleShiftIntoConvTest, FoldsPerChannelMulAndAdd) {
  auto [original, g] = test::build_twice([] { return conv_mul_add(1, {1, 6, 1, 1}, {6, 1, 1}, true); });
  PassContext context;
  EXPECT_EQ(fold_scale_shift_into_conv(g, context), 2u);
  g.remove_unused();
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Conv"}));
  EXPECT_EQ(context.absorbed().at("mul"), "conv");
  EXPECT_EQ(context.absorbed().at("add"), "conv");
  EXPECT_EQ(g.outputs()[0]->name(), "y");
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// Output channel m of a grouped Conv reads only its own row w[m] of the weights, whatever the group, so a
// per-output-channel scale folds into a grouped or depthwise Conv just as into a plain one.
TEST(FoldScaleShiftIntoConvTest, FoldsPerChannelScaleIntoGroupedConv) {
  auto [original, g] = test::build_twice([] { return conv_mul_add(2, {6, 1, 1}, {1, 6, 1, 1}, false); });
  PassContext context;
  EXPECT_EQ(fold_scale_shift_into_conv(g, context), 2u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Conv"}));
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// Single values of any rank up to the output's, and the Sub / Div spellings.
TEST(FoldScaleShiftIntoConvTest, FoldsScalarsSubAndDiv) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 5, 5});
    Value* c = test::add_conv(g, "conv", x, 4, 4, 4, true, 1);
    Value* v = g.add_node("Mul", "mul", {c, constant(g, "s", {}, 2)}, {"m"})->output(0);
    v = g.add_node("Div", "div", {v, constant(g, "divisor", {4, 1, 1}, 3, 0.5f, 2.0f)}, {"q"})->output(0);
    v = g.add_node("Sub", "sub", {v, constant(g, "t", {1, 1, 1, 1}, 4)}, {"s_out"})->output(0);
    g.add_output(g.add_node("Relu", "relu", {v}, {"y"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_scale_shift_into_conv(g, context), 3u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"Conv", "Relu"}));
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// ConvTranspose with groups: the output channel of w[ci, m] is (ci / (C/g)) * (M/g) + m.
TEST(FoldScaleShiftIntoConvTest, FoldsIntoGroupedConvTranspose) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 3, 3});
    Value* c = test::add_conv_transpose(g, "deconv", x, 4, 6, 2, true, 1);
    Value* m = g.add_node("Mul", "mul", {c, constant(g, "s", {1, 6, 1, 1}, 2, 0.5f, 2.0f)}, {"m"})->output(0);
    g.add_output(g.add_node("Add", "add", {m, constant(g, "t", {6, 1, 1}, 3)}, {"y"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_scale_shift_into_conv(g, context), 2u);
  EXPECT_EQ(op_types(g), (std::vector<std::string>{"ConvTranspose"}));
  test::expect_same_outputs(original, g, test::random_inputs(original));
}

// Constants that vary along another axis than the channels ([1,6,5,5], or [6] which meets the width axis),
// a variable operand, the conv on the wrong side of Sub, and a conv output read twice: nothing folds.
TEST(FoldScaleShiftIntoConvNegativeTest, KeepsWhatIsNotAPerChannelAffineMap) {
  auto build = [] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 5, 5});
    Value* c1 = test::add_conv(g, "conv1", x, 4, 6, 1, true, 1);
    g.add_output(
        g.add_node("Mul", "mul_full", {c1, constant(g, "s_full", {1, 6, 5, 5}, 2)}, {"y1"})->output(0));
    Value* c2 = test::add_conv(g, "conv2", x, 4, 5, 1, true, 3);
    g.add_output(g.add_node("Mul", "mul_width", {c2, constant(g, "s_width", {5}, 4)}, {"y2"})->output(0));
    Value* c3 = test::add_conv(g, "conv3", x, 4, 6, 1, true, 5);
    Value* z = g.add_input("z", ElementType::kF32, Shape{1, 6, 1, 1});
    g.add_output(g.add_node("Mul", "mul_variable", {c3, z}, {"y3"})->output(0));
    Value* c4 = test::add_conv(g, "conv4", x, 4, 6, 1, true, 6);
    g.add_output(g.add_node("Sub", "sub_reversed", {constant(g, "t", {6, 1, 1}, 7), c4}, {"y4"})->output(0));
    Value* c5 = test::add_conv(g, "conv5", x, 4, 6, 1, true, 8);
    g.add_output(g.add_node("Add", "add_shared", {c5, constant(g, "t5", {6, 1, 1}, 9)}, {"y5"})->output(0));
    g.add_output(g.add_node("Relu", "relu", {c5}, {"y6"})->output(0));
    return g;
  };
  auto [original, g] = test::build_twice(build);
  PassContext context;
  EXPECT_EQ(fold_scale_shift_into_conv(g, context), 0u);
  EXPECT_EQ(g.node_count(), original.node_count());
  EXPECT_TRUE(context.absorbed().empty());
}

// A Mul whose broadcast would grow the conv output ([2,6,1,1] against a batch of 1) changes the shape.
TEST(FoldScaleShiftIntoConvNegativeTest, KeepsMulThatBroadcastsTheOutputLarger) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 5, 5});
  Value* c = test::add_conv(g, "conv", x, 4, 6, 1, true, 1);
  g.add_output(g.add_node("Mul", "mul", {c, constant(g, "s", {2, 6, 1, 1}, 2)}, {"y"})->output(0));
  infer_shapes(g);
  PassContext context;
  EXPECT_EQ(fold_scale_shift_into_conv(g, context), 0u);
}

}  // namespace
}  // namespace octet
