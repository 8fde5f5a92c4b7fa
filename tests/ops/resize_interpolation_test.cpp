// Resize with mode=linear / cubic. Oracles: PyTorch 1.13 F.interpolate (bilinear / bicubic / trilinear; its
// align_corners=False is ONNX half_pixel, its bicubic uses A = -0.75 and clamps at the border like ONNX;
// antialias=True equals ONNX antialias with exclude_outside=1 and, for bicubic, A = -0.5), the expected
// outputs of the ONNX 1.12 node tests (test_resize_*), and hand computation where stated.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/ops/resize_test_inputs.h"
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

// x23 = [[[[1, 2, 4], [-1, 3, 0.5]]]]
// x46 = [[3,1,4,1,5,9],[2,6,5,3,5,8],[9,7,9,3,2,3],[8,4,6,2,6,4]]
Tensor x46() {
  return f32({1, 1, 4, 6}, {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4});
}

Attributes interpolation(const char* mode, const char* transform) {
  return {{"mode", std::string(mode)}, {"coordinate_transformation_mode", std::string(transform)}};
}

OpInput sizes(std::vector<int64_t> s) {
  const auto n = static_cast<int64_t>(s.size());
  return constant(i64({n}, s));
}
OpInput scales(std::vector<float> s) {
  const auto n = static_cast<int64_t>(s.size());
  return constant(f32({n}, s));
}

// F.interpolate(x23, size=(4,5), mode='bilinear', align_corners=False)
TEST(ResizeLinearTest, HalfPixelMatchesTorch) {
  expect_f32(run_single("Resize", {fed(x23()), omitted(), omitted(), sizes({1, 1, 4, 5})},
                        interpolation("linear", "half_pixel")),
             {1, 1, 4, 5}, {1,     1.4f,       2,     3.2f,   4,      0.5f, 1.2f,       2.25f, 2.775f, 3.125f,
                            -0.5f, 0.8000001f, 2.75f, 1.925f, 1.375f, -1,   0.6000001f, 3,     1.5f,   0.5f},
             scaled_tolerance(1e-5f));
}

// F.interpolate(x23, size=(4,5), mode='bilinear', align_corners=True)
TEST(ResizeLinearTest, AlignCornersMatchesTorch) {
  expect_f32(run_single("Resize", {fed(x23()), omitted(), omitted(), sizes({1, 1, 4, 5})},
                        interpolation("linear", "align_corners")),
             {1, 1, 4, 5}, {1,         1.5f,      2,         3,           4,         0.3333333f, 1.333333f,
                            2.333333f, 2.583333f, 2.833333f, -0.3333334f, 1.166667f, 2.666667f,  2.166667f,
                            1.666667f, -1,        1,         3,           1.75f,     0.5f},
             scaled_tolerance(1e-5f));
}

// F.interpolate(x46, scale_factor=0.5, mode='bilinear', align_corners=False) (no antialias)
TEST(ResizeLinearTest, DownsampleMatchesTorch) {
  expect_f32(run_single("Resize", {fed(x46()), omitted(), scales({1, 1, 0.5f, 0.5f})},
                        interpolation("linear", "half_pixel")),
             {1, 1, 2, 3}, {3, 3.25f, 6.75f, 7, 5, 3.75f}, scaled_tolerance(1e-5f));
}

// ONNX node tests test_resize_downsample_scales_linear{,_align_corners}: X = 1..8 as [1,1,2,4], scales 0.6.
// align_corners uses the real resized length 4 * 0.6 = 2.4, which gives 1 + 3 / 1.4 = 3.142857.
TEST(ResizeLinearTest, OnnxNodeTestsWithNonIntegerScale) {
  const Tensor x = f32({1, 1, 2, 4}, one_to(8));
  expect_f32(run_single("Resize", {fed(x), omitted(), scales({1, 1, 0.6f, 0.6f})},
                        interpolation("linear", "half_pixel")),
             {1, 1, 1, 2}, {2.6666665f, 4.333333f}, scaled_tolerance(1e-5f));
  expect_f32(run_single("Resize", {fed(x), omitted(), scales({1, 1, 0.6f, 0.6f})},
                        interpolation("linear", "align_corners")),
             {1, 1, 1, 2}, {1, 3.1428571f}, scaled_tolerance(1e-5f));
}

// ONNX node test test_resize_downsample_sizes_linear_pytorch_half_pixel: a length-1 axis samples coordinate
// 0.
TEST(ResizeLinearTest, PytorchHalfPixelLengthOne) {
  expect_f32(
      run_single("Resize", {fed(f32({1, 1, 4, 4}, one_to(16))), omitted(), omitted(), sizes({1, 1, 3, 1})},
                 interpolation("linear", "pytorch_half_pixel")),
      {1, 1, 3, 1}, {1.6666666f, 7, 12.333333f}, scaled_tolerance(1e-5f));
}

// By hand, 1-d x = [0, 10, 20], scale 0.5: one output (floor(1.5)). half_pixel samples (0 + 0.5) / 0.5 - 0.5
// = 0.5
// -> 5. half_pixel_symmetric shifts by offset = 3/2 * (1 - 1/1.5) = 0.5 to the centre, 1.0 -> 10.
TEST(ResizeLinearTest, HalfPixelSymmetricCentresTheOutput) {
  const Tensor x = f32({3}, {0, 10, 20});
  expect_f32(run_single("Resize", {fed(x), omitted(), scales({0.5f})}, interpolation("linear", "half_pixel")),
             {1}, {5}, scaled_tolerance(1e-5f));
  expect_f32(run_single("Resize", {fed(x), omitted(), scales({0.5f})},
                        interpolation("linear", "half_pixel_symmetric")),
             {1}, {10}, scaled_tolerance(1e-5f));
}

// F.interpolate(x3d, size=(3,3,4), mode='trilinear', align_corners=False), x3d =
// arange(12).reshape(1,1,2,2,3)**1.5
TEST(ResizeLinearTest, TrilinearMatchesTorch) {
  std::vector<float> x(12);
  for (size_t i = 0; i < 12; ++i) x[i] = std::pow(static_cast<float>(i), 1.5f);
  expect_f32(
      run_single("Resize", {fed(f32({1, 1, 2, 2, 3}, x)), omitted(), omitted(), sizes({1, 1, 3, 3, 4})},
                 interpolation("linear", "half_pixel")),
      {1, 1, 3, 3, 4},
      {0,         0.625f,    1.68566f,  2.828427f, 2.598076f, 3.786778f, 5.439144f, 7.004384f, 5.196152f,
       6.948556f, 9.192627f, 11.18034f, 7.348469f, 8.855757f, 10.87305f, 12.72792f, 11.72327f, 13.63733f,
       16.09601f, 18.27976f, 16.09808f, 18.4189f,  21.31897f, 23.83161f, 14.69694f, 17.08651f, 20.06044f,
       22.62742f, 20.84847f, 23.48787f, 26.75288f, 29.55514f, 27,        29.88923f, 33.44531f, 36.48287f},
      scaled_tolerance(1e-5f));
}

// ONNX node test test_resize_tf_crop_and_resize: X = 1..16 as [1,1,4,4], roi rows 0.4..0.6, columns 0.6..0.8
// of the (N,C,H,W) ranges below, sizes [1,1,3,3], extrapolation 10 outside the input.
TEST(ResizeLinearTest, TfCropAndResizeExtrapolates) {
  const Tensor roi = f32({8}, {0, 0, 0.4f, 0.6f, 1, 1, 1.2f, 1.7f});
  Attributes a = interpolation("linear", "tf_crop_and_resize");
  a["extrapolation_value"] = 10.0f;
  expect_f32(
      run_single("Resize",
                 {fed(f32({1, 1, 4, 4}, one_to(16))), constant(roi), omitted(), sizes({1, 1, 3, 3})}, a),
      {1, 1, 3, 3}, {7.6000004f, 10, 10, 12.4000006f, 10, 10, 10, 10, 10}, scaled_tolerance(1e-5f));
}

// By hand, 1-d x = [0, 4, 8, 12], scale 0.5, half_pixel: outputs sample 0.5 and 2.5 with the triangle
// stretched to radius 2: taps at offsets -1..2 weigh (.25, .75, .75, .25) / 2. Clamped: (0,0,4,8) -> 2.5 and
// (4,8,12,12) -> 9.5. exclude_outside drops the outside tap and renormalizes by 1.75: 5 / 1.75 = 2.857143 and
// 16 / 1.75 = 9.142857.
TEST(ResizeLinearTest, AntialiasByHand) {
  const Tensor x = f32({4}, {0, 4, 8, 12});
  Attributes a = interpolation("linear", "half_pixel");
  a["antialias"] = int64_t{1};
  expect_f32(run_single("Resize", {fed(x), omitted(), scales({0.5f})}, a), {2}, {2.5f, 9.5f},
             scaled_tolerance(1e-5f));
  a["exclude_outside"] = int64_t{1};
  expect_f32(run_single("Resize", {fed(x), omitted(), scales({0.5f})}, a), {2}, {2.857143f, 9.142857f},
             scaled_tolerance(1e-5f));
  // Upsampling ignores antialias: x = [0, 4] to 4 samples at -0.25, 0.25, 0.75, 1.25 -> 0, 1, 3, 4.
  expect_f32(run_single("Resize", {fed(f32({2}, {0, 4})), omitted(), scales({2})}, a), {4}, {0, 1, 3, 4},
             scaled_tolerance(1e-5f));
}

// F.interpolate(x46, scale_factor=0.5, mode='bilinear', align_corners=False, antialias=True)
TEST(ResizeLinearTest, AntialiasDownsampleMatchesTorch) {
  Attributes a = interpolation("linear", "half_pixel");
  a["antialias"] = int64_t{1};
  a["exclude_outside"] = int64_t{1};
  expect_f32(run_single("Resize", {fed(x46()), omitted(), scales({1, 1, 0.5f, 0.5f})}, a), {1, 1, 2, 3},
             {3.918368f, 3.803571f, 5.571428f, 6.653062f, 4.857143f, 3.918368f}, scaled_tolerance(1e-5f));
}

// F.interpolate(x23, size=(4,5), mode='bicubic', align_corners=False)
TEST(ResizeCubicTest, HalfPixelMatchesTorch) {
  expect_f32(run_single("Resize", {fed(x23()), omitted(), omitted(), sizes({1, 1, 4, 5})},
                        interpolation("cubic", "half_pixel")),
             {1, 1, 4, 5}, {1.145313f, 1.298001f,  1.894531f,  3.458211f,  4.606703f,  0.3856252f, 1.128001f,
                            2.226563f, 2.947547f,  3.301156f,  -0.865625f, 0.8480006f, 2.773438f,  2.106453f,
                            1.150844f, -1.625312f, 0.6780006f, 3.105469f,  1.595789f,  -0.1547029f},
             scaled_tolerance(1e-5f));
}

// F.interpolate(x46, scale_factor=0.5, mode='bicubic', align_corners=False [, antialias=True])
TEST(ResizeCubicTest, DownsampleMatchesTorch) {
  expect_f32(run_single("Resize", {fed(x46()), omitted(), scales({1, 1, 0.5f, 0.5f})},
                        interpolation("cubic", "half_pixel")),
             {1, 1, 2, 3}, {2.557617f, 2.822266f, 7.432617f, 7.161133f, 5.287109f, 3.489258f},
             scaled_tolerance(1e-5f));
  Attributes a = interpolation("cubic", "half_pixel");
  a["antialias"] = int64_t{1};
  a["exclude_outside"] = int64_t{1};
  a["cubic_coeff_a"] = -0.5f;
  expect_f32(run_single("Resize", {fed(x46()), omitted(), scales({1, 1, 0.5f, 0.5f})}, a), {1, 1, 2, 3},
             {3.706612f, 3.570012f, 5.877849f, 7.080623f, 4.895732f, 3.646547f}, scaled_tolerance(1e-5f));
}

// ONNX node test test_resize_downsample_scales_cubic: X = 1..16 as [1,1,4,4], scales 0.8 -> 3x3.
TEST(ResizeCubicTest, OnnxDownsampleNodeTest) {
  expect_f32(run_single("Resize", {fed(f32({1, 1, 4, 4}, one_to(16))), omitted(), scales({1, 1, 0.8f, 0.8f})},
                        interpolation("cubic", "half_pixel")),
             {1, 1, 3, 3},
             {1.4711914f, 2.78125f, 4.0825195f, 6.7114258f, 8.0214844f, 9.3227539f, 11.9165039f, 13.2265625f,
              14.527832f},
             scaled_tolerance(1e-5f));
}

// ONNX node test test_resize_upsample_scales_cubic_asymmetric: X = 1..16 as [1,1,4,4], scales 2.
TEST(ResizeCubicTest, OnnxAsymmetricNodeTest) {
  expect_f32(run_single("Resize", {fed(f32({1, 1, 4, 4}, one_to(16))), omitted(), scales({1, 1, 2, 2})},
                        interpolation("cubic", "asymmetric")),
             {1, 1, 8, 8},
             {1,      1.40625,  2,      2.5,      3,      3.59375,  4,      4.09375,  2.625,  3.03125,
              3.625,  4.125,    4.625,  5.21875,  5.625,  5.71875,  5,      5.40625,  6,      6.5,
              7,      7.59375,  8,      8.09375,  7,      7.40625,  8,      8.5,      9,      9.59375,
              10,     10.09375, 9,      9.40625,  10,     10.5,     11,     11.59375, 12,     12.09375,
              11.375, 11.78125, 12.375, 12.875,   13.375, 13.96875, 14.375, 14.46875, 13,     13.40625,
              14,     14.5,     15,     15.59375, 16,     16.09375, 13.375, 13.78125, 14.375, 14.875,
              15.375, 15.96875, 16.375, 16.46875},
             scaled_tolerance(1e-5f));
}

// ONNX node test test_resize_upsample_scales_cubic_A_n0p5_exclude_outside: X = 1..16 as [1,1,4,4], scales 2,
// cubic_coeff_a = -0.5, exclude_outside = 1.
TEST(ResizeCubicTest, OnnxExcludeOutsideNodeTest) {
  Attributes a = interpolation("cubic", "half_pixel");
  a["cubic_coeff_a"] = -0.5f;
  a["exclude_outside"] = int64_t{1};
  expect_f32(run_single("Resize", {fed(f32({1, 1, 4, 4}, one_to(16))), omitted(), scales({1, 1, 2, 2})}, a),
             {1, 1, 8, 8},
             {0.5588235f,  0.8149421f,  1.3569825f,  1.8970588f,  2.3970587f,  2.9371352f,  3.4791756f,
              3.7352941f,  1.5832976f,  1.839416f,   2.3814566f,  2.9215329f,  3.4215329f,  3.9616091f,
              4.5036497f,  4.759768f,   3.7514594f,  4.0075779f,  4.5496182f,  5.0896945f,  5.5896945f,
              6.1297708f,  6.6718116f,  6.9279299f,  5.9117646f,  6.1678834f,  6.7099237f,  7.25f,
              7.75f,       8.2900763f,  8.8321171f,  9.0882349f,  7.9117646f,  8.1678829f,  8.7099237f,
              9.25f,       9.75f,       10.2900763f, 10.8321171f, 11.0882349f, 10.0720701f, 10.3281889f,
              10.8702288f, 11.410305f,  11.910305f,  12.4503813f, 12.9924221f, 13.2485409f, 12.2402315f,
              12.4963503f, 13.0383911f, 13.5784674f, 14.0784674f, 14.6185436f, 15.1605835f, 15.4167023f,
              13.2647057f, 13.5208244f, 14.0628653f, 14.6029415f, 15.1029415f, 15.6430178f, 16.1850586f,
              16.4411774f},
             scaled_tolerance(1e-5f));
}

}  // namespace
}  // namespace octet
