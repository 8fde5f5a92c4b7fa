#include <gtest/gtest.h>

#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

TEST(ElementwiseSelectTest, WhereBroadcastsAllThreeInputs) {
  // condition [2,1], X [1,3], Y scalar -> [2,3]: row 0 takes X, row 1 takes Y.
  SingleOp op("Where", {fed(boolean({2, 1}, {1, 0})), fed(i64({1, 3}, {1, 2, 3})), constant(i64({}, {-1}))});
  expect_i64(op.run1(), {2, 3}, {1, 2, 3, -1, -1, -1});
}

TEST(ElementwiseSelectTest, WhereWorksForF16WithoutConversion) {
  SingleOp op("Where", {fed(boolean({2}, {0, 1})), fed(f16({2}, {1.0f, 2.0f})), fed(f16({2}, {3.0f, 4.0f}))});
  const Tensor y = op.run1();
  ASSERT_EQ(y.type(), ElementType::kF16);
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[0]), 3.0f);
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[1]), 2.0f);
}

TEST(ElementwiseSelectTest, WhereRejectsBadInputs) {
  SingleOp not_bool("Where", {fed(f32({1}, {1})), fed(f32({1}, {1})), fed(f32({1}, {1}))});
  expect_error([&] { not_bool.infer(); }, ErrorCode::kInvalidModel, "Where 'node'");
  SingleOp mixed("Where", {fed(boolean({1}, {1})), fed(f32({1}, {1})), fed(i64({1}, {1}))});
  expect_error([&] { mixed.infer(); }, ErrorCode::kInvalidModel, "Y has");
  SingleOp shapes("Where", {fed(boolean({2}, {1, 1})), fed(f32({3}, {1, 2, 3})), fed(f32({1}, {1}))});
  expect_error([&] { shapes.infer(); }, ErrorCode::kInvalidModel, "cannot be broadcast");
}

TEST(ElementwiseSelectTest, ClipWithAndWithoutBounds) {
  const Tensor x = f32({5}, {-3, -1, 0, 2, 7});
  SingleOp both("Clip", {fed(x), constant(f32({}, {-1.5f})), constant(f32({}, {2.5f}))});
  expect_f32(both.run1(), {5}, {-1.5f, -1, 0, 2, 2.5f});
  SingleOp max_only("Clip", {fed(x), omitted(), constant(f32({}, {1}))});
  expect_f32(max_only.run1(), {5}, {-3, -1, 0, 1, 1});
  SingleOp none("Clip", {fed(x)});
  expect_f32(none.run1(), {5}, {-3, -1, 0, 2, 7});
  // min > max: every value becomes max (ONNX Clip spec).
  SingleOp inverted("Clip", {fed(x), constant(f32({}, {3})), constant(f32({}, {1}))});
  expect_f32(inverted.run1(), {5}, {1, 1, 1, 1, 1});
  SingleOp ints("Clip", {fed(u8({3}, {0, 100, 255})), constant(u8({}, {10})), omitted()});
  expect_tensor<uint8_t>(ints.run1(), ElementType::kU8, {3}, {10, 100, 255});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  SingleOp with_nan("Clip", {fed(f32({1}, {nan})), constant(f32({}, {0})), constant(f32({}, {1}))});
  expect_f32(with_nan.run1(), {1}, {nan});
}

TEST(ElementwiseSelectTest, ClipRejectsNonScalarBoundsAndMixedTypes) {
  SingleOp vector_min("Clip", {fed(f32({2}, {1, 2})), constant(f32({2}, {0, 0}))});
  expect_error([&] { vector_min.infer(); }, ErrorCode::kInvalidModel, "min must be a scalar");
  SingleOp mixed("Clip", {fed(f32({2}, {1, 2})), constant(i64({}, {0}))});
  expect_error([&] { mixed.infer(); }, ErrorCode::kInvalidModel, "Clip 'node'");
}

TEST(ElementwiseSelectTest, PReluBroadcastsSlopeToX) {
  // numpy: x * np.where(x < 0, slope, 1) with slope [0.1, 0.2, 0.3] along the last axis.
  SingleOp op("PRelu", {fed(f32({2, 3}, {1, -2, 3, -4, 5, -6})), constant(f32({3}, {0.1f, 0.2f, 0.3f}))});
  expect_f32(op.run1(), {2, 3}, {1, -0.4f, 3, -0.4f, 5, -1.8000001f});
  // Per-channel slope [C,1,1] on NCHW.
  SingleOp nchw("PRelu", {fed(f32({1, 2, 1, 2}, {-1, 1, -1, 1})), constant(f32({2, 1, 1}, {0.5f, 2}))});
  expect_f32(nchw.run1(), {1, 2, 1, 2}, {-0.5f, 1, -2, 1});
  SingleOp ints("PRelu", {fed(i32({2}, {-3, 3})), constant(i32({1}, {2}))});
  expect_tensor<int32_t>(ints.run1(), ElementType::kI32, {2}, {-6, 3});
}

TEST(ElementwiseSelectTest, PReluRejectsSlopeLargerThanX) {
  SingleOp op("PRelu", {fed(f32({1, 3}, {1, 2, 3})), constant(f32({2, 3}, {1, 1, 1, 1, 1, 1}))});
  expect_error([&] { op.infer(); }, ErrorCode::kInvalidModel, "does not broadcast to X");
}

}  // namespace
}  // namespace octet
