// fake_quantize_to_qdq: activation and weight FakeQuantize become Q/DQ, the outputs stay within one
// quantization step of the FakeQuantize graph (reference executor), and unusable FakeQuantizes stay with
// their reason.
#include "passes/lpt/fake_quantize_to_qdq.h"

#include <gtest/gtest.h>

#include "passes/lpt/qdq_utils.h"
#include "tests/passes/lpt/lpt_test_graphs.h"
#include "tests/passes/pass_graph_builders.h"

namespace octet {
namespace {

using test::count_op;

TEST(FakeQuantizeToQdqTest, ActivationBecomesQuantizeDequantize) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{2, 3, 4, 4});
    g.add_output(test::add_fq(g, "fq", x, -1.0f, 1.55f));
    return g;
  });
  auto& [original, g] = graphs;
  PassContext context = test::lpt_context();
  EXPECT_EQ(fake_quantize_to_qdq(g, context), 1u);
  infer_shapes(g);
  EXPECT_EQ(test::op_types(g), (std::vector<std::string>{"QuantizeLinear", "DequantizeLinear"}));
  // The Q keeps the FakeQuantize's name; scale 2.55 / 255 = 0.01, zero point 100 (u8).
  const Node* q = g.find_node("fq");
  ASSERT_NE(q, nullptr);
  const auto p = lpt::qdq_params(*q);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, ElementType::kU8);
  EXPECT_NEAR(p->scales[0], 0.01f, 1e-7);
  EXPECT_EQ(p->zero_points[0], 100);
  EXPECT_EQ(g.outputs()[0]->name(), "fq_out");
  test::expect_same_outputs(original, g, test::random_inputs(original, 7), {0.0101, 0});
}

TEST(FakeQuantizeToQdqTest, PerChannelWeightsBecomeInt8Constants) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 3, 6, 6});
    Value* w = test::add_weight_fq(g, "fq_w", test::random_f32({4, 3, 3, 3}, 11), 255);
    g.add_output(g.add_node("Conv", "conv", {x, w}, {"y"})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  PassContext context = test::lpt_context();
  EXPECT_EQ(fake_quantize_to_qdq(g, context), 1u);
  infer_shapes(g);
  const Node* dq = g.find_node("fq_w");
  ASSERT_NE(dq, nullptr);
  EXPECT_EQ(dq->op_type(), "DequantizeLinear");
  EXPECT_EQ(dq->input(0)->constant().type(), ElementType::kI8);
  const auto p = lpt::qdq_params(*dq);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scales.size(), 4u);
  EXPECT_EQ(p->axis, 0);
  // Symmetric limits with 255 levels: zero point 0, values in [-127, 127].
  for (int32_t z : p->zero_points) EXPECT_EQ(z, 0);
  for (int8_t v : dq->input(0)->constant().values<int8_t>()) EXPECT_GE(v, -127);
  // Weights within float rounding of FakeQuantize's outputs.
  test::expect_same_outputs(original, g, test::random_inputs(original, 3), {1e-5, 1e-5});
}

TEST(FakeQuantizeToQdqTest, GroupConvolutionWeightsAreQuantizedAfterTheirReshape) {
  auto graphs = test::build_twice([] {
    Graph g;
    Value* x = g.add_input("x", ElementType::kF32, Shape{1, 4, 5, 5});
    // OpenVINO GroupConvolution weights [G=4, 1, 1, 3, 3] with one range per group, reshaped for Conv.
    Tensor w5 = test::random_f32({4, 1, 1, 3, 3}, 5);
    Value* w = test::add_weight_fq(g, "fq_w", w5, 256);
    Value* shape =
        g.add_constant("shape", Tensor::from_vector<int64_t>({4}, std::vector<int64_t>{4, 1, 3, 3}));
    Value* reshaped = g.add_node("Reshape", "reshape", {w, shape}, {"w4"})->output(0);
    g.add_output(g.add_node("Conv", "conv", {x, reshaped}, {"y"}, {{"group", int64_t{4}}})->output(0));
    return g;
  });
  auto& [original, g] = graphs;
  PassContext context = test::lpt_context();
  EXPECT_EQ(fake_quantize_to_qdq(g, context), 1u);
  infer_shapes(g);
  EXPECT_EQ(count_op(g, "Reshape"), 0u);
  EXPECT_EQ(context.absorbed().at("reshape"), "fq_w");
  const Node* dq = g.find_node("fq_w");
  ASSERT_NE(dq, nullptr);
  EXPECT_EQ(dq->input(0)->constant().dims(), (Dims{4, 1, 3, 3}));
  EXPECT_EQ(lpt::qdq_params(*dq)->axis, 0);
  test::expect_same_outputs(original, g, test::random_inputs(original, 3), {1e-5, 1e-5});
}

TEST(FakeQuantizeToQdqTest, UnusableFakeQuantizesStayWithTheirReason) {
  Graph g;
  Value* x = g.add_input("x", ElementType::kF32, Shape{1, 8});
  Value* a = test::add_fq(g, "levels16", x, -1.0f, 1.0f, 16);
  Value* b = test::add_fq(g, "positive_range", a, 0.5f, 2.0f);
  // (1.0 - -0.3) / 255 = 0.0051; -il / scale = 58.85: not an integer zero point.
  Value* c = test::add_fq(g, "fractional_zero", b, -0.3f, 1.0f);
  g.add_output(c);
  infer_shapes(g);
  PassContext context = test::lpt_context();
  EXPECT_EQ(fake_quantize_to_qdq(g, context), 0u);
  EXPECT_EQ(count_op(g, "FakeQuantize"), 3u);
  EXPECT_NE(context.fp32_reasons.at("levels16").find("levels 16"), std::string::npos);
  EXPECT_NE(context.fp32_reasons.at("positive_range").find("contain 0"), std::string::npos);
  EXPECT_NE(context.fp32_reasons.at("fractional_zero").find("non-integer zero point"), std::string::npos);
  EXPECT_TRUE(g.find_node("levels16")->has_attribute(lpt::kFp32ReasonAttribute));
}

}  // namespace
}  // namespace octet
