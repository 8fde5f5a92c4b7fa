#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

TEST(ShapeOpsGenerateTest, ShapeWithStartAndEnd) {
  const Tensor x = iota_f32({2, 3, 4, 5});
  SingleOp all("Shape", {fed(x)});
  expect_i64(all.run1(), {4}, {2, 3, 4, 5});
  SingleOp middle("Shape", {fed(x)}, {{"start", int64_t{1}}, {"end", int64_t{-1}}});
  expect_i64(middle.run1(), {2}, {3, 4});
  // Clamped to [0, rank]; end before start gives an empty shape.
  SingleOp clamped("Shape", {fed(x)}, {{"start", int64_t{-10}}, {"end", int64_t{10}}});
  expect_i64(clamped.run1(), {4}, {2, 3, 4, 5});
  SingleOp empty("Shape", {fed(x)}, {{"start", int64_t{3}}, {"end", int64_t{1}}});
  expect_i64(empty.run1(), {0}, {});
  SingleOp dynamic("Shape", {fed_as(x, Shape{kDynamicDim, 3, 4, 5})});
  dynamic.infer();
  EXPECT_EQ(dynamic.shape(), (Shape{4}));
  EXPECT_EQ(dynamic.type(), ElementType::kI64);
}

TEST(ShapeOpsGenerateTest, Size) {
  SingleOp op("Size", {fed(boolean({2, 3}, {0, 0, 0, 0, 0, 0}))});
  expect_i64(op.run1(), {}, {6});
}

TEST(ShapeOpsGenerateTest, ConstantOfShape) {
  SingleOp def("ConstantOfShape", {constant(i64({2}, {2, 3}))});
  expect_f32(def.run1(), {2, 3}, {0, 0, 0, 0, 0, 0});
  SingleOp value("ConstantOfShape", {fed(i64({1}, {3}))}, {{"value", i32({1}, {-7})}});
  value.infer();
  EXPECT_EQ(value.shape(), Shape::dynamic(1));
  expect_tensor<int32_t>(value.run1(), ElementType::kI32, {3}, {-7, -7, -7});
  SingleOp scalar("ConstantOfShape", {constant(i64({0}, {}))}, {{"value", f32({1}, {2.5f})}});
  expect_f32(scalar.run1(), {}, {2.5f});
  SingleOp negative("ConstantOfShape", {constant(i64({1}, {-1}))});
  expect_error([&] { negative.infer(); }, ErrorCode::kInvalidModel, "negative");
  SingleOp two_values("ConstantOfShape", {constant(i64({1}, {1}))}, {{"value", f32({2}, {1, 2})}});
  expect_error([&] { two_values.infer(); }, ErrorCode::kInvalidModel, "exactly one element");
}

TEST(ShapeOpsGenerateTest, Range) {
  // np.arange(1, 2, 0.3, dtype=np.float32) -> [1, 1.3, 1.6, 1.9] (4 = ceil(1 / 0.3))
  SingleOp f("Range", {constant(f32({}, {1})), constant(f32({}, {2})), constant(f32({}, {0.3f}))});
  const Tensor y = f.run1();
  EXPECT_EQ(f.shape(), (Shape{4}));
  expect_f32(y, {4}, {1.0f, 1.3f, 1.6f, 1.9f});
  // np.arange(10, 1, -3) -> [10, 7, 4]
  SingleOp i("Range", {fed(i64({}, {10})), fed(i64({}, {1})), fed(i64({}, {-3}))});
  i.infer();
  EXPECT_EQ(i.shape(), (Shape{kDynamicDim}));
  expect_i64(i.run1(), {3}, {10, 7, 4});
  SingleOp empty("Range", {constant(i32({}, {5})), constant(i32({}, {1})), constant(i32({}, {2}))});
  expect_tensor<int32_t>(empty.run1(), ElementType::kI32, {0}, {});
  SingleOp zero("Range", {constant(i32({}, {5})), constant(i32({}, {1})), constant(i32({}, {0}))});
  expect_error([&] { zero.infer(); }, ErrorCode::kInvalidArgument, "delta cannot be 0");
  SingleOp mixed("Range", {constant(i32({}, {0})), constant(i64({}, {1})), constant(i32({}, {1}))});
  expect_error([&] { mixed.infer(); }, ErrorCode::kInvalidModel, "same type");
}

}  // namespace
}  // namespace octet
