// plan_quantization on hand-built graphs: which tensors get a FakeQuantize, read by which nodes, with which
// non-negative hint, and which weights; the expectations are worked out by hand from the rules in
// quantization_plan.h (comments say why each tensor is or is not there).
#include "quantization/quantization_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tests/quantization/quantization_test_graphs.h"

namespace octet::quantization {
namespace {

using test::NetBuilder;

struct ExpectedQuantization {
  std::vector<std::string> consumers;
  bool non_negative;
  bool operator==(const ExpectedQuantization&) const = default;
};

std::map<std::string, ExpectedQuantization> activations(const QuantizationPlan& plan) {
  std::map<std::string, ExpectedQuantization> out;
  for (const ActivationTarget& t : plan.activations) {
    EXPECT_FALSE(out.contains(t.tensor)) << "tensor '" << t.tensor << "' planned twice";
    std::vector<std::string> consumers = t.consumers;
    std::sort(consumers.begin(), consumers.end());
    out[t.tensor] = {consumers, t.non_negative_hint};
  }
  return out;
}

std::vector<std::string> weight_nodes(const QuantizationPlan& plan) {
  std::vector<std::string> out;
  for (const WeightTarget& w : plan.weights) out.push_back(w.node);
  std::sort(out.begin(), out.end());
  return out;
}

void print(const std::map<std::string, ExpectedQuantization>& m) {
  for (const auto& [tensor, e] : m) {
    std::string consumers;
    for (const std::string& c : e.consumers) consumers += c + " ";
    std::cout << "  " << tensor << " <- " << consumers << (e.non_negative ? "(>= 0)" : "") << "\n";
  }
}

TEST(QuantizationPlanTest, ResNetBlocksQuantizeEveryConvInputAndOutput) {
  const Graph g = test::mini_resnet();
  const QuantizationPlan plan = plan_quantization(g, {});
  const std::map<std::string, ExpectedQuantization> want = {
      {"image", {{"stem"}, false}},
      // The stem's output after its folded ReLU; the max pool runs on integers, so b1_conv1's and b1_add's
      // FakeQuantize on the pool output moves above the pool and is the same one.
      {"stem_relu_out", {{"pool"}, true}},
      {"b1_relu1_out", {{"b1_conv2"}, true}},
      {"b1_conv2_out", {{"b1_add"}, false}},
      // The residual Add's output past its ReLU, read by both convolutions of block 2.
      {"b1_relu_out", {{"b2_conv1", "b2_down"}, true}},
      {"b2_relu1_out", {{"b2_conv2"}, true}},
      {"b2_conv2_out", {{"b2_add"}, false}},
      {"b2_down_out", {{"b2_add"}, false}},
      {"b2_relu_out", {{"fc_pool"}, true}},
      // The global pool's output: the Gemm's input moved above the Flatten. The Gemm output (the logits) is
      // not quantized: a fully connected layer runs in int8 with an f32 output.
      {"fc_pool_out", {{"fc_flatten"}, true}},
  };
  const auto got = activations(plan);
  EXPECT_EQ(got, want);
  if (got != want) print(got);
  EXPECT_EQ(weight_nodes(plan), (std::vector<std::string>{"b1_conv1", "b1_conv2", "b2_conv1", "b2_conv2",
                                                          "b2_down", "fc", "stem"}));
  for (const WeightTarget& w : plan.weights) {
    EXPECT_EQ(w.input, 1u);
    EXPECT_EQ(w.axis, 0) << w.node;  // Conv: output channels first; Gemm with transB: [N, K]
  }
}

TEST(QuantizationPlanTest, IgnoredConvKeepsItsInputInFp32) {
  const Graph g = test::mini_resnet();
  const QuantizationPlan plan = plan_quantization(g, {.names = {"b1_conv2"}});
  const auto got = activations(plan);
  // b1_conv2 reads b1_relu1_out: quantizing it would feed the ignored layer quantized values, so it stays
  // f32. b1_conv1 still runs in int8, with an f32 output (QLinearConv's f32 form): its input and weights are
  // quantized.
  EXPECT_FALSE(got.contains("b1_relu1_out"));
  const std::vector<std::string> weights = weight_nodes(plan);
  EXPECT_EQ(std::count(weights.begin(), weights.end(), "b1_conv2"), 0);
  EXPECT_EQ(std::count(weights.begin(), weights.end(), "b1_conv1"), 1);
  // The residual Add is still int8: both of its inputs are quantized for it.
  EXPECT_EQ(got.at("b1_conv2_out"), (ExpectedQuantization{{"b1_add"}, false}));
  // The pool's output feeds b1_conv1 and b1_add; its FakeQuantize sits above the pool.
  EXPECT_EQ(got.at("stem_relu_out"), (ExpectedQuantization{{"pool"}, true}));
  EXPECT_EQ(weights.size(), 6u);
}

TEST(QuantizationPlanTest, IgnoredByPatternAndType) {
  const Graph g = test::mini_resnet();
  // Full match: "b2_conv" alone matches nothing, "b2_conv.*" both convolutions of block 2.
  const QuantizationPlan none = plan_quantization(g, {.patterns = {"b2_conv"}});
  EXPECT_EQ(weight_nodes(none).size(), 7u);
  const QuantizationPlan plan = plan_quantization(g, {.patterns = {"b2_conv.*"}, .types = {"Gemm"}});
  EXPECT_EQ(weight_nodes(plan), (std::vector<std::string>{"b1_conv1", "b1_conv2", "b2_down", "stem"}));
  const auto got = activations(plan);
  // b1_relu_out is read by the ignored b2_conv1, so b1_add stays fp32; its output is quantized only for the
  // int8 b2_down (and b1_conv2's output for b1_conv2 itself, whose output read by b1_add is quantized).
  EXPECT_EQ(got.at("b1_relu_out"), (ExpectedQuantization{{"b2_down"}, true}));
  EXPECT_EQ(got.at("b1_conv2_out"), (ExpectedQuantization{{"b1_add"}, false}));
  EXPECT_FALSE(got.contains("b2_relu1_out"));
  // The Gemm is ignored: nothing reads the pooled tensor quantized through the Flatten.
  EXPECT_FALSE(got.contains("fc_pool_out"));
}

TEST(QuantizationPlanTest, InvalidPatternIsAnError) {
  const Graph g = test::mini_resnet();
  try {
    plan_quantization(g, {.patterns = {"b1_(conv"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("b1_(conv"), std::string::npos) << e.what();
  }
}

TEST(QuantizationPlanTest, ConvWhoseOutputIsAGraphOutputQuantizesItsInputAndWeights) {
  NetBuilder b;
  Value* y = b.conv("conv", b.input("x", {1, 4, 8, 8}), 4, 4, 3);
  b.graph().add_output(y);
  infer_shapes(b.graph());
  const QuantizationPlan plan = plan_quantization(b.graph(), {});
  // A graph output is not quantized, so the convolution runs in int8 with an f32 output (QLinearConv's f32
  // form, as OpenVINO runs a detection head): its input and weights only.
  EXPECT_EQ(activations(plan), (std::map<std::string, ExpectedQuantization>{{"x", {{"conv"}, false}}}));
  EXPECT_EQ(weight_nodes(plan), (std::vector<std::string>{"conv"}));
}

TEST(QuantizationPlanTest, AddWhoseOutputIsAGraphOutputGetsNothing) {
  NetBuilder b;
  Value* x = b.input("x", {1, 4, 8, 8});
  Value* y = b.input("y", {1, 4, 8, 8});
  b.graph().add_output(b.graph().add_node("Add", "add", {x, y}, {"sum"})->output(0));
  infer_shapes(b.graph());
  const QuantizationPlan plan = plan_quantization(b.graph(), {});
  // QLinearAdd needs a quantized output; a graph output is not, so input FakeQuantizes would only add
  // quantize/dequantize round trips in front of an fp32 Add.
  EXPECT_TRUE(plan.activations.empty());
  EXPECT_TRUE(plan.weights.empty());
}

TEST(QuantizationPlanTest, ConvBeforeAnFp32OpQuantizesItsOutputForIt) {
  NetBuilder b;
  Value* y = b.conv("conv", b.input("x", {1, 4, 8, 8}), 4, 4, 3);
  Value* s = b.graph().add_node("Sigmoid", "sigmoid", {y}, {"prob"})->output(0);
  b.graph().add_output(s);
  infer_shapes(b.graph());
  const auto got = activations(plan_quantization(b.graph(), {}));
  EXPECT_EQ(got, (std::map<std::string, ExpectedQuantization>{{"x", {{"conv"}, false}},
                                                              {"conv_out", {{"sigmoid"}, false}}}));
}

TEST(QuantizationPlanTest, HintsAndMultiInputOps) {
  NetBuilder b;
  Value* x = b.input("x", {1, 4, 8, 8});
  Value* a = b.relu6("clip", b.conv("c1", x, 4, 4, 1));
  Value* s = b.graph().add_node("Sigmoid", "sig", {b.conv("c2", x, 4, 4, 1)}, {"sig_out"})->output(0);
  Value* cat = b.graph().add_node("Concat", "cat", {a, s}, {"cat_out"}, {{"axis", int64_t{1}}})->output(0);
  Value* y = b.conv("c3", cat, 8, 4, 1);
  // MatMul of two activations (batched): both inputs and the output are quantized.
  Value* t = b.graph().add_node("Tanh", "tanh", {y}, {"tanh_out"})->output(0);
  Value* m = b.graph().add_node("MatMul", "mm", {t, t}, {"mm_out"})->output(0);
  Value* z = b.graph().add_node("Neg", "neg", {m}, {"neg_out"})->output(0);
  b.graph().add_output(z);
  infer_shapes(b.graph());
  const QuantizationPlan plan = plan_quantization(b.graph(), {});
  const auto got = activations(plan);
  const std::map<std::string, ExpectedQuantization> want = {
      {"x", {{"c1", "c2"}, false}},
      {"clip_out", {{"cat"}, true}},  // c1's output past its folded Clip(0, 6); also Concat's input
      {"c2_out", {{"sig"}, false}},   // c2's output, for the fp32 Sigmoid
      {"sig_out", {{"cat"}, true}},   // Concat's input: a Sigmoid is in (0, 1)
      {"cat_out", {{"c3"}, true}},    // Concat's output = c3's input; concat of non-negative tensors
      {"c3_out", {{"tanh"}, false}},  // c3's output, for the fp32 Tanh
      {"tanh_out", {{"mm"}, false}},  // both MatMul inputs (the same tensor)
      {"mm_out", {{"neg"}, false}},   // QLinearMatMul needs its output quantized
  };
  EXPECT_EQ(got, want);
  if (got != want) print(got);
  EXPECT_EQ(weight_nodes(plan), (std::vector<std::string>{"c1", "c2", "c3"}));
}

}  // namespace
}  // namespace octet::quantization
