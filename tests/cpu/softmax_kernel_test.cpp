// The oneDNN softmax kernel (Softmax and LogSoftmax, opset 13 axis semantics) against the reference executor:
// every axis, large inputs (the max subtraction must happen), odd sizes and blocked inputs.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

TEST(SoftmaxKernelTest, EveryAxisBothOps) {
  for (const std::string op : {"Softmax", "LogSoftmax"}) {
    for (const int64_t axis : {-1, 0, 1, 2, 3}) {
      SCOPED_TRACE(op + " axis " + std::to_string(axis));
      KernelTestGraph g;
      g.node(op, {g.input("x", {2, 5, 3, 7}, -40.0f, 40.0f)}, {{"axis", axis}});
      const KernelRun run = g.check();
      EXPECT_FALSE(is_reference(run)) << run.exec_type;
    }
  }
}

TEST(SoftmaxKernelTest, DefaultAxisOnMatrix) {
  KernelTestGraph g;
  g.node("Softmax", {g.input("x", {3, 1001}, -10.0f, 10.0f)});
  EXPECT_FALSE(is_reference(g.check()));
}

TEST(SoftmaxKernelTest, BlockedInput) {
  for (const int64_t axis : {1, 3}) {
    SCOPED_TRACE(axis);
    KernelTestGraph g;
    g.node("Softmax", {g.blocked(g.input("x", {2, 3, 4, 5}), 12)}, {{"axis", axis}});
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
  }
}

}  // namespace
}  // namespace octet::test
