// The oneDNN resampling kernel for Resize against the reference executor: the nearest and linear forms where
// oneDNN computes exactly ONNX's coordinates (see onednn_resampling.h), given by scales or sizes, 1-d to 3-d
// spatial, plain and blocked; and the forms it must leave to the reference.
#include <gtest/gtest.h>

#include "tests/cpu/kernel_test_graph.h"

namespace octet::test {
namespace {

struct ResizeCase {
  std::string name;
  Dims input;
  std::vector<float> scales;  // empty: use sizes
  std::vector<int64_t> sizes;
  Attributes attributes;
};

Node* add_resize(KernelTestGraph& g, Value* x, const ResizeCase& c) {
  const auto count = static_cast<int64_t>(c.scales.empty() ? c.sizes.size() : c.scales.size());
  Value* scales =
      c.scales.empty() ? nullptr : g.constant("scales", Tensor::from_vector<float>({count}, c.scales));
  Value* sizes =
      c.sizes.empty() ? nullptr : g.constant("sizes", Tensor::from_vector<int64_t>({count}, c.sizes));
  return g.node("Resize", {x, nullptr, scales, sizes}, c.attributes);
}

Attributes nearest(const std::string& transform, const std::string& nearest_mode) {
  return {{"mode", std::string("nearest")},
          {"coordinate_transformation_mode", transform},
          {"nearest_mode", nearest_mode}};
}
Attributes linear(const std::string& transform) {
  return {{"mode", std::string("linear")}, {"coordinate_transformation_mode", transform}};
}

std::vector<ResizeCase> accepted_cases() {
  return {
      {"nearest_default_x2", {1, 3, 4, 5}, {1, 1, 2, 2}, {}, {}},
      {"nearest_asymmetric_floor_x2x3", {2, 3, 4, 5}, {1, 1, 2, 3}, {}, nearest("asymmetric", "floor")},
      {"nearest_half_pixel_ceil_sizes",
       {1, 5, 3, 4},
       {},
       {1, 5, 9, 8},
       nearest("half_pixel", "round_prefer_ceil")},
      {"nearest_pytorch_x3",
       {1, 2, 3, 3},
       {1, 1, 3, 3},
       {},
       nearest("pytorch_half_pixel", "round_prefer_floor")},
      {"nearest_tf_nn_floor", {1, 2, 3, 3}, {1, 1, 2, 2}, {}, nearest("tf_half_pixel_for_nn", "floor")},
      {"nearest_1d", {2, 3, 7}, {1, 1, 4}, {}, nearest("asymmetric", "floor")},
      {"nearest_3d", {1, 2, 2, 3, 2}, {1, 1, 2, 2, 3}, {}, {}},
      {"nearest_one_axis", {1, 2, 3, 5}, {1, 1, 1, 2}, {}, {}},
      {"linear_x2", {1, 3, 4, 5}, {1, 1, 2, 2}, {}, linear("half_pixel")},
      {"linear_x1.5", {2, 3, 4, 6}, {1, 1, 1.5f, 1.5f}, {}, linear("half_pixel")},
      {"linear_down", {1, 3, 8, 6}, {1, 1, 0.5f, 0.5f}, {}, linear("half_pixel")},
      {"linear_sizes_fractional", {1, 3, 5, 4}, {}, {1, 3, 7, 9}, linear("half_pixel")},
      {"linear_pytorch", {1, 3, 4, 5}, {}, {1, 3, 7, 3}, linear("pytorch_half_pixel")},
      {"linear_1d", {2, 3, 6}, {}, {2, 3, 10}, linear("half_pixel")},
      {"linear_3d", {1, 2, 3, 4, 2}, {1, 1, 2, 1.5f, 2}, {}, linear("half_pixel")},
  };
}

TEST(ResizeKernelTest, FormsOneDnnComputesExactly) {
  for (const ResizeCase& c : accepted_cases()) {
    SCOPED_TRACE(c.name);
    KernelTestGraph g;
    add_resize(g, g.input("x", c.input), c);
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
  }
}

TEST(ResizeKernelTest, BlockedInput) {
  for (const ResizeCase& c : {ResizeCase{"nearest", {}, {1, 1, 2, 2}, {}, nearest("asymmetric", "floor")},
                              ResizeCase{"linear", {}, {}, {1, 12, 7, 9}, linear("half_pixel")}}) {
    SCOPED_TRACE(c.name);
    KernelTestGraph g;
    add_resize(g, g.blocked(g.input("x", {1, 3, 4, 5}), 12), c);
    const KernelRun run = g.check();
    EXPECT_FALSE(is_reference(run)) << run.exec_type;
    ASSERT_EQ(run.input_layouts.size(), 1u);
    expect_read_as_written(run, 0);
  }
}

TEST(ResizeKernelTest, OtherFormsGoToReference) {
  const std::vector<ResizeCase> rejected = {
      // Would pick ceil(o / 2) for odd o in places where oneDNN picks floor.
      {"nearest_asymmetric_round",
       {1, 2, 3, 3},
       {1, 1, 3, 3},
       {},
       nearest("asymmetric", "round_prefer_floor")},
      {"nearest_half_pixel_floor", {1, 2, 3, 3}, {1, 1, 2, 2}, {}, nearest("half_pixel", "floor")},
      {"nearest_fractional", {1, 2, 4, 4}, {1, 1, 1.5f, 1.5f}, {}, {}},
      {"nearest_down", {1, 2, 4, 4}, {1, 1, 0.5f, 0.5f}, {}, {}},
      {"linear_align_corners", {1, 2, 3, 4}, {1, 1, 2, 2}, {}, linear("align_corners")},
      {"linear_asymmetric", {1, 2, 3, 4}, {1, 1, 2, 2}, {}, linear("asymmetric")},
      {"linear_scale_not_out_over_in", {1, 2, 4, 4}, {1, 1, 1.7f, 1.7f}, {}, linear("half_pixel")},
      {"linear_antialias",
       {1, 2, 8, 8},
       {1, 1, 0.5f, 0.5f},
       {},
       {{"mode", std::string("linear")}, {"antialias", int64_t{1}}}},
      {"cubic", {1, 2, 3, 4}, {1, 1, 2, 2}, {}, {{"mode", std::string("cubic")}}},
      {"channels_resized", {1, 2, 3, 4}, {1, 2, 1, 1}, {}, {}},
  };
  for (const ResizeCase& c : rejected) {
    SCOPED_TRACE(c.name);
    KernelTestGraph g;
    add_resize(g, g.input("x", c.input), c);
    EXPECT_TRUE(is_reference(g.check()));
  }
}

}  // namespace
}  // namespace octet::test
