// Reduce* ops (opset 18: axes as input 1). Float expected values from numpy 1.24 in float64, e.g.
// x.mean(axis=(1,), keepdims=True) and x.mean(axis=(0,2), keepdims=False) for x =
// kReduceInput.reshape(2,3,4); ReduceL2 = sqrt((x*x).sum(...)), ReduceLogSumExp = log(exp(x).sum(...)),
// ReduceLogSum runs on abs(x).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

const std::vector<float> kReduceInput = {1,  -2, 3, 0.5f, 4,    2,    -1, 1.5f, 0.25f, 3,  2, -4,
                                         -1, 1,  2, 3,    0.5f, 0.5f, -2, 1,    2,     -3, 1, 2};

struct ReduceCase {
  const char* op;
  std::vector<float> axis1_keepdims;  // axes [1], keepdims=1 -> [2,1,4]
  std::vector<float> axes02_dropped;  // axes [0,2], keepdims=0 -> [3]
};

const ReduceCase kCases[] = {
    {"ReduceMean",
     {1.75f, 1, 1.333333f, -0.6666667f, 0.5f, -0.5f, 0.3333333f, 2},
     {0.9375f, 0.8125f, 0.40625f}},
    {"ReduceMax", {4, 3, 3, 1.5f, 2, 1, 2, 3}, {3, 4, 3}},
    {"ReduceMin", {0.25f, -2, -1, -4, -1, -3, -2, 1}, {-2, -2, -4}},
    {"ReduceSum", {5.25f, 3, 4, -2, 1.5f, -1.5f, 1, 6}, {7.5f, 6.5f, 3.25f}},
    {"ReduceProd", {1, -12, -6, -3, -1, -1.5f, -4, 6}, {18, 6, 72}},
    {"ReduceL1", {5.25f, 7, 6, 6, 3.5f, 4.5f, 5, 6}, {13.5f, 12.5f, 17.25f}},
    {"ReduceL2",
     {4.130678f, 4.123106f, 3.741657f, 4.301163f, 2.291288f, 3.201562f, 3, 3.741657f},
     {5.408327f, 5.361903f, 6.860211f}},
    {"ReduceSumSquare", {17.0625f, 17, 14, 18.5f, 5.25f, 10.25f, 9, 14}, {29.25f, 28.75f, 47.0625f}},
    {"ReduceLogSum",
     {1.658228f, 1.94591f, 1.791759f, 1.791759f, 1.252763f, 1.504077f, 1.609438f, 1.791759f},
     {2.60269f, 2.525729f, 2.847812f}},
    {"ReduceLogSumExp",
     {4.070742f, 3.318175f, 3.326563f, 1.816245f, 2.241311f, 1.485413f, 2.326563f, 3.407606f},
     {4.010032f, 4.290293f, 3.835641f}},
};

Tensor input_for(const std::string& op) {
  std::vector<float> v = kReduceInput;
  if (op == "ReduceLogSum")
    for (float& f : v) f = std::abs(f);
  return f32({2, 3, 4}, v);
}

TEST(ReduceTest, EveryOpMatchesNumpyWithConstantAxes) {
  for (const ReduceCase& c : kCases) {
    SCOPED_TRACE(c.op);
    expect_f32(run_single(c.op, {fed(input_for(c.op)), constant(i64({1}, {1}))}), {2, 1, 4}, c.axis1_keepdims,
               scaled_tolerance(1e-5f));
    expect_f32(
        run_single(c.op, {fed(input_for(c.op)), constant(i64({2}, {0, -1}))}, {{"keepdims", int64_t{0}}}),
        {3}, c.axes02_dropped, scaled_tolerance(1e-5f));
  }
}

TEST(ReduceTest, AxesAsRuntimeInput) {
  const std::vector<Tensor> out =
      run_op("ReduceSum", {fed(input_for("ReduceSum")), fed(i64({2}, {0, 2}))}, {{"keepdims", int64_t{0}}});
  expect_f32(out[0], {3}, {7.5f, 6.5f, 3.25f}, scaled_tolerance(1e-5f));
}

// kReduceInput.sum() = 17.25 by numpy; reducing every axis keeps rank 3 with keepdims.
TEST(ReduceTest, NoAxesReducesEverything) {
  expect_f32(run_single("ReduceSum", {fed(input_for("ReduceSum"))}), {1, 1, 1}, {17.25f},
             scaled_tolerance(1e-5f));
  expect_f32(run_single("ReduceSum", {fed(input_for("ReduceSum")), constant(i64({0}, {}))},
                        {{"keepdims", int64_t{0}}}),
             {}, {17.25f}, scaled_tolerance(1e-5f));
}

// By hand: log(exp(1000) + exp(1000)) = 1000 + log(2), which a naive sum of exp() would overflow to inf.
TEST(ReduceTest, LogSumExpOfLargeValuesIsFinite) {
  expect_f32(run_single("ReduceLogSumExp", {fed(f32({2}, {1000, 1000}))}), {1}, {1000.693147f},
             scaled_tolerance(1e-5f));
}

TEST(ReduceTest, NoopWithEmptyAxesIsIdentity) {
  const Tensor y = run_single("ReduceMax", {fed(input_for("ReduceMax")), constant(i64({0}, {}))},
                              {{"noop_with_empty_axes", int64_t{1}}});
  expect_f32(y, {2, 3, 4}, kReduceInput, scaled_tolerance(1e-5f));
}

// By hand: integer sums are exact, the mean truncates toward zero ((-7)/2 -> -3), L2 of [3,4] is 5.
TEST(ReduceTest, IntegerTypes) {
  const Tensor x = i32({2, 2}, {3, 4, -10, 3});
  expect_tensor<int32_t>(run_single("ReduceSum", {fed(x), constant(i64({1}, {1}))}), ElementType::kI32,
                         {2, 1}, {7, -7});
  expect_tensor<int32_t>(run_single("ReduceMean", {fed(x), constant(i64({1}, {1}))}), ElementType::kI32,
                         {2, 1}, {3, -3});
  expect_tensor<int32_t>(run_single("ReduceL2", {fed(x), constant(i64({1}, {1}))}), ElementType::kI32, {2, 1},
                         {5, 10});
  expect_tensor<int32_t>(run_single("ReduceProd", {fed(x), constant(i64({1}, {0}))}), ElementType::kI32,
                         {1, 2}, {-30, 12});
  const Tensor big = i64({2}, {int64_t{1} << 40, 3});
  expect_tensor<int64_t>(run_single("ReduceSum", {fed(big)}, {{"keepdims", int64_t{0}}}), ElementType::kI64,
                         {}, {(int64_t{1} << 40) + 3});
  const Tensor u8 = Tensor::from_vector<uint8_t>({3}, std::vector<uint8_t>{7, 250, 3});
  expect_tensor<uint8_t>(run_single("ReduceMax", {fed(u8)}), ElementType::kU8, {1}, {250});
  EXPECT_THROW(build_op("ReduceSum", {fed(u8)}), Error);  // u8 only for Max / Min
}

TEST(ReduceTest, InferenceWithRuntimeAxes) {
  auto kept = build_op("ReduceMean",
                       {declared(ElementType::kF32, Shape{2, 3, 4}), declared(ElementType::kI64, Shape{2})});
  EXPECT_EQ(kept->node()->output(0)->shape(), Shape::dynamic(3));
  auto dropped =
      build_op("ReduceMean",
               {declared(ElementType::kF32, Shape{2, kDynamicDim, 4}), declared(ElementType::kI64, Shape{2})},
               {{"keepdims", int64_t{0}}});
  EXPECT_EQ(dropped->node()->output(0)->shape(), Shape::dynamic(1));
  auto constant_axes =
      build_op("ReduceMean", {declared(ElementType::kF32, Shape{kDynamicDim, 3, 4}), constant(i64({1}, {1}))},
               {{"keepdims", int64_t{0}}});
  EXPECT_EQ(constant_axes->node()->output(0)->shape(), (Shape{kDynamicDim, 4}));
}

TEST(ReduceTest, BadAxesNameTheNode) {
  expect_error(
      [&] {
        build_op("ReduceSum", {fed(input_for("ReduceSum")), constant(i64({1}, {3}))});
      },
      ErrorCode::kInvalidModel, "axis 3 is out of range for rank 3");
  expect_error(
      [&] {
        build_op("ReduceSum", {fed(input_for("ReduceSum")), constant(i64({2}, {1, -2}))});
      },
      ErrorCode::kInvalidModel, "repeated");
  // Axes fed at run time are checked when the node runs.
  expect_error(
      [&] {
        run_op("ReduceSum", {fed(input_for("ReduceSum")), fed(i64({1}, {-4}))});
      },
      ErrorCode::kInvalidModel, "axis -4 is out of range");
}

}  // namespace
}  // namespace octet
