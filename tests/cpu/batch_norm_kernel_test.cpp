// The oneDNN batch normalization kernel (inference, constant parameters) against the reference executor:
// ranks 2 to 5, odd channel counts, a non-default epsilon, blocked inputs read without a reorder.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

Node* add_batch_norm(KernelTestGraph& g, Value* x, int64_t channels, Attributes attributes = {}) {
  return g.node("BatchNormalization",
                {x, g.random_constant("scale", {channels}), g.random_constant("bias", {channels}),
                 g.random_constant("mean", {channels}), g.random_constant("var", {channels}, 0.1f, 3.0f)},
                std::move(attributes));
}

TEST(BatchNormKernelTest, Ranks2To5) {
  for (const Dims& dims : std::vector<Dims>{{4, 7}, {2, 7, 5}, {2, 7, 3, 4}, {1, 7, 2, 3, 4}}) {
    SCOPED_TRACE(to_string(dims));
    KernelTestGraph g;
    add_batch_norm(g, g.input("x", dims), 7, {{"epsilon", 1e-3f}});
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
  }
}

TEST(BatchNormKernelTest, BlockedInput) {
  KernelTestGraph g;
  add_batch_norm(g, g.blocked(g.input("x", {2, 3, 4, 5}), 12), 12);
  const KernelRun run = g.check();
  EXPECT_FALSE(is_reference(run)) << run.exec_type;
  ASSERT_EQ(run.input_layouts.size(), 1u);
  expect_read_as_written(run, 0);
}

TEST(BatchNormKernelTest, RuntimeMeanGoesToReference) {
  KernelTestGraph g;
  Value* x = g.input("x", {2, 3, 4});
  g.node("BatchNormalization", {x, g.random_constant("scale", {3}), g.random_constant("bias", {3}),
                                g.input("mean", {3}), g.random_constant("var", {3}, 0.1f, 3.0f)});
  EXPECT_TRUE(is_reference(g.check()));
}

}  // namespace
}  // namespace octet::test
