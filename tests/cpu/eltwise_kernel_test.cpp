// The oneDNN eltwise kernel (standalone activations and unary math) against the reference executor: every op
// it takes on plain inputs with a channel count that is not a multiple of 8, on channel-blocked inputs (read
// without a reorder), in place inside a chain, and the forms it leaves to the reference.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

struct EltwiseCase {
  std::string type;
  Attributes attributes;
  float low = -3.0f, high = 3.0f;  // input range (positive for Sqrt / Log, away from 0 for Reciprocal)
};

std::vector<EltwiseCase> eltwise_cases() {
  return {{"Relu", {}},
          {"LeakyRelu", {{"alpha", 0.2f}}},
          {"LeakyRelu", {}},
          {"Sigmoid", {}},
          {"Tanh", {}},
          {"Elu", {{"alpha", 0.5f}}},
          {"HardSwish", {}, -5.0f, 5.0f},
          {"Exp", {}},
          {"Abs", {}},
          {"Sqrt", {}, 0.01f, 9.0f},
          {"Log", {}, 0.01f, 9.0f},
          {"Softplus", {}, -10.0f, 10.0f},
          {"Neg", {}},
          {"Reciprocal", {}, 0.25f, 4.0f},
          {"Round", {}, -4.0f, 4.0f}};
}

TEST(EltwiseKernelTest, EveryOpOnPlainOddChannels) {
  for (const EltwiseCase& c : eltwise_cases()) {
    SCOPED_TRACE(c.type);
    KernelTestGraph g;
    Value* x = g.input("x", {2, 5, 3, 4}, c.low, c.high);
    g.node(c.type, {x}, c.attributes);
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
  }
}

TEST(EltwiseKernelTest, EveryOpOnBlockedInputWithoutReorder) {
  for (const EltwiseCase& c : eltwise_cases()) {
    SCOPED_TRACE(c.type);
    KernelTestGraph g;
    // Abs keeps Sqrt / Log / Reciprocal inputs in range after the random convolution.
    Value* x = g.blocked(g.input("x", {1, 3, 5, 6}, 0.1f, 1.0f), 12);
    if (c.low > 0)
      x = g.add("Add", "shift", {g.add("Abs", "abs", {x}), g.constant("c", Tensor::scalar(c.low))});
    g.node(c.type, {x}, c.attributes);
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
    ASSERT_EQ(run.input_layouts.size(), 1u);
    if (c.low > 0) {  // through the Abs and Add: no reorder anywhere, so still the conv's layout
      EXPECT_NE(run.input_writers[0], "Reorder");
      EXPECT_EQ(run.input_layouts[0], run.conv_layouts.at(0));
    } else {
      expect_read_as_written(run, 0);
    }
  }
}

TEST(EltwiseKernelTest, ClipWithConstantLimitsAndOneSided) {
  for (const bool has_min : {true, false}) {
    KernelTestGraph g;
    Value* x = g.input("x", {3, 7});
    Value* low = has_min ? g.constant("low", Tensor::scalar(-0.5f)) : nullptr;
    g.node("Clip", {x, low, g.constant("high", Tensor::scalar(1.25f))});
    EXPECT_FALSE(is_reference(g.check()));
  }
}

TEST(EltwiseKernelTest, RoundBreaksTiesToEven) {
  KernelTestGraph g;
  Value* x = g.input("x", {8});
  // Expected by ONNX (numpy.round): -2, -2, -0, 0, 0, 2, 2, 4.
  g.set_feed("x", Tensor::from_vector<float>(
                      {8}, std::vector<float>{-2.5f, -1.5f, -0.5f, 0.4f, 0.5f, 1.5f, 2.5f, 3.5f}));
  g.node("Round", {x});
  EXPECT_FALSE(is_reference(g.check()));
}

TEST(EltwiseKernelTest, ChainRunsInPlace) {
  KernelTestGraph g;
  Value* x = g.input("x", {1, 9, 4, 4}, 0.1f, 4.0f);
  g.node("Exp", {g.add("Sqrt", "sqrt", {x})});
  EXPECT_FALSE(is_reference(g.check()));
}

TEST(EltwiseKernelTest, RuntimeClipLimitGoesToReference) {
  KernelTestGraph g;
  Value* x = g.input("x", {2, 6});
  g.node("Clip", {x, g.input("low", {}), g.constant("high", Tensor::scalar(1.0f))});
  EXPECT_TRUE(is_reference(g.check()));
}

}  // namespace
}  // namespace octet::test
