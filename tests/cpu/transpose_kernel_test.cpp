// The oneDNN transpose kernel (one reorder into a permuted-stride view of the output) against the reference
// executor: permutations of ranks 2 to 5, the default reversed order, and blocked inputs read directly.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

struct TransposeCase {
  Dims input;
  std::vector<int64_t> perm;  // empty: attribute omitted (reverse the axes)
};

TEST(TransposeKernelTest, Permutations) {
  const std::vector<TransposeCase> cases = {
      {{3, 7}, {1, 0}},
      {{3, 7}, {}},
      {{2, 3, 5}, {0, 2, 1}},
      {{2, 3, 5}, {2, 0, 1}},
      {{2, 5, 3, 4}, {0, 2, 3, 1}},
      {{2, 5, 3, 4}, {0, 3, 1, 2}},
      {{2, 5, 3, 4}, {}},
      {{2, 5, 3, 4}, {0, 1, 2, 3}},
      {{2, 3, 2, 4, 3}, {4, 0, 3, 1, 2}},
  };
  for (const TransposeCase& c : cases) {
    SCOPED_TRACE(to_string(c.input) + " perm " + to_string(c.perm));
    KernelTestGraph g;
    Attributes attributes;
    if (!c.perm.empty()) attributes["perm"] = c.perm;
    g.node("Transpose", {g.input("x", c.input)}, attributes);
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
  }
}

TEST(TransposeKernelTest, BlockedInputToChannelsLast) {
  for (const int64_t channels : {8, 12}) {
    SCOPED_TRACE(channels);
    KernelTestGraph g;
    g.node("Transpose", {g.blocked(g.input("x", {2, 3, 4, 5}), channels)},
           {{"perm", std::vector<int64_t>{0, 2, 3, 1}}});
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
    ASSERT_EQ(run.input_layouts.size(), 1u);
    expect_read_as_written(run, 0);
  }
}

}  // namespace
}  // namespace octet::test
