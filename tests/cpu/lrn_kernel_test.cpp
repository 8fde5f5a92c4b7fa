// The oneDNN LRN kernel against the reference executor (ONNX's formula: x / (bias + alpha / size * sum of
// squares over the window)^beta): odd sizes with non-default attributes, plain and blocked inputs, 1-d and
// 2-d spatial inputs; even sizes (whose window oneDNN places differently) go to the reference.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

TEST(LrnKernelTest, OddSizesPlain) {
  for (const int64_t size : {1, 3, 5, 7}) {
    SCOPED_TRACE(size);
    KernelTestGraph g;
    g.node("LRN", {g.input("x", {2, 11, 4, 5}, -3.0f, 3.0f)},
           {{"size", size}, {"alpha", 0.3f}, {"beta", 0.6f}, {"bias", 2.0f}});
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
  }
}

TEST(LrnKernelTest, DefaultAttributes) {
  KernelTestGraph g;
  g.node("LRN", {g.input("x", {1, 6, 5, 5}, -30.0f, 30.0f)}, {{"size", int64_t{5}}});
  EXPECT_FALSE(is_reference(g.check()));
}

TEST(LrnKernelTest, BlockedInput) {
  KernelTestGraph g;
  g.node("LRN", {g.blocked(g.input("x", {1, 3, 6, 5}), 12)},
         {{"size", int64_t{5}}, {"alpha", 0.01f}, {"beta", 0.75f}, {"bias", 1.0f}});
  const KernelRun run = g.check();
  EXPECT_FALSE(is_reference(run)) << run.exec_type;
  ASSERT_EQ(run.input_layouts.size(), 1u);
  expect_read_as_written(run, 0);
}

TEST(LrnKernelTest, OneSpatialAxis) {
  KernelTestGraph g;
  g.node("LRN", {g.input("x", {2, 9, 7})}, {{"size", int64_t{3}}, {"alpha", 0.5f}});
  g.check();  // numbers must match whichever kernel runs it
}

TEST(LrnKernelTest, EvenSizeGoesToReference) {
  KernelTestGraph g;
  g.node("LRN", {g.input("x", {1, 8, 3, 3})}, {{"size", int64_t{4}}, {"alpha", 0.5f}});
  EXPECT_TRUE(is_reference(g.check()));
}

}  // namespace
}  // namespace octet::test
