#include <gtest/gtest.h>

#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// Expected values: numpy slicing of np.arange(24).reshape(2,3,4) (/usr/bin/python3), pasted.

TEST(ShapeOpsSliceTest, PositiveStepsWithNegativeIndices) {
  // x[1:, :, 1:-1]: starts [1, 1], ends [INT64_MAX, -1], axes [0, 2]
  SingleOp op("Slice", {fed(iota_f32({2, 3, 4})), constant(i64({2}, {1, 1})), constant(i64({2}, {kMax, -1})),
                        constant(i64({2}, {0, 2}))});
  expect_f32(op.run1(), {1, 3, 2}, {13, 14, 17, 18, 21, 22});
  EXPECT_EQ(op.shape(), (Shape{1, 3, 2}));
}

TEST(ShapeOpsSliceTest, NegativeStepsClampToTheFront) {
  // x[:, ::-2, 3:0:-2]: starts [-1, 3], ends [INT64_MIN, 0], axes [-2, -1], steps [-2, -2]
  SingleOp op("Slice", {fed(iota_f32({2, 3, 4})), constant(i64({2}, {-1, 3})), constant(i64({2}, {kMin, 0})),
                        constant(i64({2}, {-2, -1})), constant(i64({2}, {-2, -2}))});
  expect_f32(op.run1(), {2, 2, 2}, {11, 9, 3, 1, 23, 21, 15, 13});
}

TEST(ShapeOpsSliceTest, DefaultAxesAndEmptyResults) {
  // starts/ends without axes apply to the leading axes; i32 parameters are accepted; x[5:9] is empty.
  SingleOp op("Slice", {fed(iota_f32({6})), constant(i32({1}, {-4})), constant(i32({1}, {100}))});
  expect_f32(op.run1(), {4}, {2, 3, 4, 5});
  SingleOp empty("Slice", {fed(iota_f32({4})), constant(i64({1}, {5})), constant(i64({1}, {9}))});
  expect_f32(empty.run1(), {0}, {});
  SingleOp backwards_empty("Slice", {fed(iota_f32({4})), constant(i64({1}, {1})), constant(i64({1}, {3})),
                                     omitted(), constant(i64({1}, {-1}))});
  expect_f32(backwards_empty.run1(), {0}, {});
  SingleOp huge_step("Slice", {fed(iota_f32({4})), constant(i64({1}, {-1})), constant(i64({1}, {kMin})),
                               omitted(), constant(i64({1}, {kMin}))});
  expect_f32(huge_step.run1(), {1}, {3});
}

TEST(ShapeOpsSliceTest, SliceOfBoolAndPartialShapes) {
  SingleOp b("Slice", {fed(boolean({4}, {1, 0, 0, 1})), constant(i64({1}, {3})), constant(i64({1}, {-5})),
                       omitted(), constant(i64({1}, {-2}))});
  expect_bool(b.run1(), {2}, {1, 0});
  // Non-constant starts with constant axes: only the sliced axis becomes dynamic.
  SingleOp fed_starts("Slice", {fed(iota_f32({2, 3, 4})), fed(i64({1}, {1})), constant(i64({1}, {3})),
                                constant(i64({1}, {2}))});
  fed_starts.infer();
  EXPECT_EQ(fed_starts.shape(), (Shape{2, 3, kDynamicDim}));
  EXPECT_EQ(fed_starts.run1().dims(), (Dims{2, 3, 2}));
  SingleOp dynamic("Slice", {fed_as(iota_f32({2, 3}), Shape{kDynamicDim, 3}), constant(i64({1}, {1})),
                             constant(i64({1}, {kMax}))});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{kDynamicDim, 3}));
}

TEST(ShapeOpsSliceTest, SliceErrors) {
  SingleOp zero_step("Slice", {fed(iota_f32({4})), constant(i64({1}, {0})), constant(i64({1}, {4})),
                               omitted(), constant(i64({1}, {0}))});
  expect_error([&] { zero_step.infer(); }, ErrorCode::kInvalidModel, "step cannot be 0");
  SingleOp bad_axis("Slice", {fed(iota_f32({4})), constant(i64({1}, {0})), constant(i64({1}, {4})),
                              constant(i64({1}, {1}))});
  expect_error([&] { bad_axis.infer(); }, ErrorCode::kInvalidModel, "axis 1 is out of range");
  SingleOp lengths("Slice", {fed(iota_f32({4})), constant(i64({2}, {0, 0})), constant(i64({1}, {4}))});
  expect_error([&] { lengths.infer(); }, ErrorCode::kInvalidModel, "differ in length");
}

TEST(ShapeOpsSliceTest, SplitWithSplitInput) {
  SingleOp op("Split", {fed(iota_f32({2, 5})), constant(i64({2}, {2, 3}))}, {{"axis", int64_t{-1}}}, 2);
  const std::vector<Tensor> out = op.run();
  expect_f32(out[0], {2, 2}, {0, 1, 5, 6});
  expect_f32(out[1], {2, 3}, {2, 3, 4, 7, 8, 9});
  SingleOp bad_sum("Split", {fed(iota_f32({5})), constant(i64({2}, {2, 2}))}, {}, 2);
  expect_error([&] { bad_sum.infer(); }, ErrorCode::kInvalidModel, "sums to 4");
  // Sizes whose sum overflows int64 (2^62 * 3): a clean error, not a wrapped sum.
  const int64_t huge = int64_t{1} << 62;
  SingleOp overflow("Split", {fed(iota_f32({5})), constant(i64({3}, {huge, huge, huge}))}, {}, 3);
  expect_error([&] { overflow.infer(); }, ErrorCode::kInvalidModel, "more than a 64-bit count holds");
}

TEST(ShapeOpsSliceTest, SplitWithNumOutputsAndEqualParts) {
  // num_outputs 3 on length 7: chunks of ceil(7/3) = 3, the last one smaller: [3, 3, 1].
  SingleOp op("Split", {fed(iota_f32({7}))}, {{"num_outputs", int64_t{3}}}, 3);
  const std::vector<Tensor> out = op.run();
  expect_f32(out[0], {3}, {0, 1, 2});
  expect_f32(out[1], {3}, {3, 4, 5});
  expect_f32(out[2], {1}, {6});
  SingleOp equal("Split", {fed(iota_f32({3, 2}))}, {}, 3);
  const std::vector<Tensor> parts = equal.run();
  expect_f32(parts[2], {1, 2}, {4, 5});
  SingleOp uneven("Split", {fed(iota_f32({7}))}, {}, 2);
  expect_error([&] { uneven.infer(); }, ErrorCode::kInvalidModel, "equal parts");
  SingleOp dynamic("Split", {fed_as(iota_f32({4, 2}), Shape{kDynamicDim, 2})}, {}, 2);
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(1), (Shape{kDynamicDim, 2}));
}

TEST(ShapeOpsSliceTest, ConcatAlongNegativeAxis) {
  SingleOp op("Concat",
              {fed(iota_f32({2, 1})), constant(f32({2, 2}, {10, 11, 12, 13})), fed(f32({2, 0}, {}))},
              {{"axis", int64_t{-1}}});
  expect_f32(op.run1(), {2, 3}, {0, 10, 11, 1, 12, 13});
  SingleOp rows("Concat", {fed(boolean({1, 2}, {1, 0})), fed(boolean({1, 2}, {0, 1}))},
                {{"axis", int64_t{0}}});
  expect_bool(rows.run1(), {2, 2}, {1, 0, 0, 1});
}

TEST(ShapeOpsSliceTest, ConcatShapesAndErrors) {
  SingleOp dynamic(
      "Concat",
      {fed_as(iota_f32({2, 3}), Shape{kDynamicDim, 3}), fed_as(iota_f32({2, 4}), Shape{2, kDynamicDim})},
      {{"axis", int64_t{1}}});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{2, kDynamicDim}));
  SingleOp mismatch("Concat", {fed(iota_f32({2, 3})), fed(iota_f32({3, 3}))}, {{"axis", int64_t{1}}});
  expect_error([&] { mismatch.infer(); }, ErrorCode::kInvalidModel, "differs from the others");
  SingleOp bad_axis("Concat", {fed(iota_f32({2, 3})), fed(iota_f32({2, 3}))}, {{"axis", int64_t{2}}});
  expect_error([&] { bad_axis.infer(); }, ErrorCode::kInvalidModel, "axis 2 is out of range");
  SingleOp types("Concat", {fed(iota_f32({2})), fed(i64({2}, {1, 2}))}, {{"axis", int64_t{0}}});
  expect_error([&] { types.infer(); }, ErrorCode::kInvalidModel, "Concat 'node'");
  SingleOp runtime("Concat", {fed_as(iota_f32({2, 3}), Shape{kDynamicDim, 3}), fed(iota_f32({3, 3}))},
                   {{"axis", int64_t{1}}});
  expect_error([&] { runtime.run(); }, ErrorCode::kInvalidArgument, "cannot concatenate");
}

}  // namespace
}  // namespace octet
