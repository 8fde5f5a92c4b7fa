#include <gtest/gtest.h>

#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

Tensor cast(const Tensor& x, const std::string& to) {
  SingleOp op("Cast", {fed(x)}, {{"to", to}});
  return op.run1();
}

TEST(ElementwiseCastTest, FloatToIntegerTruncatesThenWraps) {
  // numpy: np.float32([300.7, -129.5, 2.9, -2.9]).astype(np.int8) -> [44, 127, 2, -2]
  expect_tensor<int8_t>(cast(f32({4}, {300.7f, -129.5f, 2.9f, -2.9f}), "i8"), ElementType::kI8, {4},
                        {44, 127, 2, -2});
  expect_i64(cast(f32({3}, {-0.9f, 1e10f, -7.5f}), "i64"), {3}, {0, 10000000000, -7});
  // NaN -> 0 is our choice (ONNX leaves it undefined).
  expect_tensor<int32_t>(cast(f32({1}, {std::numeric_limits<float>::quiet_NaN()}), "i32"), ElementType::kI32,
                         {1}, {0});
}

TEST(ElementwiseCastTest, IntegerNarrowingWraps) {
  // numpy: np.int64([300, -129, 255, 256, -1]).astype(np.int8) -> [44, 127, -1, 0, -1], .astype(np.uint8) ->
  // [44, 127, 255, 0, 255]
  const Tensor x = i64({5}, {300, -129, 255, 256, -1});
  expect_tensor<int8_t>(cast(x, "i8"), ElementType::kI8, {5}, {44, 127, -1, 0, -1});
  expect_tensor<uint8_t>(cast(x, "u8"), ElementType::kU8, {5}, {44, 127, 255, 0, 255});
  expect_i64(cast(u8({2}, {0, 255}), "i64"), {2}, {0, 255});
}

TEST(ElementwiseCastTest, BoolConversions) {
  // numpy: np.float32([0.0, -0.0, 0.5, nan]).astype(bool) -> [False, False, True, True]
  expect_bool(cast(f32({4}, {0.0f, -0.0f, 0.5f, std::numeric_limits<float>::quiet_NaN()}), "boolean"), {4},
              {0, 0, 1, 1});
  expect_bool(cast(i32({3}, {0, -3, 256}), "bool"), {3}, {0, 1, 1});
  expect_f32(cast(boolean({2}, {1, 0}), "f32"), {2}, {1, 0});
  expect_i64(cast(boolean({2}, {1, 0}), "i64"), {2}, {1, 0});
}

TEST(ElementwiseCastTest, FloatConversions) {
  // numpy: np.int64([16777217]).astype(np.float32) -> 16777216 (nearest float)
  expect_f32(cast(i64({2}, {16777217, -3}), "f32"), {2}, {16777216.0f, -3.0f});
  // np.float32([65519, 65520, 1/3]).astype(np.float16) -> [65504, inf, 0.33325195]
  const Tensor h = cast(f32({3}, {65519.0f, 65520.0f, 1.0f / 3}), "f16");
  ASSERT_EQ(h.type(), ElementType::kF16);
  EXPECT_EQ(static_cast<float>(h.data<Float16>()[0]), 65504.0f);
  EXPECT_EQ(static_cast<float>(h.data<Float16>()[1]), std::numeric_limits<float>::infinity());
  EXPECT_EQ(static_cast<float>(h.data<Float16>()[2]), 0.33325195f);
  expect_i64(cast(f16({2}, {-2.75f, 3.5f}), "i64"), {2}, {-2, 3});
}

TEST(ElementwiseCastTest, InfersTypeAndRejectsUnknownTarget) {
  SingleOp op("Cast", {fed_as(f32({2}, {1, 2}), Shape{kDynamicDim})}, {{"to", std::string("i32")}});
  op.infer();
  EXPECT_EQ(op.type(), ElementType::kI32);
  EXPECT_EQ(op.shape(), (Shape{kDynamicDim}));
  SingleOp bad("Cast", {fed(f32({1}, {1}))}, {{"to", std::string("f64")}});
  expect_error([&] { bad.infer(); }, ErrorCode::kUnsupported, "Cast 'node'");
  SingleOp missing("Cast", {fed(f32({1}, {1}))});
  expect_error([&] { missing.infer(); }, ErrorCode::kInvalidModel, "to");
}

}  // namespace
}  // namespace octet
