// Resize with mode=nearest. Oracles: PyTorch 1.13 F.interpolate (mode='nearest' is ONNX asymmetric + floor,
// mode='nearest-exact' is half_pixel + round_prefer_ceil) on x23 (resize_test_inputs.h), and the expected
// outputs of the ONNX 1.12 node tests in /usr/share/libonnx-testdata/data/node/test_resize_* (read with
// onnx.numpy_helper).
#include <gtest/gtest.h>

#include "tests/ops/resize_test_inputs.h"
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

Attributes nearest(const char* transform, const char* rounding) {
  return {{"mode", std::string("nearest")},
          {"coordinate_transformation_mode", std::string(transform)},
          {"nearest_mode", std::string(rounding)}};
}

// The Upsample case: F.interpolate(x23, scale_factor=2, mode='nearest').
TEST(ResizeNearestTest, AsymmetricFloorDoublesLikeUpsample) {
  const Tensor y = run_single("Resize", {fed(x23()), omitted(), constant(f32({4}, {1, 1, 2, 2}))},
                              nearest("asymmetric", "floor"));
  expect_f32(y, {1, 1, 4, 6},
             {1, 1, 2, 2, 4, 4, 1, 1, 2, 2, 4, 4, -1, -1, 3, 3, 0.5f, 0.5f, -1, -1, 3, 3, 0.5f, 0.5f},
             scaled_tolerance(1e-5f));
}

// F.interpolate(x23, scale_factor=1.5, mode='nearest'): the output size is floor(2*1.5) x floor(3*1.5).
TEST(ResizeNearestTest, NonIntegerScaleFloorsTheSize) {
  const Tensor y =
      run_single("Resize", {fed(x23()), constant(f32({0}, {})), constant(f32({4}, {1, 1, 1.5f, 1.5f}))},
                 nearest("asymmetric", "floor"));
  expect_f32(y, {1, 1, 3, 4}, {1, 1, 2, 4, 1, 1, 2, 4, -1, -1, 3, 0.5f}, scaled_tolerance(1e-5f));
}

// F.interpolate(x23, size=(3,5), mode='nearest-exact').
TEST(ResizeNearestTest, HalfPixelRoundPreferCeilMatchesNearestExact) {
  const Tensor y = run_single("Resize", {fed(x23()), omitted(), omitted(), constant(i64({4}, {1, 1, 3, 5}))},
                              nearest("half_pixel", "round_prefer_ceil"));
  expect_f32(y, {1, 1, 3, 5}, {1, 1, 2, 4, 4, -1, -1, 3, 0.5f, 0.5f, -1, -1, 3, 0.5f, 0.5f},
             scaled_tolerance(1e-5f));
}

// ONNX node tests test_resize_upsample_sizes_nearest_{ceil_half_pixel, floor_align_corners,
// round_prefer_ceil_asymmetric}: X = 1..16 as [1,1,4,4], sizes [1,1,8,8]. Each row of 8 is listed once per
// output row.
TEST(ResizeNearestTest, OnnxNodeTestsForEachRounding) {
  const Tensor x = f32({1, 1, 4, 4}, one_to(16));
  const Tensor sizes = i64({4}, {1, 1, 8, 8});
  auto rows = [](std::vector<std::vector<float>> r) {
    std::vector<float> v;
    for (auto& row : r) v.insert(v.end(), row.begin(), row.end());
    return v;
  };
  const std::vector<float> ceil_half_pixel = rows({{1, 2, 2, 3, 3, 4, 4, 4},
                                                   {5, 6, 6, 7, 7, 8, 8, 8},
                                                   {5, 6, 6, 7, 7, 8, 8, 8},
                                                   {9, 10, 10, 11, 11, 12, 12, 12},
                                                   {9, 10, 10, 11, 11, 12, 12, 12},
                                                   {13, 14, 14, 15, 15, 16, 16, 16},
                                                   {13, 14, 14, 15, 15, 16, 16, 16},
                                                   {13, 14, 14, 15, 15, 16, 16, 16}});
  expect_f32(
      run_single("Resize", {fed(x), omitted(), omitted(), constant(sizes)}, nearest("half_pixel", "ceil")),
      {1, 1, 8, 8}, ceil_half_pixel, scaled_tolerance(1e-5f));
  // round_prefer_ceil + asymmetric gives the same table for this input.
  expect_f32(run_single("Resize", {fed(x), omitted(), omitted(), constant(sizes)},
                        nearest("asymmetric", "round_prefer_ceil")),
             {1, 1, 8, 8}, ceil_half_pixel, scaled_tolerance(1e-5f));
  expect_f32(run_single("Resize", {fed(x), omitted(), omitted(), constant(sizes)},
                        nearest("align_corners", "floor")),
             {1, 1, 8, 8},
             rows({{1, 1, 1, 2, 2, 3, 3, 4},
                   {1, 1, 1, 2, 2, 3, 3, 4},
                   {1, 1, 1, 2, 2, 3, 3, 4},
                   {5, 5, 5, 6, 6, 7, 7, 8},
                   {5, 5, 5, 6, 6, 7, 7, 8},
                   {9, 9, 9, 10, 10, 11, 11, 12},
                   {9, 9, 9, 10, 10, 11, 11, 12},
                   {13, 13, 13, 14, 14, 15, 15, 16}}),
             scaled_tolerance(1e-5f));
}

// By hand, 1-d x = [10, 20], sizes [4], asymmetric: outputs sample 0, 0.5, 1, 1.5. The ties at .5 go down
// with round_prefer_floor (10, 10, 20, 20) and up with round_prefer_ceil (10, 20, 20, 20; 1.5 -> 2 is clamped
// to 1).
TEST(ResizeNearestTest, TiesFollowTheRoundingMode) {
  const Tensor x = f32({2}, {10, 20});
  const Tensor sizes = i64({1}, {4});
  expect_f32(run_single("Resize", {fed(x), omitted(), omitted(), constant(sizes)},
                        nearest("asymmetric", "round_prefer_floor")),
             {4}, {10, 10, 20, 20}, scaled_tolerance(1e-5f));
  expect_f32(run_single("Resize", {fed(x), omitted(), omitted(), constant(sizes)},
                        nearest("asymmetric", "round_prefer_ceil")),
             {4}, {10, 20, 20, 20}, scaled_tolerance(1e-5f));
}

TEST(ResizeNearestTest, CopiesEightBitValues) {
  const Tensor x = Tensor::from_vector<uint8_t>({1, 1, 2, 2}, std::vector<uint8_t>{0, 255, 7, 128});
  const Tensor y = run_single("Resize", {fed(x), omitted(), constant(f32({4}, {1, 1, 2, 1}))},
                              nearest("asymmetric", "floor"));
  expect_tensor<uint8_t>(y, ElementType::kU8, {1, 1, 4, 2}, {0, 255, 0, 255, 7, 128, 7, 128});
  const Tensor s = Tensor::from_vector<int8_t>({3}, std::vector<int8_t>{-128, 5, 127});
  expect_tensor<int8_t>(
      run_single("Resize", {fed(s), omitted(), constant(f32({1}, {0.7f}))}, nearest("asymmetric", "floor")),
      ElementType::kI8, {2}, {-128, 5});  // floor(3 * 0.7) = 2; coordinates 0, 1/0.7 = 1.43 -> 0, 1
}

}  // namespace
}  // namespace octet
