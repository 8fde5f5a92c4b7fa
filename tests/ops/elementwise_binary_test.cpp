#include <gtest/gtest.h>

#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

TEST(ElementwiseBinaryTest, AddBroadcastsTrailingAxis) {
  SingleOp op("Add", {fed(f32({2, 3}, {1, 2, 3, 4, 5, 6})), fed(f32({3}, {10, 20, 30}))});
  expect_f32(op.run1(), {2, 3}, {11, 22, 33, 14, 25, 36});
}

TEST(ElementwiseBinaryTest, AddBroadcastsBothWays) {
  // [2,1] + [1,3] -> [2,3]: out[i][j] = a[i] + b[j]
  SingleOp op("Add", {fed(f32({2, 1}, {1, 2})), fed(f32({1, 3}, {10, 20, 30}))});
  expect_f32(op.run1(), {2, 3}, {11, 21, 31, 12, 22, 32});
}

TEST(ElementwiseBinaryTest, ScalarAndEmptyBroadcasts) {
  SingleOp scalar("Mul", {constant(f32({}, {2})), fed(f32({2, 2}, {1, 2, 3, 4}))});
  expect_f32(scalar.run1(), {2, 2}, {2, 4, 6, 8});
  SingleOp empty("Sub", {fed(f32({0, 3}, {})), fed(f32({1, 3}, {1, 2, 3}))});
  expect_f32(empty.run1(), {0, 3}, {});
  // A dim of 1 broadcasts against 0 (numpy: np.zeros((2,1)) + np.zeros((2,0)) has shape (2, 0)).
  SingleOp zero_vs_one("Add", {fed(f32({2, 1}, {1, 2})), fed(f32({2, 0}, {}))});
  expect_f32(zero_vs_one.run1(), {2, 0}, {});
}

TEST(ElementwiseBinaryTest, InfersDynamicBroadcastShapes) {
  SingleOp a("Add",
             {fed_as(f32({2, 3}, {1, 2, 3, 4, 5, 6}), Shape{kDynamicDim, 3}), fed(f32({1, 3}, {0, 0, 0}))});
  a.infer();
  EXPECT_EQ(a.shape(), (Shape{kDynamicDim, 3}));
  SingleOp b("Mul", {fed_as(f32({2, 1}, {1, 2}), Shape{kDynamicDim, 1}), fed(f32({4}, {1, 2, 3, 4}))});
  b.infer();
  EXPECT_EQ(b.shape(), (Shape{kDynamicDim, 4}));
  expect_f32(b.run1(), {2, 4}, {1, 2, 3, 4, 2, 4, 6, 8});
  SingleOp c("Add", {fed_as(f32({1}, {1}), Shape::unknown()), fed(f32({1}, {1}))});
  c.infer();
  EXPECT_FALSE(c.shape().rank_known());
}

TEST(ElementwiseBinaryTest, RejectsIncompatibleBroadcastAndMixedTypes) {
  SingleOp bad("Add", {fed(f32({2, 3}, {1, 2, 3, 4, 5, 6})), fed(f32({2}, {1, 2}))});
  expect_error([&] { bad.infer(); }, ErrorCode::kInvalidModel, "cannot be broadcast");
  SingleOp mixed("Add", {fed(f32({1}, {1})), fed(i32({1}, {1}))});
  expect_error([&] { mixed.infer(); }, ErrorCode::kInvalidModel, "Add 'node'");
  SingleOp boolean_add("Add", {fed(boolean({1}, {1})), fed(boolean({1}, {1}))});
  expect_error([&] { boolean_add.infer(); }, ErrorCode::kInvalidModel, "expected one of");
}

TEST(ElementwiseBinaryTest, IntegerArithmeticWraps) {
  // numpy: np.int8([100, -100, 16]) + np.int8([100, -100, 16]) -> [-56, 56, 32]; * -> [16, 16, 0]
  SingleOp add("Add", {fed(i8({3}, {100, -100, 16})), fed(i8({3}, {100, -100, 16}))});
  expect_tensor<int8_t>(add.run1(), ElementType::kI8, {3}, {-56, 56, 32});
  SingleOp mul("Mul", {fed(i8({3}, {100, -100, 16})), fed(i8({3}, {100, -100, 16}))});
  expect_tensor<int8_t>(mul.run1(), ElementType::kI8, {3}, {16, 16, 0});
  // np.uint8([200, 5]) + np.uint8([100, 6]) -> [44, 11]; np.uint8(5) - np.uint8(6) -> 255
  SingleOp add_u8("Add", {fed(u8({2}, {200, 5})), fed(u8({2}, {100, 6}))});
  expect_tensor<uint8_t>(add_u8.run1(), ElementType::kU8, {2}, {44, 11});
  SingleOp sub_u8("Sub", {fed(u8({1}, {5})), fed(u8({1}, {6}))});
  expect_tensor<uint8_t>(sub_u8.run1(), ElementType::kU8, {1}, {255});
  const int64_t max = std::numeric_limits<int64_t>::max();
  SingleOp add_i64("Add", {fed(i64({1}, {max})), fed(i64({1}, {1}))});
  expect_i64(add_i64.run1(), {1}, {std::numeric_limits<int64_t>::min()});
  SingleOp mul_i32("Mul", {fed(i32({1}, {65536})), fed(i32({1}, {65537}))});
  expect_tensor<int32_t>(mul_i32.run1(), ElementType::kI32, {1}, {65536});  // 2^32 + 2^16 mod 2^32
}

TEST(ElementwiseBinaryTest, IntegerDivTruncatesTowardZero) {
  SingleOp div("Div", {fed(i32({5}, {7, -7, 7, -7, std::numeric_limits<int32_t>::min()})),
                       fed(i32({5}, {2, 2, -2, -2, -1}))});
  expect_tensor<int32_t>(div.run1(), ElementType::kI32, {5},
                         {3, -3, -3, 3, std::numeric_limits<int32_t>::min()});
  SingleOp zero("Div", {fed(i64({2}, {1, 2})), constant(i64({}, {0}))});
  expect_error([&] { zero.run(); }, ErrorCode::kInvalidArgument, "division by zero");
  SingleOp float_div("Div", {fed(f32({3}, {1, -1, 3})), fed(f32({3}, {0, 0, 4}))});
  const float inf = std::numeric_limits<float>::infinity();
  expect_f32(float_div.run1(), {3}, {inf, -inf, 0.75f});
}

TEST(ElementwiseBinaryTest, Pow) {
  // np.power(np.float32([2, 4, 9]), np.float32([3, 0.5, -1])) -> [8, 2, 0.11111111]
  SingleOp f("Pow", {fed(f32({3}, {2, 4, 9})), fed(f32({3}, {3, 0.5f, -1}))});
  expect_f32(f.run1(), {3}, {8, 2, 0.11111111f});
  // Float base, integer exponent (ONNX T1 differs from T).
  SingleOp f_int("Pow", {fed(f32({2}, {1.5f, -2})), constant(i64({}, {2}))});
  expect_f32(f_int.run1(), {2}, {2.25f, 4});
  // Integer base and exponent: exact; 2^-1 truncates to 0, 1^-5 = 1, (-1)^-3 = -1.
  SingleOp i("Pow", {fed(i64({6}, {2, 3, -2, 2, 1, -1})), fed(i64({6}, {10, 3, 3, -1, -5, -3}))});
  expect_i64(i.run1(), {6}, {1024, 27, -8, 0, 1, -1});
  // 3^39 does not fit in a double exactly; integer math gives np.int64(3)**39 = 4052555153018976267.
  SingleOp big("Pow", {fed(i64({1}, {3})), fed(i64({1}, {39}))});
  expect_i64(big.run1(), {1}, {4052555153018976267});
  SingleOp i_float("Pow", {fed(i32({2}, {4, 9})), constant(f32({}, {0.5f}))});
  expect_tensor<int32_t>(i_float.run1(), ElementType::kI32, {2}, {2, 3});
}

TEST(ElementwiseBinaryTest, ModFollowsDivisorOrDividendSign) {
  // Python: [5 % 3, -5 % 3, 5 % -3, -5 % -3] = [2, 1, -1, -2]; C fmod: [2, -2, 2, -2]
  SingleOp python("Mod", {fed(i32({4}, {5, -5, 5, -5})), fed(i32({4}, {3, 3, -3, -3}))});
  expect_tensor<int32_t>(python.run1(), ElementType::kI32, {4}, {2, 1, -1, -2});
  SingleOp c_style("Mod", {fed(i32({4}, {5, -5, 5, -5})), fed(i32({4}, {3, 3, -3, -3}))},
                   {{"fmod", int64_t{1}}});
  expect_tensor<int32_t>(c_style.run1(), ElementType::kI32, {4}, {2, -2, 2, -2});
  // np.fmod(np.float32([5.5, -5.5]), 2) -> [1.5, -1.5]
  SingleOp f("Mod", {fed(f32({2}, {5.5f, -5.5f})), constant(f32({}, {2}))}, {{"fmod", int64_t{1}}});
  expect_f32(f.run1(), {2}, {1.5f, -1.5f});
  SingleOp float_python("Mod", {fed(f32({1}, {1})), fed(f32({1}, {1}))});
  expect_error([&] { float_python.infer(); }, ErrorCode::kInvalidModel, "fmod");
  SingleOp zero("Mod", {fed(u8({1}, {1})), fed(u8({1}, {0}))});
  expect_error([&] { zero.run(); }, ErrorCode::kInvalidArgument, "modulo by zero");
}

TEST(ElementwiseBinaryTest, Comparisons) {
  // a = [[1, 2, 3]] (1x3), b = [[2], [1]] (2x1) -> 2x3, compared by hand.
  const Tensor a = i64({1, 3}, {1, 2, 3});
  const Tensor b = i64({2, 1}, {2, 1});
  SingleOp eq("Equal", {fed(a), fed(b)});
  expect_bool(eq.run1(), {2, 3}, {0, 1, 0, 1, 0, 0});
  SingleOp lt("Less", {fed(a), fed(b)});
  expect_bool(lt.run1(), {2, 3}, {1, 0, 0, 0, 0, 0});
  SingleOp gt("Greater", {fed(a), fed(b)});
  expect_bool(gt.run1(), {2, 3}, {0, 0, 1, 0, 1, 1});
  SingleOp le("LessOrEqual", {fed(a), fed(b)});
  expect_bool(le.run1(), {2, 3}, {1, 1, 0, 1, 0, 0});
  SingleOp ge("GreaterOrEqual", {fed(a), fed(b)});
  expect_bool(ge.run1(), {2, 3}, {0, 1, 1, 1, 1, 1});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  SingleOp eq_nan("Equal", {fed(f32({2}, {nan, 1})), fed(f32({2}, {nan, 1}))});
  expect_bool(eq_nan.run1(), {2}, {0, 1});
  SingleOp eq_bool("Equal", {fed(boolean({2}, {1, 0})), fed(boolean({1}, {1}))});
  expect_bool(eq_bool.run1(), {2}, {1, 0});
  SingleOp lt_bool("Less", {fed(boolean({1}, {1})), fed(boolean({1}, {1}))});
  expect_error([&] { lt_bool.infer(); }, ErrorCode::kInvalidModel, "Less 'node'");
}

TEST(ElementwiseBinaryTest, Logic) {
  // Truth table: a = [0, 0, 1, 1], b = [0, 1, 0, 1]
  const Tensor a = boolean({4}, {0, 0, 1, 1});
  const Tensor b = boolean({4}, {0, 1, 0, 1});
  SingleOp and_op("And", {fed(a), fed(b)});
  expect_bool(and_op.run1(), {4}, {0, 0, 0, 1});
  SingleOp or_op("Or", {fed(a), fed(b)});
  expect_bool(or_op.run1(), {4}, {0, 1, 1, 1});
  SingleOp xor_op("Xor", {fed(a), fed(b)});
  expect_bool(xor_op.run1(), {4}, {0, 1, 1, 0});
  SingleOp broadcast("And", {fed(boolean({2, 1}, {1, 0})), fed(boolean({3}, {1, 0, 1}))});
  expect_bool(broadcast.run1(), {2, 3}, {1, 0, 1, 0, 0, 0});
  SingleOp not_bool("Or", {fed(f32({1}, {1})), fed(f32({1}, {1}))});
  expect_error([&] { not_bool.infer(); }, ErrorCode::kInvalidModel, "Or 'node'");
}

TEST(ElementwiseBinaryTest, PowOutputHasTheBaseType) {
  // f32 base with an f16 exponent stays f32: 3^0.5 = 1.7320508 (an f16 result would be 1.7324219).
  SingleOp f32_base("Pow", {fed(f32({1}, {3})), fed(f16({1}, {0.5f}))});
  expect_f32(f32_base.run1(), {1}, {1.7320508f});
  // f16 base with an f32 exponent is f16: 3^0.5 rounded to f16 is 1.7324219 (spacing 2^-10 in [1, 2)).
  SingleOp f16_base("Pow", {fed(f16({1}, {3})), fed(f32({1}, {0.5f}))});
  const Tensor y = f16_base.run1();
  ASSERT_EQ(y.type(), ElementType::kF16);
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[0]), 1.7324219f);
}

TEST(ElementwiseBinaryTest, F16Add) {
  // 1.5 + 0.25 = 1.75 and 2048 + 1 = 2049 -> 2048 (f16 has 11 significant bits, ties round to even).
  SingleOp op("Add", {fed(f16({2}, {1.5f, 2048.0f})), fed(f16({2}, {0.25f, 1.0f}))});
  const Tensor y = op.run1();
  ASSERT_EQ(y.type(), ElementType::kF16);
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[0]), 1.75f);
  EXPECT_EQ(static_cast<float>(y.data<Float16>()[1]), 2048.0f);
}

}  // namespace
}  // namespace octet
