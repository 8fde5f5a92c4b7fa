// The Slice / Pad copy kernel (kernels/generic/axis_map_copy_kernel) against the reference executor: slices
// with steps (incl. negative and clamped ends), the CIFAR ResNet option-A shortcut (x[:, :, ::2, ::2] then a
// channel Pad), pads in every mode, negative pads, a non-zero constant, and a blocked producer (reordered).
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

Tensor i64s(std::vector<int64_t> values) {
  const auto n = static_cast<int64_t>(values.size());
  return Tensor::from_vector<int64_t>({n}, values);
}

struct SliceCase {
  Dims input;
  std::vector<int64_t> starts, ends, axes, steps;
};

TEST(AxisMapCopyKernelTest, Slices) {
  const std::vector<SliceCase> cases = {
      {{2, 16, 32, 32}, {0, 0}, {INT64_MAX, INT64_MAX}, {2, 3}, {2, 2}},  // ::2, ::2
      {{3, 7}, {1}, {-1}, {1}, {1}},
      {{3, 7}, {-1}, {-100}, {1}, {-2}},  // backwards, clamped end
      {{4, 5, 6}, {1, 0, 2}, {3, 5, 100}, {0, 1, 2}, {1, 2, 3}},
      {{4, 5, 6}, {2}, {2}, {0}, {1}},  // empty
      {{5}, {0}, {5}, {0}, {1}},        // whole
  };
  for (const SliceCase& c : cases) {
    SCOPED_TRACE(to_string(c.input) + " starts " + to_string(c.starts) + " steps " + to_string(c.steps));
    KernelTestGraph g;
    g.node("Slice",
           {g.input("x", c.input), g.constant("starts", i64s(c.starts)), g.constant("ends", i64s(c.ends)),
            g.constant("axes", i64s(c.axes)), g.constant("steps", i64s(c.steps))});
    const KernelRun run = g.check();
    EXPECT_EQ(run.exec_type, "simple_FP32");
  }
}

struct PadCase {
  Dims input;
  std::vector<int64_t> pads;
  std::string mode;
  float value;
};

TEST(AxisMapCopyKernelTest, Pads) {
  const std::vector<PadCase> cases = {
      {{1, 16, 16, 16}, {0, 8, 0, 0, 0, 8, 0, 0}, "constant", 0.0f},  // ResNet20 shortcut channels
      {{2, 3, 4, 5}, {0, 0, 1, 2, 0, 0, 3, 1}, "constant", 1.5f},
      {{2, 3, 4, 5}, {0, 0, 2, 2, 0, 0, 2, 2}, "reflect", 0.0f},
      {{2, 3, 4, 5}, {0, 1, 1, 6, 0, 1, 1, 6}, "edge", 0.0f},
      {{3, 7}, {-1, 2, 0, -3}, "constant", -2.0f},  // negative pads crop
      {{6}, {3, 4}, "constant", 7.0f},
  };
  for (const PadCase& c : cases) {
    SCOPED_TRACE(to_string(c.input) + " pads " + to_string(c.pads) + " " + c.mode);
    KernelTestGraph g;
    g.node("Pad",
           {g.input("x", c.input), g.constant("pads", i64s(c.pads)),
            g.constant("value", Tensor::scalar<float>(c.value))},
           {{"mode", c.mode}});
    const KernelRun run = g.check();
    EXPECT_EQ(run.exec_type, "simple_FP32");
  }
}

TEST(AxisMapCopyKernelTest, BlockedProducerIsReorderedToPlain) {
  KernelTestGraph g;
  g.node("Slice",
         {g.blocked(g.input("x", {1, 3, 9, 9}), 16), g.constant("starts", i64s({1})),
          g.constant("ends", i64s({8})), g.constant("axes", i64s({2})), g.constant("steps", i64s({3}))});
  const KernelRun run = g.check();
  EXPECT_EQ(run.exec_type, "simple_FP32");
  EXPECT_EQ(run.input_layouts, std::vector<std::string>{"nchw"});
}

}  // namespace
}  // namespace octet::test
