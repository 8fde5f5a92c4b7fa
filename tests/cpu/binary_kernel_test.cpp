// The oneDNN binary kernel (Add, Sub, Mul, Div, Max, Min) against the reference executor: same dims in plain
// and blocked layouts, the broadcast forms oneDNN has (per channel, lower rank, scalar, per last axis),
// constant operands, the swap of a broadcast / constant first operand for commutative ops, and the forms left
// to the reference.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

const std::vector<std::string> kOps = {"Add", "Sub", "Mul", "Div", "Max", "Min"};

// The second operand of Div stays away from 0.
Value* second_input(KernelTestGraph& g, const std::string& op, const Dims& dims) {
  return op == "Div" ? g.input("b", dims, 0.5f, 2.0f) : g.input("b", dims);
}

TEST(BinaryKernelTest, SameDimsPlain) {
  for (const std::string& op : kOps) {
    SCOPED_TRACE(op);
    KernelTestGraph g;
    Value* a = g.input("a", {2, 5, 3, 4});
    g.node(op, {a, second_input(g, op, {2, 5, 3, 4})});
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
    EXPECT_EQ(run.input_layouts, (std::vector<std::string>{"nchw", "nchw"}));
  }
}

TEST(BinaryKernelTest, BroadcastForms) {
  const std::vector<Dims> second_dims = {{1, 5, 1, 1}, {5, 1, 1}, {4}, {2, 1, 3, 4}, {1, 1, 1, 1}, {3, 1}};
  for (const std::string& op : kOps) {
    for (const Dims& dims : second_dims) {
      SCOPED_TRACE(op + " with " + to_string(dims));
      KernelTestGraph g;
      Value* a = g.input("a", {2, 5, 3, 4});
      g.node(op, {a, second_input(g, op, dims)});
      EXPECT_FALSE(is_reference(g.check()));
    }
  }
}

TEST(BinaryKernelTest, ConstantSecondOperand) {
  const std::vector<Dims> constant_dims = {{}, {1, 7, 1, 1}, {7, 1, 1}, {2, 7, 3, 3}};
  for (const std::string& op : kOps) {
    for (const Dims& dims : constant_dims) {
      SCOPED_TRACE(op + " with constant " + to_string(dims));
      KernelTestGraph g;
      Value* a = g.input("a", {2, 7, 3, 3});
      g.node(op, {a, g.random_constant("c", dims, 0.5f, 2.0f)});
      EXPECT_FALSE(is_reference(g.check()));
    }
  }
}

TEST(BinaryKernelTest, BlockedInputsNeedNoReorder) {
  for (const std::string& op : kOps) {
    SCOPED_TRACE(op);
    KernelTestGraph g;
    Value* x = g.input("x", {1, 3, 5, 4}, 0.2f, 1.0f);
    Value* a = g.blocked(x, 12);  // 12 channels: the second block of 8 is padded
    Value* b = g.blocked(x, 12);
    if (op == "Div")
      b = g.add("Add", "shift", {g.add("Abs", "abs", {b}), g.constant("one", Tensor::scalar(1.0f))});
    g.node(op, {a, b});
    const KernelRun run = g.check();
    EXPECT_EQ(run.exec_type, "jit_uni_FP32");
    // oneDNN 2.6 has no jit division of channel-padded blocked tensors (the padding would divide 0 by 0): its
    // ref:any is ~100x slower than reordering both operands to plain, so Div reads plain.
    // (On AVX-512 oneDNN writes 12 channels as nhwc, with no padding: Div reads it as it is.)
    ASSERT_EQ(run.input_layouts.size(), 2u);
    const bool padded_blocks = run.conv_layouts.at(0).starts_with("nC");
    if (op == "Div" && padded_blocks) {
      EXPECT_EQ(run.input_layouts, (std::vector<std::string>{"nchw", "nchw"}));
    } else if (op == "Div") {
      EXPECT_NE(run.input_writers[0], "Reorder");
      EXPECT_EQ(run.input_layouts[0], run.conv_layouts.at(0));
    } else {
      expect_read_as_written(run, 0, 0);
      expect_read_as_written(run, 1, 1);
    }
  }
}

TEST(BinaryKernelTest, BlockedInputWithBroadcastOperands) {
  for (const Dims& dims : std::vector<Dims>{{1, 12, 1, 1}, {12, 1, 1}, {}}) {
    SCOPED_TRACE(to_string(dims));
    KernelTestGraph g;
    Value* a = g.blocked(g.input("x", {2, 5, 3, 4}), 12);
    g.node("Mul", {a, g.random_constant("scale", dims)});
    const KernelRun run = g.check();
    EXPECT_EQ(run.exec_type, "jit_uni_FP32");
    ASSERT_FALSE(run.input_layouts.empty());
    expect_read_as_written(run, 0);
  }
  KernelTestGraph g;
  Value* a = g.blocked(g.input("x", {2, 5, 3, 4}), 12);
  g.node("Sub", {a, g.input("b", {1, 12, 1, 1})});
  const KernelRun run = g.check();
  EXPECT_EQ(run.exec_type, "jit_uni_FP32");
  // oneDNN 2.6's jit binary broadcasts a per-channel operand over a blocked one only in the same blocking.
  ASSERT_EQ(run.input_layouts.size(), 2u);
  expect_read_as_written(run, 0);
  // (A [1, 12, 1, 1] operand is the same bytes in nchw and nhwc, so with an nhwc conv it may stay nchw.)
  if (run.conv_layouts.at(0).starts_with("nC")) {
    EXPECT_EQ(run.input_layouts[1], run.conv_layouts.at(0));
  }
}

TEST(BinaryKernelTest, CommutativeOpsSwapABroadcastOrConstantFirstOperand) {
  for (const std::string op : {"Add", "Mul", "Max", "Min"}) {
    SCOPED_TRACE(op);
    KernelTestGraph constant_first;
    Value* x = constant_first.input("x", {2, 5, 3});
    constant_first.node(op, {constant_first.random_constant("c", {5, 1}), x});
    EXPECT_FALSE(is_reference(constant_first.check()));

    KernelTestGraph broadcast_first;
    Value* small = broadcast_first.input("small", {1, 5, 1});
    broadcast_first.node(op, {small, broadcast_first.input("big", {2, 5, 3})});
    EXPECT_FALSE(is_reference(broadcast_first.check()));
  }
}

TEST(BinaryKernelTest, FormsLeftToTheReference) {
  for (const std::string op : {"Sub", "Div"}) {
    SCOPED_TRACE(op);
    KernelTestGraph constant_first;
    Value* x = constant_first.input("x", {2, 5}, 0.5f, 2.0f);
    constant_first.node(op, {constant_first.random_constant("c", {2, 5}), x});
    EXPECT_TRUE(is_reference(constant_first.check()));

    KernelTestGraph broadcast_first;
    Value* small = broadcast_first.input("small", {5});
    broadcast_first.node(op, {small, broadcast_first.input("big", {2, 5}, 0.5f, 2.0f)});
    EXPECT_TRUE(is_reference(broadcast_first.check()));
  }
  KernelTestGraph both_broadcast;  // [3,1] + [1,4]: neither operand has the output's dims
  Value* column = both_broadcast.input("column", {3, 1});
  both_broadcast.node("Add", {column, both_broadcast.input("row", {1, 4})});
  EXPECT_TRUE(is_reference(both_broadcast.check()));

  KernelTestGraph three_inputs;  // variadic Max
  Value* a = three_inputs.input("a", {4, 3});
  three_inputs.node("Max", {a, three_inputs.input("b", {4, 3}), three_inputs.input("c", {4, 3})});
  EXPECT_TRUE(is_reference(three_inputs.check()));
}

TEST(BinaryKernelTest, SquareOfOneInput) {
  KernelTestGraph g;
  Value* x = g.input("x", {3, 6});
  g.node("Mul", {x, x});
  EXPECT_FALSE(is_reference(g.check()));
}

}  // namespace
}  // namespace octet::test
