#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

// Expected values: np.take / np.take_along_axis on g = np.arange(12).reshape(3, 4) (/usr/bin/python3),
// pasted.

TEST(ShapeOpsGatherTest, GatherAlongAxisWithNegativeIndices) {
  // np.take(g, [[3, -4], [1, 1]], axis=1)
  SingleOp op("Gather", {fed(iota_f32({3, 4})), constant(i64({2, 2}, {3, -4, 1, 1}))},
              {{"axis", int64_t{1}}});
  expect_f32(op.run1(), {3, 2, 2}, {3, 0, 1, 1, 7, 4, 5, 5, 11, 8, 9, 9});
  EXPECT_EQ(op.shape(), (Shape{3, 2, 2}));
}

TEST(ShapeOpsGatherTest, ScalarIndexDropsTheAxis) {
  // np.take(g, -1, axis=0) on i64 data with an i32 index.
  Tensor g(ElementType::kI64, {3, 4});
  for (int64_t i = 0; i < 12; ++i) g.data<int64_t>()[i] = i;
  SingleOp op("Gather", {fed(g), fed(i32({}, {-1}))});
  expect_i64(op.run1(), {4}, {8, 9, 10, 11});
}

TEST(ShapeOpsGatherTest, GatherErrors) {
  SingleOp range("Gather", {fed(iota_f32({3, 4})), fed(i64({2}, {0, 3}))});
  expect_error([&] { range.run(); }, ErrorCode::kInvalidArgument, "index 3 is out of range");
  SingleOp negative("Gather", {fed(iota_f32({3, 4})), fed(i64({1}, {-4}))});
  expect_error([&] { negative.run(); }, ErrorCode::kInvalidArgument, "Gather 'node'");
  SingleOp axis("Gather", {fed(iota_f32({3, 4})), fed(i64({1}, {0}))}, {{"axis", int64_t{-3}}});
  expect_error([&] { axis.infer(); }, ErrorCode::kInvalidModel, "axis -3 is out of range");
  SingleOp type("Gather", {fed(iota_f32({3, 4})), fed(f32({1}, {0}))});
  expect_error([&] { type.infer(); }, ErrorCode::kInvalidModel, "Gather 'node'");
}

TEST(ShapeOpsGatherTest, GatherElements) {
  // np.take_along_axis(g, [[2,0,1,2],[0,0,2,1]], axis=0) (index -1 given as -1 here, i.e. 2)
  SingleOp op("GatherElements", {fed(iota_f32({3, 4})), constant(i64({2, 4}, {2, 0, 1, -1, 0, 0, 2, 1}))});
  expect_f32(op.run1(), {2, 4}, {8, 1, 6, 11, 0, 1, 10, 7});
  // axis -1 on bool: out[i][j] = data[i][idx[i][j]]
  SingleOp last("GatherElements", {fed(boolean({2, 2}, {1, 0, 0, 1})), constant(i32({2, 1}, {1, 1}))},
                {{"axis", int64_t{-1}}});
  expect_bool(last.run1(), {2, 1}, {0, 1});
}

TEST(ShapeOpsGatherTest, GatherElementsErrors) {
  SingleOp rank("GatherElements", {fed(iota_f32({3, 4})), constant(i64({2}, {0, 0}))});
  expect_error([&] { rank.infer(); }, ErrorCode::kInvalidModel, "same rank");
  SingleOp range("GatherElements", {fed(iota_f32({3, 4})), constant(i64({1, 1}, {3}))});
  expect_error([&] { range.run(); }, ErrorCode::kInvalidArgument, "out of range");
  SingleOp larger("GatherElements", {fed(iota_f32({3, 4})), constant(i64({1, 5}, {0, 0, 0, 0, 0}))});
  expect_error([&] { larger.run(); }, ErrorCode::kInvalidArgument, "larger than data");
}

}  // namespace
}  // namespace octet
