// Softmax, LogSoftmax and Hardmax (opset 13: along one axis). Expected values from PyTorch 1.13:
// xs = tensor(<kInput>).reshape(2,3,4); F.softmax(xs, dim=...), F.log_softmax(xs, dim=...).
#include <gtest/gtest.h>

#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

const std::vector<float> kInput = {0.1f, 2,  -1, 3,     0.5f, 0.5f, 4, -2, 1,  1, 1, 1,
                                   2,    -3, 0,  0.25f, 5,    1,    2, 2,  -1, 0, 1, 6};

TEST(SoftmaxTest, DefaultAxisIsLast) {
  expect_f32(run_single("Softmax", {fed(f32({2, 3, 4}, kInput))}), {2, 3, 4},
             {0.03817827f, 0.2552559f,   0.01270844f,   0.6938574f,   0.02841108f,  0.02841108f,
              0.9408457f,  0.002332123f, 0.25f,         0.25f,        0.25f,        0.25f,
              0.7599667f,  0.005120615f, 0.1028503f,    0.1320624f,   0.8945426f,   0.01638412f,
              0.04453665f, 0.04453665f,  0.0009027385f, 0.002453898f, 0.006670385f, 0.9899729f},
             scaled_tolerance(1e-5f));
}

TEST(SoftmaxTest, MiddleAxis) {
  expect_f32(run_single("Softmax", {fed(f32({2, 3, 4}, kInput))}, {{"axis", int64_t{1}}}), {2, 3, 4},
             {0.2019619f,  0.6285317f,  0.006377461f, 0.8756006f,   0.3012918f,  0.1402444f,
              0.9464992f,  0.00589975f, 0.4967462f,   0.2312239f,   0.04712342f, 0.1184997f,
              0.04731416f, 0.01321289f, 0.09003057f,  0.003115796f, 0.9503303f,  0.7213991f,
              0.6652409f,  0.01793017f, 0.002355633f, 0.2653879f,   0.2447285f,  0.978954f},
             scaled_tolerance(1e-5f));
}

TEST(SoftmaxTest, LargeInputsStayFinite) {
  const Tensor x = f32({3}, {1000, 1001, 1002});
  expect_f32(run_single("Softmax", {fed(x)}), {3}, {0.09003057f, 0.2447285f, 0.6652409f},
             scaled_tolerance(1e-5f));
  expect_f32(run_single("LogSoftmax", {fed(x)}), {3}, {-2.407606f, -1.407606f, -0.4076059f},
             scaled_tolerance(1e-5f));
}

TEST(LogSoftmaxTest, LastAndFirstAxis) {
  const Tensor x = f32({2, 3, 4}, kInput);
  expect_f32(
      run_single("LogSoftmax", {fed(x)}), {2, 3, 4},
      {-3.265489f,  -1.365489f, -4.365489f, -0.3654889f, -3.560976f,  -3.560976f, -0.06097607f, -6.060976f,
       -1.386294f,  -1.386294f, -1.386294f, -1.386294f,  -0.2744807f, -5.274481f, -2.274481f,   -2.024481f,
       -0.1114428f, -4.111443f, -3.111443f, -3.111443f,  -7.010077f,  -6.010077f, -5.010077f,   -0.01007767f},
      scaled_tolerance(1e-5f));
  expect_f32(run_single("LogSoftmax", {fed(x)}, {{"axis", int64_t{-3}}}), {2, 3, 4},
             {-2.039387f,  -0.006715349f, -1.313262f,  -0.06196762f, -4.511048f,   -0.974077f,
              -0.126928f,  -4.01815f,     -0.126928f,  -0.3132617f,  -0.6931472f,  -5.006715f,
              -0.1393867f, -5.006715f,    -0.3132617f, -2.811968f,   -0.01104774f, -0.474077f,
              -2.126928f,  -0.01814996f,  -2.126928f,  -1.313262f,   -0.6931472f,  -0.006715349f},
             scaled_tolerance(1e-5f));
}

// By hand: one 1 per row at the first maximum (row 2 is all ones: the first wins).
TEST(HardmaxTest, MarksFirstMaximum) {
  const Tensor y = run_single("Hardmax", {fed(f32({2, 3, 4}, kInput))});
  expect_f32(y, {2, 3, 4}, {0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1},
             scaled_tolerance(1e-5f));
  // Along axis 1 for x[0] = [[.1,2,-1,3],[.5,.5,4,-2],[1,1,1,1]]: column maxima at rows 2, 0, 1, 0.
  const Tensor y1 =
      run_single("Hardmax", {fed(f32({1, 3, 4}, {0.1f, 2, -1, 3, 0.5f, 0.5f, 4, -2, 1, 1, 1, 1}))},
                 {{"axis", int64_t{1}}});
  expect_f32(y1, {1, 3, 4}, {0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0}, scaled_tolerance(1e-5f));
}

TEST(SoftmaxTest, AxisOutOfRangeNamesTheNode) {
  expect_error(
      [&] {
        build_op("Softmax", {fed(f32({2, 2}, {1, 2, 3, 4}))}, {{"axis", int64_t{2}}});
      },
      ErrorCode::kInvalidModel, "axis 2 is out of range for rank 2");
}

TEST(SoftmaxTest, IntegerInputIsRejected) {
  expect_error([&] { build_op("Softmax", {fed(i32({2}, {1, 2}))}); }, ErrorCode::kInvalidModel, "i32");
}

}  // namespace
}  // namespace octet
