// propagate_qdq and fold_activation_into_quantize: structure after each pass, and outputs of the reference
// executor unchanged (both rewrites are exact).
#include <gtest/gtest.h>

#include "passes/lpt/fold_activation_into_quantize.h"
#include "passes/lpt/propagate_qdq.h"
#include "tests/passes/lpt/lpt_test_graphs.h"

namespace octet {
namespace {

using test::count_op;

TEST(PropagateQdqTest, MaxPoolAndReshapeGetTheQuantizationOfTheirInput) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 2, 4, 4});
    Value* d = test::add_qdq(g, "in", x, 0.02f, uint8_t{128});
    Value* p =
        g.add_node("MaxPool", "pool", {d}, {"p"},
                   {{"kernel_shape", std::vector<int64_t>{2, 2}}, {"strides", std::vector<int64_t>{2, 2}}})
            ->output(0);
    Value* shape = g.add_constant("shape", Tensor::from_vector<int64_t>({2}, std::vector<int64_t>{1, 8}));
    Value* r = g.add_node("Reshape", "flat", {p, shape}, {"r"})->output(0);
    g.add_output(g.add_node("Relu", "relu", {r}, {"y"})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  PassContext context = test::lpt_context();
  EXPECT_EQ(propagate_qdq(g, context), 2u);
  infer_shapes(g);
  EXPECT_EQ(count_op(g, "QuantizeLinear"), 3u);
  EXPECT_EQ(count_op(g, "DequantizeLinear"), 3u);
  // Already quantized with the same parameters: nothing more to do.
  EXPECT_EQ(propagate_qdq(g, context), 0u);
  test::expect_same_outputs(original, g, test::random_inputs(original), {0, 0});
}

TEST(PropagateQdqTest, ConcatOnlyWithEqualInputParameters) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 2});
  Value* a = test::add_qdq(g, "a", x, 0.02f, uint8_t{0});
  Value* b = test::add_qdq(g, "b", x, 0.03f, uint8_t{0});
  g.add_output(g.add_node("Concat", "cat", {a, b}, {"c"}, {{"axis", int64_t{1}}})->output(0));
  Value* y = g.add_node("Concat", "cat2", {a, a}, {"c2"}, {{"axis", int64_t{1}}})->output(0);
  g.add_output(g.add_node("Relu", "relu", {y}, {"r"})->output(0));
  infer_shapes(g);
  PassContext context = test::lpt_context();
  EXPECT_EQ(propagate_qdq(g, context), 1u);  // cat2 only
  EXPECT_EQ(g.find_value("c2")->uses()[0].node->op_type(), "QuantizeLinear");
}

TEST(FoldActivationIntoQuantizeTest, ReluBeforeAZeroBasedU8RangeDisappears) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{2, 16});
    Value* r = g.add_node("Relu", "relu", {x}, {"r"})->output(0);
    g.add_output(test::add_qdq(g, "fq", r, 0.01f, uint8_t{0}));
    // Relu before a symmetric range is not implied by the saturation: stays.
    Value* r2 = g.add_node("Relu", "relu2", {x}, {"r2"})->output(0);
    g.add_output(test::add_qdq(g, "fq2", r2, 0.01f, uint8_t{128}));
    // Clip(0, 6) before [0, 6] (scale 6/255): Q(6) = 255 -> folds. Before [0, 10]: stays.
    Value* lo = g.add_constant("lo", Tensor::scalar(0.0f));
    Value* hi = g.add_constant("hi", Tensor::scalar(6.0f));
    Value* c = g.add_node("Clip", "relu6", {x, lo, hi}, {"c"})->output(0);
    g.add_output(test::add_qdq(g, "fq3", c, 6.0f / 255.0f, uint8_t{0}));
    Value* c2 = g.add_node("Clip", "relu6_wide", {x, lo, hi}, {"c2"})->output(0);
    g.add_output(test::add_qdq(g, "fq4", c2, 10.0f / 255.0f, uint8_t{0}));
    return g;
  });
  auto& [original, g] = graphs;
  PassContext context = test::lpt_context();
  EXPECT_EQ(fold_activation_into_quantize(g, context), 2u);
  infer_shapes(g);
  EXPECT_EQ(g.find_node("relu"), nullptr);
  EXPECT_EQ(g.find_node("relu6"), nullptr);
  EXPECT_NE(g.find_node("relu2"), nullptr);
  EXPECT_NE(g.find_node("relu6_wide"), nullptr);
  EXPECT_EQ(context.absorbed().at("relu"), "fq_q");
  test::expect_same_outputs(original, g, test::random_inputs_in(original, 5, -8.0f, 8.0f), {0, 0});
}

}  // namespace
}  // namespace octet
