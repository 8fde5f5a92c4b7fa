#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

TEST(ShapeOpsReshapeTest, ReshapeCopiesZeroAndInfersMinusOne) {
  // [2,3,4] with shape [0, -1]: dim 0 copied (2), -1 = 24 / 2 = 12.
  SingleOp op("Reshape", {fed(iota_f32({2, 3, 4})), constant(i64({2}, {0, -1}))});
  const Tensor y = op.run1();
  EXPECT_EQ(op.shape(), (Shape{2, 12}));
  EXPECT_EQ(y.dims(), (Dims{2, 12}));
  EXPECT_EQ(y.data<float>()[13], 13.0f);  // data order unchanged
}

TEST(ShapeOpsReshapeTest, AllowZeroMakesZeroALiteralDim) {
  SingleOp op("Reshape", {fed(f32({0, 3}, {})), constant(i64({3}, {3, 0, 5}))}, {{"allowzero", int64_t{1}}});
  EXPECT_EQ(op.run1().dims(), (Dims{3, 0, 5}));
  SingleOp both("Reshape", {fed(f32({0, 3}, {})), constant(i64({2}, {0, -1}))}, {{"allowzero", int64_t{1}}});
  expect_error([&] { both.infer(); }, ErrorCode::kInvalidModel, "both 0 and -1");
}

TEST(ShapeOpsReshapeTest, ReshapeWorksOnEveryType) {
  SingleOp b("Reshape", {fed(boolean({2, 2}, {1, 0, 0, 1})), constant(i64({1}, {4}))});
  expect_bool(b.run1(), {4}, {1, 0, 0, 1});
  SingleOp h("Reshape", {fed(f16({4}, {1, 2, 3, 4})), constant(i64({2}, {2, -1}))});
  const Tensor y = h.run1();
  EXPECT_EQ(y.dims(), (Dims{2, 2}));
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[3]), 4.0f);
}

TEST(ShapeOpsReshapeTest, ReshapeErrors) {
  SingleOp mismatch("Reshape", {fed(iota_f32({2, 3})), constant(i64({2}, {4, 2}))});
  expect_error([&] { mismatch.infer(); }, ErrorCode::kInvalidModel, "cannot reshape");
  SingleOp indivisible("Reshape", {fed(iota_f32({2, 3})), constant(i64({2}, {4, -1}))});
  expect_error([&] { indivisible.infer(); }, ErrorCode::kInvalidModel, "Reshape 'node'");
  SingleOp two_minus_one("Reshape", {fed(iota_f32({2, 3})), constant(i64({2}, {-1, -1}))});
  expect_error([&] { two_minus_one.infer(); }, ErrorCode::kInvalidModel, "more than one -1");
  // The mismatch is only visible with the data: kInvalidArgument at evaluation.
  SingleOp dynamic("Reshape", {fed_as(iota_f32({2, 3}), Shape{kDynamicDim, 3}), constant(i64({2}, {4, 2}))});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{4, 2}));
  expect_error([&] { dynamic.run(); }, ErrorCode::kInvalidArgument, "cannot reshape");
  SingleOp wrong_type("Reshape", {fed(iota_f32({2, 3})), constant(i32({1}, {6}))});
  expect_error([&] { wrong_type.infer(); }, ErrorCode::kInvalidModel, "expected one of i64");
}

TEST(ShapeOpsReshapeTest, ReshapePartialShapes) {
  // Dynamic batch copied through 0, -1 resolved only when the rest is known.
  SingleOp copy("Reshape",
                {fed_as(iota_f32({2, 3, 4}), Shape{kDynamicDim, 3, 4}), constant(i64({2}, {0, -1}))});
  copy.infer();
  EXPECT_EQ(copy.shape(), (Shape{kDynamicDim, kDynamicDim}));
  SingleOp fixed("Reshape",
                 {fed_as(iota_f32({2, 3, 4}), Shape{kDynamicDim, 3, 4}), constant(i64({2}, {-1, 12}))});
  fixed.infer();
  EXPECT_EQ(fixed.shape(), (Shape{kDynamicDim, 12}));
  // Shape not constant: the rank is the length of the shape input.
  SingleOp fed_shape("Reshape", {fed(iota_f32({2, 3})), fed(i64({3}, {3, 2, 1}))});
  fed_shape.infer();
  EXPECT_EQ(fed_shape.shape(), Shape::dynamic(3));
  EXPECT_EQ(fed_shape.run1().dims(), (Dims{3, 2, 1}));
}

TEST(ShapeOpsReshapeTest, Flatten) {
  SingleOp def("Flatten", {fed(iota_f32({2, 3, 4}))});
  EXPECT_EQ(def.run1().dims(), (Dims{2, 12}));
  SingleOp zero("Flatten", {fed(iota_f32({2, 3, 4}))}, {{"axis", int64_t{0}}});
  EXPECT_EQ(zero.run1().dims(), (Dims{1, 24}));
  SingleOp negative("Flatten", {fed(iota_f32({2, 3, 4}))}, {{"axis", int64_t{-1}}});
  EXPECT_EQ(negative.run1().dims(), (Dims{6, 4}));
  SingleOp end("Flatten", {fed(iota_f32({2, 3, 4}))}, {{"axis", int64_t{3}}});
  EXPECT_EQ(end.run1().dims(), (Dims{24, 1}));
  SingleOp dynamic("Flatten", {fed_as(iota_f32({2, 3, 4}), Shape{kDynamicDim, 3, 4})});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{kDynamicDim, 12}));
  SingleOp bad("Flatten", {fed(iota_f32({2, 3}))}, {{"axis", int64_t{3}}});
  expect_error([&] { bad.infer(); }, ErrorCode::kInvalidModel, "axis 3 is out of range");
}

TEST(ShapeOpsReshapeTest, Squeeze) {
  SingleOp all("Squeeze", {fed(iota_f32({1, 3, 1, 2}))});
  EXPECT_EQ(all.run1().dims(), (Dims{3, 2}));
  SingleOp some("Squeeze", {fed(iota_f32({1, 3, 1, 2})), constant(i64({1}, {-2}))});
  EXPECT_EQ(some.run1().dims(), (Dims{1, 3, 2}));
  SingleOp not_one("Squeeze", {fed(iota_f32({1, 3})), constant(i64({1}, {1}))});
  expect_error([&] { not_one.infer(); }, ErrorCode::kInvalidModel, "not 1");
  SingleOp bad_axis("Squeeze", {fed(iota_f32({1, 3})), constant(i64({1}, {2}))});
  expect_error([&] { bad_axis.infer(); }, ErrorCode::kInvalidModel, "axis 2 is out of range");
  // A dynamic dim named in axes is assumed to be 1 and checked when run.
  SingleOp dynamic("Squeeze", {fed_as(iota_f32({2, 3}), Shape{kDynamicDim, 3}), constant(i64({1}, {0}))});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{3}));
  expect_error([&] { dynamic.run(); }, ErrorCode::kInvalidArgument, "not 1");
  // Without axes, a dynamic dim may or may not go: the rank is unknown.
  SingleOp unknown("Squeeze", {fed_as(iota_f32({1, 3}), Shape{kDynamicDim, 3})});
  unknown.infer();
  EXPECT_FALSE(unknown.shape().rank_known());
}

TEST(ShapeOpsReshapeTest, Unsqueeze) {
  // Axes index the output: [3,4] with axes [0, -1] -> [1,3,4,1].
  SingleOp op("Unsqueeze", {fed(iota_f32({3, 4})), constant(i64({2}, {0, -1}))});
  EXPECT_EQ(op.run1().dims(), (Dims{1, 3, 4, 1}));
  SingleOp middle("Unsqueeze", {fed(iota_f32({3, 4})), constant(i64({2}, {3, 1}))});
  EXPECT_EQ(middle.run1().dims(), (Dims{3, 1, 4, 1}));
  SingleOp scalar("Unsqueeze", {fed(f32({}, {5})), constant(i64({1}, {0}))});
  expect_f32(scalar.run1(), {1}, {5});
  SingleOp repeated("Unsqueeze", {fed(iota_f32({3})), constant(i64({2}, {0, -3}))});  // -3 + rank 3 = 0
  expect_error([&] { repeated.infer(); }, ErrorCode::kInvalidModel, "repeated");
  SingleOp out_of_range("Unsqueeze", {fed(iota_f32({3})), constant(i64({1}, {2}))});
  expect_error([&] { out_of_range.infer(); }, ErrorCode::kInvalidModel, "out of range");
  SingleOp fed_axes("Unsqueeze", {fed(iota_f32({3})), fed(i64({2}, {0, 1}))});
  fed_axes.infer();
  EXPECT_EQ(fed_axes.shape(), Shape::dynamic(3));
}

}  // namespace
}  // namespace octet
