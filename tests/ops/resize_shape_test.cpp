// Resize output shapes (scales, sizes, keep_aspect_ratio_policy, axes), inference with run-time scales, and
// errors. Expected values by hand from the ONNX opset 18 rules quoted in each test.
#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

Attributes nearest_floor() {
  return {{"mode", std::string("nearest")},
          {"coordinate_transformation_mode", std::string("asymmetric")},
          {"nearest_mode", std::string("floor")}};
}

// x = [[1,2,3,4],[5,6,7,8]] as [1,1,2,4]
Tensor x24() {
  return f32({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
}

// not_smaller: scale = max(4/2, 4/4) = 2 for both axes -> [1,1,4,8], every element repeated twice each way.
TEST(ResizeShapeTest, NotSmallerUsesTheLargerScale) {
  Attributes a = nearest_floor();
  a["axes"] = std::vector<int64_t>{2, 3};
  a["keep_aspect_ratio_policy"] = std::string("not_smaller");
  const Tensor y = run_single("Resize", {fed(x24()), omitted(), omitted(), constant(i64({2}, {4, 4}))}, a);
  ASSERT_EQ(y.dims(), (Dims{1, 1, 4, 8}));
  expect_f32(y.reshaped({4, 8}).clone(), {4, 8},
             {1, 1, 2, 2, 3, 3, 4, 4, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 5, 5, 6, 6, 7, 7, 8, 8},
             scaled_tolerance(1e-5f));
}

// not_larger: scale = min(3/2, 3/4) = 0.75 -> round(1.5) = 2 (half up) rows, round(3) = 3 columns; the
// columns sample 0, 1/0.75 = 1.33, 2.67 -> 0, 1, 2.
TEST(ResizeShapeTest, NotLargerUsesTheSmallerScale) {
  Attributes a = nearest_floor();
  a["axes"] = std::vector<int64_t>{-2, -1};
  a["keep_aspect_ratio_policy"] = std::string("not_larger");
  const Tensor y = run_single("Resize", {fed(x24()), omitted(), omitted(), constant(i64({2}, {3, 3}))}, a);
  expect_f32(y, {1, 1, 2, 3}, {1, 2, 3, 5, 6, 7}, scaled_tolerance(1e-5f));
}

// axes = [3] with one scale: only the last axis is resized.
TEST(ResizeShapeTest, AxesSelectWhichScalesApply) {
  Attributes a = nearest_floor();
  a["axes"] = std::vector<int64_t>{3};
  const Tensor y = run_single("Resize", {fed(x24()), omitted(), constant(f32({1}, {0.5f}))}, a);
  expect_f32(y, {1, 1, 2, 2}, {1, 3, 5, 7}, scaled_tolerance(1e-5f));
}

TEST(ResizeShapeTest, InferenceWithConstantAndRuntimeScales) {
  auto c = build_op("Resize", {declared(ElementType::kF32, Shape{kDynamicDim, 3, 10, 20}), omitted(),
                               constant(f32({4}, {1, 1, 2.5f, 0.33f}))});
  EXPECT_EQ(c->node()->output(0)->shape(), (Shape{kDynamicDim, 3, 25, 6}));  // floor(20 * 0.33) = 6
  Attributes a;
  a["axes"] = std::vector<int64_t>{2, 3};
  auto r = build_op(
      "Resize",
      {declared(ElementType::kU8, Shape{1, 3, 10, 20}), omitted(), declared(ElementType::kF32, Shape{2})}, a);
  EXPECT_EQ(r->node()->output(0)->shape(), (Shape{1, 3, kDynamicDim, kDynamicDim}));
  EXPECT_EQ(r->node()->output(0)->type(), ElementType::kU8);
  auto s = build_op("Resize", {declared(ElementType::kF32, Shape{kDynamicDim, 3, kDynamicDim, 7}), omitted(),
                               omitted(), constant(i64({4}, {2, 3, 64, 64}))});
  EXPECT_EQ(s->node()->output(0)->shape(), (Shape{2, 3, 64, 64}));
}

TEST(ResizeShapeTest, ScaleCountMustMatchTheAxes) {
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), omitted(), constant(f32({2}, {2, 2}))});
      },
      ErrorCode::kInvalidModel, "scales has 2 elements, expected 4");
  Attributes a;
  a["axes"] = std::vector<int64_t>{2, 3};
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), omitted(), omitted(), constant(i64({4}, {1, 1, 4, 4}))}, a);
      },
      ErrorCode::kInvalidModel, "sizes has 4 elements, expected 2");
  // Run-time scales are checked when the node runs.
  expect_error(
      [&] {
        run_op("Resize", {fed(x24()), omitted(), fed(f32({3}, {1, 1, 2}))});
      },
      ErrorCode::kInvalidModel, "scales has 3 elements, expected 4");
}

TEST(ResizeShapeTest, BadInputsNameTheNode) {
  expect_error(
      [&] {
        build_op("Resize",
                 {fed(x24()), omitted(), constant(f32({4}, {1, 1, 2, 2})), constant(i64({4}, {1, 1, 4, 8}))});
      },
      ErrorCode::kInvalidModel, "only one of 'scales' and 'sizes'");
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), constant(f32({0}, {})), constant(f32({0}, {}))});
      },
      ErrorCode::kInvalidModel, "one of 'scales' and 'sizes' is required");
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), omitted(), constant(f32({4}, {1, 1, 0, 2}))});
      },
      ErrorCode::kInvalidModel, "must be > 0");
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), omitted(), constant(f32({4}, {1, 1, 2, 1e30f}))});
      },
      ErrorCode::kInvalidModel, "too large");
  expect_error(
      [&] {
        run_op("Resize", {fed(f32({0, 2}, {})), omitted(), omitted(), constant(i64({2}, {2, 2}))});
      },
      ErrorCode::kInvalidArgument, "cannot resize the empty tensor");
  Attributes axes;
  axes["axes"] = std::vector<int64_t>{2, 4};
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), omitted(), constant(f32({2}, {2, 2}))}, axes);
      },
      ErrorCode::kInvalidModel, "axis 4 is out of range");
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), omitted(), constant(f32({4}, {1, 1, 2, 2}))},
                 {{"mode", std::string("bilinear")}});
      },
      ErrorCode::kInvalidModel, "unknown mode 'bilinear'");
  expect_error(
      [&] {
        build_op("Resize", {fed(x24()), omitted(), constant(f32({4}, {1, 1, 2, 2}))},
                 {{"coordinate_transformation_mode", std::string("tf_crop_and_resize")}});
      },
      ErrorCode::kInvalidModel, "needs the 'roi' input");
  const Tensor u8 = Tensor::from_vector<uint8_t>({1, 2}, std::vector<uint8_t>{1, 2});
  expect_error(
      [&] {
        build_op("Resize", {fed(u8), omitted(), constant(f32({2}, {1, 2}))},
                 {{"mode", std::string("linear")}});
      },
      ErrorCode::kUnsupported, "supports only f32");
}

}  // namespace
}  // namespace octet
