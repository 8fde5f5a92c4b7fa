// The com.microsoft QOperator ops: QLinearAdd, QLinearMul, QLinearGlobalAveragePool, QLinearConcat. Expected
// values are computed by hand in the comments (dequantize, float op, divide by the output scale, round half
// to even, add the zero point, saturate); every intermediate is exact in float.
#include "tests/support/op_test_harness.h"

namespace octet {
namespace {

using namespace test;

TEST(QLinearAddTest, TiesAndScalarBroadcast) {
  // A: 0.5 * ([10, 20, 255, 0] - 10) = [0, 5, 122.5, -5]; B: 0.25 * (30 - 20) = 2.5;
  // sum [2.5, 7.5, 125, -2.5] / 1 -> [2, 8, 125, -2] + 5 = [7, 13, 130, 3].
  const Tensor c = run_single(
      "QLinearAdd", fed_then_constants({make<uint8_t>({4}, {10, 20, 255, 0}), scalar(0.5f),
                                        scalar<uint8_t>(10), make<uint8_t>({1}, {30}), scalar(0.25f),
                                        scalar<uint8_t>(20), scalar(1.0f), scalar<uint8_t>(5)}));
  EXPECT_EQ(c.type(), ElementType::kU8);
  EXPECT_EQ(values_of<uint8_t>(c), (std::vector<uint8_t>{7, 13, 130, 3}));
}

TEST(QLinearAddTest, OptionalZeroPointsAndSaturation) {
  // No zero points (0): A [2,1] = [100, 120] * 1, B [3] = [10, 20, -128] * 1 -> [[110, 120, -28], [130, 140,
  // -8]] / 1 -> saturate to i8: [[110, 120, -28], [127, 127, -8]].
  const Tensor c = run_single(
      "QLinearAdd",
      fed_then_constants({make<int8_t>({2, 1}, {100, 120}), scalar(1.0f), Tensor(),
                          make<int8_t>({3}, {10, 20, -128}), scalar(1.0f), Tensor(), scalar(1.0f)}));
  EXPECT_EQ(c.dims(), (Dims{2, 3}));
  EXPECT_EQ(values_of<int8_t>(c), (std::vector<int8_t>{110, 120, -28, 127, 127, -8}));
}

TEST(QLinearMulTest, BroadcastSaturationAndTies) {
  // A [2,1]: 0.1 * [100, -100] = [10, -10]; B [1,3]: 0.2 * [5, 50, -128] = [1, 10, -25.6];
  // products / 0.5 = [[20, 200, -512], [-20, -200, 512]] -> i8 [[20, 127, -128], [-20, -128, 127]].
  const Tensor c = run_single(
      "QLinearMul", fed_then_constants({make<int8_t>({2, 1}, {100, -100}), scalar(0.1f), scalar<int8_t>(0),
                                        make<int8_t>({1, 3}, {5, 50, -128}), scalar(0.2f), scalar<int8_t>(0),
                                        scalar(0.5f), scalar<int8_t>(0)}));
  EXPECT_EQ(c.dims(), (Dims{2, 3}));
  EXPECT_EQ(values_of<int8_t>(c), (std::vector<int8_t>{20, 127, -128, -20, -128, 127}));
  // [3, 5, 7] * 0.5 = [1.5, 2.5, 3.5] -> [2, 2, 4].
  const Tensor ties =
      run_single("QLinearMul", fed_then_constants({make<uint8_t>({3}, {3, 5, 7}), scalar(1.0f),
                                                   scalar<uint8_t>(0), make<uint8_t>({1}, {1}), scalar(0.5f),
                                                   scalar<uint8_t>(0), scalar(1.0f), scalar<uint8_t>(0)}));
  EXPECT_EQ(values_of<uint8_t>(ties), (std::vector<uint8_t>{2, 2, 4}));
}

TEST(QLinearAddTest, RejectsMismatchedTypes) {
  expect_error(
      [] {
        build_op("QLinearAdd", fed_then_constants({make<uint8_t>({1}, {1}), scalar(1.0f), scalar<uint8_t>(0),
                                                   make<int8_t>({1}, {1}), scalar(1.0f), scalar<int8_t>(0),
                                                   scalar(1.0f), scalar<uint8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "expected one of u8");
  expect_error(
      [] {
        build_op("QLinearAdd", fed_then_constants({make<uint8_t>({1}, {1}), scalar(1.0f), scalar<int8_t>(0),
                                                   make<uint8_t>({1}, {1}), scalar(1.0f), scalar<uint8_t>(0),
                                                   scalar(1.0f), scalar<uint8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "A_zero_point has type i8, expected u8");
  expect_error(
      [] {
        build_op("QLinearAdd", fed_then_constants({make<uint8_t>({1}, {1}), scalar(1.0f), scalar<uint8_t>(0),
                                                   make<uint8_t>({1}, {1}), scalar(-1.0f), scalar<uint8_t>(0),
                                                   scalar(1.0f)}));
      },
      ErrorCode::kInvalidModel, "B_scale[0] is -1");
}

// x [1,2,2,2]: channel 0 = [1, 2, 3, 4], channel 1 = [10, 20, 30, 41]; x_scale 0.5, x_zp 2; y_scale 0.25,
// y_zp 3. Multiplier 0.5 / (0.25 * 4) = 0.5. ch0: sum(x - 2) = 2 -> 1 -> 4; ch1: sum(x - 2) = 93 -> 46.5 ->
// 46 (tie) -> 49.
TEST(QLinearGlobalAveragePoolTest, ChannelsFirstAndLast) {
  const Tensor nchw =
      run_single("QLinearGlobalAveragePool",
                 fed_then_constants({make<uint8_t>({1, 2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 41}), scalar(0.5f),
                                     scalar<uint8_t>(2), scalar(0.25f), scalar<uint8_t>(3)}));
  EXPECT_EQ(nchw.dims(), (Dims{1, 2, 1, 1}));
  EXPECT_EQ(values_of<uint8_t>(nchw), (std::vector<uint8_t>{4, 49}));
  const Tensor nhwc =
      run_single("QLinearGlobalAveragePool",
                 fed_then_constants({make<uint8_t>({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 41}), scalar(0.5f),
                                     scalar<uint8_t>(2), scalar(0.25f), scalar<uint8_t>(3)}),
                 {{"channels_last", int64_t{1}}});
  EXPECT_EQ(nhwc.dims(), (Dims{1, 1, 1, 2}));
  EXPECT_EQ(values_of<uint8_t>(nhwc), (std::vector<uint8_t>{4, 49}));
}

TEST(QLinearGlobalAveragePoolTest, SaturatesAndChecksTypes) {
  // i8 [2,1,2] (rank 3): batch 0 = [127, 127] with zp -128 -> sum 510, multiplier 1 / (0.5 * 2) = 1 -> 127;
  // batch 1 = [-128, -127] -> sum 1 -> 1 + y_zp 0.
  const Tensor y =
      run_single("QLinearGlobalAveragePool",
                 fed_then_constants({make<int8_t>({2, 1, 2}, {127, 127, -128, -127}), scalar(1.0f),
                                     scalar<int8_t>(-128), scalar(0.5f), scalar<int8_t>(0)}));
  EXPECT_EQ(y.dims(), (Dims{2, 1, 1}));
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{127, 1}));
  expect_error(
      [] {
        build_op("QLinearGlobalAveragePool",
                 fed_then_constants({make<int8_t>({1, 1, 2}, {1, 2}), scalar(1.0f), scalar<int8_t>(0),
                                     scalar(1.0f), scalar<uint8_t>(0)}));
      },
      ErrorCode::kInvalidModel, "y_zero_point has type u8, expected i8");
}

TEST(QLinearConcatTest, RequantizesInputsToOutputParameters) {
  // Y: scale 0.5, zp 10. Input 0 has Y's parameters: copied. Input 1: 0.25 * ([7, 8] - 1) = [1.5, 1.75]
  // / 0.5 = [3, 3.5] -> [3, 4] + 10 = [13, 14]. Input 2: 1 * ([0, 255, 4] - 3) = [-3, 252, 1] / 0.5 =
  // [-6, 504, 2] + 10 -> [4, 255 (saturated), 12].
  const Tensor y =
      run_single("QLinearConcat",
                 fed_then_constants({scalar(0.5f), scalar<uint8_t>(10), make<uint8_t>({1, 2}, {10, 12}),
                                     scalar(0.5f), scalar<uint8_t>(10), make<uint8_t>({1, 2}, {7, 8}),
                                     scalar(0.25f), scalar<uint8_t>(1), make<uint8_t>({1, 3}, {0, 255, 4}),
                                     scalar(1.0f), scalar<uint8_t>(3)}),
                 {{"axis", int64_t{1}}});
  EXPECT_EQ(y.dims(), (Dims{1, 7}));
  EXPECT_EQ(values_of<uint8_t>(y), (std::vector<uint8_t>{10, 12, 13, 14, 4, 255, 12}));
}

TEST(QLinearConcatTest, OuterAxisAndErrors) {
  // Axis -2 of [1,2] and [2,2] (i8, same parameters as Y except input 1: scale 2, zp 0 -> 2x / 1 = 2x):
  // [[1, 2]] then [[2*3, 2*-4], [2*70, 2*-70]] = [[6, -8], [127, -128]] (saturated).
  const Tensor y =
      run_single("QLinearConcat",
                 fed_then_constants({scalar(1.0f), scalar<int8_t>(0), make<int8_t>({1, 2}, {1, 2}),
                                     scalar(1.0f), scalar<int8_t>(0), make<int8_t>({2, 2}, {3, -4, 70, -70}),
                                     scalar(2.0f), scalar<int8_t>(0)}),
                 {{"axis", int64_t{-2}}});
  EXPECT_EQ(y.dims(), (Dims{3, 2}));
  EXPECT_EQ(values_of<int8_t>(y), (std::vector<int8_t>{1, 2, 6, -8, 127, -128}));
  expect_error(
      [] {
        build_op("QLinearConcat",
                 fed_then_constants({scalar(1.0f), scalar<int8_t>(0), make<int8_t>({1, 2}, {1, 2}),
                                     scalar(1.0f), scalar<int8_t>(0), make<int8_t>({1, 2}, {1, 2})}),
                 {{"axis", int64_t{0}}});
      },
      ErrorCode::kInvalidModel, "triples");
  expect_error(
      [] {
        build_op("QLinearConcat",
                 fed_then_constants({scalar(1.0f), scalar<int8_t>(0), make<uint8_t>({1, 2}, {1, 2}),
                                     scalar(1.0f), scalar<uint8_t>(0)}),
                 {{"axis", int64_t{0}}});
      },
      ErrorCode::kInvalidModel, "expected one of i8");
  expect_error(
      [] {
        build_op("QLinearConcat",
                 fed_then_constants({scalar(1.0f), scalar<int8_t>(0), make<int8_t>({1, 2}, {1, 2}),
                                     scalar(1.0f), scalar<int8_t>(0), make<int8_t>({1, 3}, {1, 2, 3}),
                                     scalar(1.0f), scalar<int8_t>(0)}),
                 {{"axis", int64_t{0}}});
      },
      ErrorCode::kInvalidModel, "does not match the other inputs off axis 0");
}

}  // namespace
}  // namespace octet
