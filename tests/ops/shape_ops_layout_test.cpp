#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

// Expected values: numpy on np.arange(n).reshape(dims) (/usr/bin/python3), pasted.

TEST(ShapeOpsLayoutTest, TransposeDefaultReversesAxes) {
  SingleOp op("Transpose", {fed(iota_f32({2, 3, 4}))});
  // x.transpose()
  expect_f32(op.run1(), {4, 3, 2},
             {0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23});
}

TEST(ShapeOpsLayoutTest, TransposeWithPermOnI64) {
  Tensor x(ElementType::kI64, {2, 3, 4});
  for (int64_t i = 0; i < 24; ++i) x.data<int64_t>()[i] = i;
  SingleOp op("Transpose", {fed(x)}, {{"perm", std::vector<int64_t>{1, 2, 0}}});
  // x.transpose(1, 2, 0)
  expect_i64(op.run1(), {3, 4, 2},
             {0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23});
}

TEST(ShapeOpsLayoutTest, TransposeRejectsBadPerm) {
  SingleOp repeated("Transpose", {fed(iota_f32({2, 3}))}, {{"perm", std::vector<int64_t>{0, 0}}});
  expect_error([&] { repeated.infer(); }, ErrorCode::kInvalidModel, "not a permutation");
  SingleOp length("Transpose", {fed(iota_f32({2, 3}))}, {{"perm", std::vector<int64_t>{0, 1, 2}}});
  expect_error([&] { length.infer(); }, ErrorCode::kInvalidModel, "Transpose 'node'");
  SingleOp dynamic("Transpose", {fed_as(iota_f32({2, 3}), Shape{kDynamicDim, 3})});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{3, kDynamicDim}));
}

TEST(ShapeOpsLayoutTest, ExpandIsBidirectional) {
  // Input [3,1] with shape [2,1,4]: the output is [2,3,4] (np.broadcast_to(x, (2,3,4))); shape's 1 keeps 3.
  SingleOp op("Expand", {fed(f32({3, 1}, {1, 2, 3})), constant(i64({3}, {2, 1, 4}))});
  const Tensor y = op.run1();
  EXPECT_EQ(op.shape(), (Shape{2, 3, 4}));
  expect_f32(y, {2, 3, 4}, {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
  SingleOp smaller("Expand", {fed(boolean({2}, {1, 0})), constant(i64({1}, {1}))});
  expect_bool(smaller.run1(), {2}, {1, 0});
  SingleOp bad("Expand", {fed(iota_f32({3})), constant(i64({1}, {2}))});
  expect_error([&] { bad.infer(); }, ErrorCode::kInvalidModel, "cannot be broadcast");
  SingleOp fed_shape("Expand", {fed(iota_f32({3})), fed(i64({2}, {2, 3}))});
  fed_shape.infer();
  EXPECT_EQ(fed_shape.shape(), Shape::dynamic(2));
  EXPECT_EQ(fed_shape.run1().dims(), (Dims{2, 3}));
}

TEST(ShapeOpsLayoutTest, Tile) {
  // np.tile(np.arange(6).reshape(2,3), (2,1))
  SingleOp op("Tile", {fed(iota_f32({2, 3})), constant(i64({2}, {2, 1}))});
  expect_f32(op.run1(), {4, 3}, {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5});
  SingleOp cols("Tile", {fed(i8({2}, {7, -1})), constant(i64({1}, {3}))});
  expect_tensor<int8_t>(cols.run1(), ElementType::kI8, {6}, {7, -1, 7, -1, 7, -1});
  SingleOp bad("Tile", {fed(iota_f32({2, 3})), constant(i64({1}, {2}))});
  expect_error([&] { bad.infer(); }, ErrorCode::kInvalidModel, "one entry per input axis");
  SingleOp dynamic("Tile", {fed_as(iota_f32({2, 3}), Shape{kDynamicDim, 3}), constant(i64({2}, {2, 2}))});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{kDynamicDim, 6}));
}

TEST(ShapeOpsLayoutTest, DepthToSpaceDcrAndCrd) {
  // numpy: reshape/transpose as in the ONNX spec on np.arange(32).reshape(1,8,2,2), blocksize 2.
  SingleOp dcr("DepthToSpace", {fed(iota_f32({1, 8, 2, 2}))}, {{"blocksize", int64_t{2}}});
  expect_f32(dcr.run1(), {1, 2, 4, 4}, {0, 8,  1, 9,  16, 24, 17, 25, 2, 10, 3, 11, 18, 26, 19, 27,
                                        4, 12, 5, 13, 20, 28, 21, 29, 6, 14, 7, 15, 22, 30, 23, 31});
  SingleOp crd("DepthToSpace", {fed(iota_f32({1, 8, 2, 2}))},
               {{"blocksize", int64_t{2}}, {"mode", std::string("CRD")}});
  expect_f32(crd.run1(), {1, 2, 4, 4}, {0,  4,  1,  5,  8,  12, 9,  13, 2,  6,  3,  7,  10, 14, 11, 15,
                                        16, 20, 17, 21, 24, 28, 25, 29, 18, 22, 19, 23, 26, 30, 27, 31});
}

TEST(ShapeOpsLayoutTest, SpaceToDepthInvertsDcr) {
  // numpy on np.arange(32).reshape(1,2,4,4), blocksize 2.
  SingleOp op("SpaceToDepth", {fed(iota_f32({1, 2, 4, 4}))}, {{"blocksize", int64_t{2}}});
  expect_f32(op.run1(), {1, 8, 2, 2}, {0, 2, 8,  10, 16, 18, 24, 26, 1, 3, 9,  11, 17, 19, 25, 27,
                                       4, 6, 12, 14, 20, 22, 28, 30, 5, 7, 13, 15, 21, 23, 29, 31});
}

TEST(ShapeOpsLayoutTest, DepthSpaceErrorsAndDynamicDims) {
  SingleOp channels("DepthToSpace", {fed(iota_f32({1, 6, 2, 2}))}, {{"blocksize", int64_t{2}}});
  expect_error([&] { channels.infer(); }, ErrorCode::kInvalidModel, "not divisible by 4");
  SingleOp rank("SpaceToDepth", {fed(iota_f32({4, 4}))}, {{"blocksize", int64_t{2}}});
  expect_error([&] { rank.infer(); }, ErrorCode::kInvalidModel, "4-D");
  SingleOp mode("DepthToSpace", {fed(iota_f32({1, 4, 1, 1}))},
                {{"blocksize", int64_t{2}}, {"mode", std::string("XYZ")}});
  expect_error([&] { mode.infer(); }, ErrorCode::kInvalidModel, "mode");
  SingleOp dynamic("SpaceToDepth", {fed_as(iota_f32({1, 2, 4, 4}), Shape{kDynamicDim, 2, kDynamicDim, 4})},
                   {{"blocksize", int64_t{2}}});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{kDynamicDim, 8, kDynamicDim, 2}));
}

}  // namespace
}  // namespace octet
