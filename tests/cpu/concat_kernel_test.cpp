// The oneDNN concat kernel against the reference executor: every axis in plain layout, channel concat of
// blocked inputs (kept blocked when the channel counts fill whole blocks, read plain otherwise), and the
// forms left to the reference.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

TEST(ConcatKernelTest, EveryAxisPlain) {
  for (const int64_t axis : {0, 1, 2, 3, -1, -3}) {
    SCOPED_TRACE(axis);
    const size_t d = static_cast<size_t>(axis < 0 ? axis + 4 : axis);
    KernelTestGraph g;
    std::vector<Value*> inputs;
    for (int64_t i = 0; i < 3; ++i) {
      Dims dims = {2, 5, 3, 4};
      dims[d] = i + 1;  // 1, 2, 3 along the axis
      inputs.push_back(g.input("x" + std::to_string(i), dims));
    }
    g.node("Concat", inputs, {{"axis", axis}});
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
    EXPECT_EQ(run.input_layouts, (std::vector<std::string>{"nchw", "nchw", "nchw"}));
  }
}

TEST(ConcatKernelTest, MatricesAndSingleInput) {
  KernelTestGraph g;
  Value* a = g.input("a", {3, 5});
  g.node("Concat", {a, g.input("b", {3, 2})}, {{"axis", int64_t{1}}});
  EXPECT_FALSE(is_reference(g.check()));
  KernelTestGraph single;
  single.node("Concat", {single.input("a", {3, 5})}, {{"axis", int64_t{0}}});
  EXPECT_FALSE(is_reference(single.check()));
}

TEST(ConcatKernelTest, BlockedChannelConcatStaysBlocked) {
  KernelTestGraph g;
  Value* x = g.input("x", {2, 3, 4, 5});
  Value* a = g.blocked(x, 8);
  Value* b = g.blocked(x, 16);
  g.node("Concat", {a, b}, {{"axis", int64_t{1}}});
  const KernelRun run = g.check();
  EXPECT_FALSE(is_reference(run)) << run.exec_type;
  ASSERT_EQ(run.input_layouts.size(), 2u);
  expect_read_as_written(run, 0, 0);
  expect_read_as_written(run, 1, 1);
}

TEST(ConcatKernelTest, BlockedInputsWithPartialBlocksAndSpatialAxes) {
  for (const int64_t axis : {1, 2, 3}) {
    SCOPED_TRACE(axis);
    KernelTestGraph g;
    Value* x = g.input("x", {1, 3, 4, 5});
    Value* a = g.blocked(x, 12);
    Value* b = g.blocked(x, axis == 1 ? 5 : 12);
    g.node("Concat", {a, b}, {{"axis", axis}});
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
  }
}

TEST(ConcatKernelTest, MixedLayouts) {
  KernelTestGraph g;
  Value* x = g.input("x", {1, 3, 4, 5});
  g.node("Concat", {g.blocked(x, 8), x}, {{"axis", int64_t{1}}});
  EXPECT_FALSE(is_reference(g.check()));
}

TEST(ConcatKernelTest, ConstantInputGoesToReference) {
  KernelTestGraph g;
  Value* x = g.input("x", {2, 3});
  g.node("Concat", {x, g.random_constant("c", {1, 3})}, {{"axis", int64_t{0}}});
  EXPECT_TRUE(is_reference(g.check()));
}

}  // namespace
}  // namespace octet::test
