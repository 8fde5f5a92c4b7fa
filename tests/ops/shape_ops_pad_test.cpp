#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

// Expected values: numpy.pad on a = np.arange(1, 7).reshape(2, 3) (/usr/bin/python3), pasted.
const Tensor kA = f32({2, 3}, {1, 2, 3, 4, 5, 6});

TEST(ShapeOpsPadTest, ConstantWithValue) {
  // np.pad(a, ((1,0),(0,1)), constant_values=9); ONNX pads = [x1_begin, x2_begin, x1_end, x2_end]
  SingleOp op("Pad", {fed(kA), constant(i64({4}, {1, 0, 0, 1})), constant(f32({}, {9}))});
  expect_f32(op.run1(), {3, 4}, {9, 9, 9, 9, 1, 2, 3, 9, 4, 5, 6, 9});
  EXPECT_EQ(op.shape(), (Shape{3, 4}));
  SingleOp zero("Pad", {fed(i32({2}, {7, 8})), constant(i64({2}, {1, 1}))});
  expect_tensor<int32_t>(zero.run1(), ElementType::kI32, {4}, {0, 7, 8, 0});
}

TEST(ShapeOpsPadTest, Reflect) {
  // np.pad(a, ((1,1),(2,2)), mode='reflect')
  SingleOp op("Pad", {fed(kA), constant(i64({4}, {1, 2, 1, 2}))}, {{"mode", std::string("reflect")}});
  expect_f32(op.run1(), {4, 7},
             {6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1});
  // Wider than the axis: np.pad([1,2,3], (5,4), mode='reflect')
  SingleOp wide("Pad", {fed(f32({3}, {1, 2, 3})), constant(i64({2}, {5, 4}))},
                {{"mode", std::string("reflect")}});
  expect_f32(wide.run1(), {12}, {2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3});
}

TEST(ShapeOpsPadTest, EdgeWithAxesInput) {
  // np.pad(a, ((0,1),(2,0)), mode='edge'), given as axes [1, 0] -> pads [2, 0, 0, 1]
  SingleOp op("Pad", {fed(kA), constant(i64({4}, {2, 0, 0, 1})), omitted(), constant(i64({2}, {-1, 0}))},
              {{"mode", std::string("edge")}});
  expect_f32(op.run1(), {3, 5}, {1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 4, 4, 4, 5, 6});
}

TEST(ShapeOpsPadTest, NegativePadsCrop) {
  // a[:, 1:] then one zero row at the end.
  SingleOp op("Pad", {fed(kA), constant(i64({4}, {0, -1, 1, 0}))});
  expect_f32(op.run1(), {3, 2}, {2, 3, 5, 6, 0, 0});
}

TEST(ShapeOpsPadTest, ShapesAndErrors) {
  SingleOp dynamic("Pad", {fed_as(kA, Shape{kDynamicDim, 3}), constant(i64({4}, {1, 1, 1, 1}))});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{kDynamicDim, 5}));
  SingleOp fed_pads("Pad", {fed(kA), fed(i64({4}, {0, 0, 0, 0}))});
  fed_pads.infer();
  EXPECT_EQ(fed_pads.shape(), Shape::dynamic(2));
  SingleOp length("Pad", {fed(kA), constant(i64({2}, {1, 1}))});
  expect_error([&] { length.infer(); }, ErrorCode::kInvalidModel, "2 entries per padded axis");
  SingleOp crop("Pad", {fed(kA), constant(i64({4}, {-2, 0, -1, 0}))});
  expect_error([&] { crop.infer(); }, ErrorCode::kInvalidModel, "pads remove more");
  SingleOp mode("Pad", {fed(kA), constant(i64({4}, {0, 0, 0, 0}))}, {{"mode", std::string("wrap")}});
  expect_error([&] { mode.infer(); }, ErrorCode::kUnsupported, "wrap");
  SingleOp value_type("Pad", {fed(kA), constant(i64({4}, {0, 0, 0, 0})), constant(i64({}, {1}))});
  expect_error([&] { value_type.infer(); }, ErrorCode::kInvalidModel, "constant_value");
  SingleOp empty_edge("Pad", {fed(f32({0}, {})), constant(i64({2}, {1, 0}))},
                      {{"mode", std::string("edge")}});
  expect_error([&] { empty_edge.run(); }, ErrorCode::kInvalidArgument, "empty axis");
}

}  // namespace
}  // namespace octet
