#include <gtest/gtest.h>

#include <limits>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace octet::test;

TEST(ElementwiseVariadicTest, SumMaxMinMeanBroadcastAllInputs) {
  // a [2,1], b [3], c scalar -> [2,3]; values computed by hand (numpy gives the same).
  const Tensor a = f32({2, 1}, {1, 4});
  const Tensor b = f32({3}, {0, 2, 6});
  const Tensor c = f32({}, {3});
  SingleOp sum("Sum", {fed(a), fed(b), fed(c)});
  expect_f32(sum.run1(), {2, 3}, {4, 6, 10, 7, 9, 13});
  SingleOp max("Max", {fed(a), fed(b), fed(c)});
  expect_f32(max.run1(), {2, 3}, {3, 3, 6, 4, 4, 6});
  SingleOp min("Min", {fed(a), fed(b), fed(c)});
  expect_f32(min.run1(), {2, 3}, {0, 1, 1, 0, 2, 3});
  SingleOp mean("Mean", {fed(a), fed(b), fed(c)});
  expect_f32(mean.run1(), {2, 3}, {4.0f / 3, 2, 10.0f / 3, 7.0f / 3, 3, 13.0f / 3});
}

TEST(ElementwiseVariadicTest, SingleInputIsACopy) {
  SingleOp op("Max", {fed(i64({2}, {-4, 9}))});
  expect_i64(op.run1(), {2}, {-4, 9});
}

TEST(ElementwiseVariadicTest, IntegerSumWrapsAndMaxPropagatesNan) {
  SingleOp sum("Sum", {fed(i8({1}, {100})), fed(i8({1}, {100})), fed(i8({1}, {100}))});
  expect_tensor<int8_t>(sum.run1(), ElementType::kI8, {1}, {44});  // np.int8(300 - 256)
  const float nan = std::numeric_limits<float>::quiet_NaN();
  SingleOp max("Max", {fed(f32({2}, {nan, 1})), fed(f32({2}, {1, nan}))});
  expect_f32(max.run1(), {2}, {nan, nan});  // like np.maximum
}

TEST(ElementwiseVariadicTest, RejectsMismatchedInputs) {
  SingleOp types("Sum", {fed(f32({1}, {1})), fed(i64({1}, {1}))});
  expect_error([&] { types.infer(); }, ErrorCode::kInvalidModel, "Sum 'node'");
  SingleOp shapes("Min", {fed(f32({2}, {1, 2})), fed(f32({3}, {1, 2, 3}))});
  expect_error([&] { shapes.infer(); }, ErrorCode::kInvalidModel, "cannot be broadcast");
  SingleOp mean_int("Mean", {fed(i32({1}, {1}))});
  expect_error([&] { mean_int.infer(); }, ErrorCode::kInvalidModel, "Mean 'node'");
}

}  // namespace
}  // namespace octet
